import fc from 'fast-check';
import { malformedBody, mutation, wrongContentType, type Mutation } from './arbitraries.ts';

/** How a generated body travels. */
export type Transport = 'json' | 'form' | 'multipart';

/** A file in a multipart form. */
export interface FormFile {
  field: string;
  name: string;
  type: string;
  bytes: Buffer;
}

/** One generated body: a valid one mutated and sent as the route takes it, or with the wrong type; or a broken one. */
export type BodyCase =
  | { kind: 'mutated'; mutations: Mutation[]; as: Transport; trap?: string }
  | { kind: 'mislabelled'; mutations: Mutation[]; contentType: string | undefined }
  | { kind: 'malformed'; raw: string | Buffer; contentType: string | undefined };

export function bodyCase(transports: readonly Transport[], honeypot?: string): fc.Arbitrary<BodyCase> {
  // One body in ten fills the honeypot, as a bot would.
  const filled = fc.string({ minLength: 1, maxLength: 30 }).filter((s) => s.trim() !== '');
  const trap = honeypot ? fc.oneof({ weight: 9, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: filled }) : fc.constant(undefined);
  return fc.oneof(
    { weight: 8, arbitrary: fc.record({ kind: fc.constant('mutated' as const), mutations: fc.array(mutation, { maxLength: 3 }), as: fc.constantFrom(...transports), trap }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('mislabelled' as const), mutations: fc.array(mutation, { maxLength: 1 }), contentType: wrongContentType }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('malformed' as const), raw: malformedBody, contentType: fc.constantFrom<string | undefined>('application/json', 'application/json', 'application/x-www-form-urlencoded', undefined) }) },
  );
}

/** What a form field carries for a JSON value: text as it is, lists repeated, anything else as JSON. */
function formEntries(body: unknown): [string, string][] {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return [['value', JSON.stringify(body) ?? '']];
  return Object.entries(body).flatMap(([name, value]): [string, string][] =>
    Array.isArray(value) ? value.map((item) => [name, typeof item === 'string' ? item : JSON.stringify(item)]) : [[name, typeof value === 'string' ? value : JSON.stringify(value) ?? '']],
  );
}

const BOUNDARY = '----talent-relay-fuzz-7MA4YWxkTrZu0gW';

function multipartOf(entries: [string, string][], file?: FormFile): Buffer {
  const parts: Buffer[] = [];
  for (const [name, value] of entries) parts.push(Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  if (file) {
    parts.push(Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="${file.field}"; filename="${file.name}"\r\nContent-Type: ${file.type}\r\n\r\n`), file.bytes, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${BOUNDARY}--\r\n`));
  return Buffer.concat(parts);
}

/** The request body and its content type, as the case says. */
export function encode(body: unknown, as: Transport, file?: FormFile): { body: string | Buffer; headers: Record<string, string> } {
  switch (as) {
    case 'json':
      return { body: JSON.stringify(body) ?? '', headers: { 'content-type': 'application/json' } };
    case 'form':
      return { body: new URLSearchParams(formEntries(body)).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } };
    case 'multipart':
      return { body: multipartOf(formEntries(body), file), headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` } };
  }
}
