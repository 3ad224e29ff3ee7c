import * as z from 'zod';
import { InvalidInput } from '../errors.ts';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

/** `?limit=&cursor=`, shared by every list route. */
export const PageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE),
  cursor: z.string().max(2048).optional(),
});
export type PageRequest = z.output<typeof PageQuery>;

export interface Page<T> {
  items: T[];
  nextCursor?: string;
}

export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().optional() });

type Key = Record<string, string | number>;
const KeySchema = z.record(z.string(), z.union([z.string(), z.number()]));

export const encodeCursor = (key: Key | undefined): string | undefined =>
  key ? Buffer.from(JSON.stringify(key)).toString('base64url') : undefined;

/** Decodes a cursor into a DynamoDB start key; a tampered cursor is the client's mistake (400), not ours. */
export function decodeCursor(cursor: string | undefined, mustHave: Key = {}): Key | undefined {
  if (cursor === undefined) return undefined;
  const invalid = () => new InvalidInput('The cursor is not one this list handed out.', [{ path: 'cursor', message: 'invalid cursor' }]);
  let key: Key;
  try {
    key = KeySchema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch {
    throw invalid();
  }
  for (const [name, value] of Object.entries(mustHave)) if (key[name] !== value) throw invalid();
  return key;
}
