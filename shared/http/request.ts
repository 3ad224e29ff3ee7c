import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { z } from 'zod';
import { InvalidInput, PayloadTooLarge, PreconditionFailed, UnsupportedMediaType, type FieldError } from '../errors.ts';
import type { RouteContract } from './route.ts';

export const MAX_BODY_BYTES = 1024 * 1024;

/** Zod issues as `{path, message}` with the part of the request first: `body.location.country`. */
export function fieldErrors(part: string, error: Pick<z.ZodError, 'issues'>): FieldError[] {
  return error.issues.flatMap((issue): FieldError[] => {
    const path = [part, ...issue.path.map(String)].join('.');
    if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => ({ path: `${path}.${key}`, message: 'unknown field' }));
    if (issue.code === 'invalid_union') {
      // The alternative the value was meant as: the first one whose type it has.
      const meant = issue.errors.find((issues) => !issues.some((i) => i.code === 'invalid_type' && i.path.length === 0));
      if (meant) return fieldErrors(path, { issues: meant });
    }
    return [{ path, message: issue.message }];
  });
}

function validate<S extends z.ZodType>(part: string, schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw new InvalidInput(`The request ${part} is not valid.`, fieldErrors(part, result.error));
  return result.data;
}

const mediaType = (header: string) => header.split(';')[0]!.trim().toLowerCase();

/** A file sent in a multipart form. */
export interface UploadedFile {
  fileName: string;
  contentType: string;
  bytes: Uint8Array;
}

/** Room for the form's other fields and the multipart boundaries around the largest file a route takes. */
const MULTIPART_OVERHEAD = 256 * 1024;

async function readBody(contract: RouteContract, event: APIGatewayProxyEventV2): Promise<{ body: unknown; file?: UploadedFile }> {
  const bytes = event.body ? Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8') : Buffer.alloc(0);
  const type = mediaType(event.headers?.['content-type'] ?? '');
  const multipart = contract.multipart && type === MULTIPART ? contract.multipart : undefined;
  const limit = multipart ? multipart.maxBytes + MULTIPART_OVERHEAD : MAX_BODY_BYTES;
  if (bytes.byteLength > limit) throw new PayloadTooLarge(`The body is over ${limit} bytes.${contract.tooLarge ? ` ${contract.tooLarge}` : ''}`);
  if (multipart) return multipartFields(bytes, event.headers!['content-type']!, multipart);
  const raw = bytes.toString('utf8');
  if (raw.trim() === '') return { body: undefined };
  if (contract.textBody && type === contract.textBody) return { body: new TextBody(raw) };
  if (contract.form && type === FORM) return { body: formFields(new URLSearchParams(raw)) };
  if (!/^application\/([\w.-]+\+)?json$/.test(type)) {
    const alternatives = [contract.textBody, contract.form ? FORM : undefined, contract.multipart ? MULTIPART : undefined].filter(Boolean);
    throw new UnsupportedMediaType(`Send the body as application/json${alternatives.length ? ` or ${alternatives.join(' or ')}` : ''}.`);
  }
  try {
    return { body: JSON.parse(raw) };
  } catch {
    throw new InvalidInput('The body is not valid JSON.', [{ path: 'body', message: 'invalid JSON' }]);
  }
}

const FORM = 'application/x-www-form-urlencoded';
/** Whether a request came from an HTML form post (the page answers with a page, a client with JSON). */
export const isFormPost = (headers: Record<string, string | undefined>) => mediaType(headers['content-type'] ?? '') === FORM;
const MULTIPART = 'multipart/form-data';

/** Form fields as an object; repeated fields become arrays, and an empty field counts as not filled in. */
function formFields(entries: Iterable<[string, string]>): Record<string, string | string[]> {
  const fields: Record<string, string | string[]> = {};
  for (const [name, value] of entries) {
    if (value === '') continue;
    const seen = fields[name];
    fields[name] = seen === undefined ? value : [...(Array.isArray(seen) ? seen : [seen]), value];
  }
  return fields;
}

/** A multipart form, parsed by the runtime's own Fetch implementation: its text fields, and the one file the route takes. */
async function multipartFields(bytes: Buffer, contentType: string, multipart: NonNullable<RouteContract['multipart']>): Promise<{ body: unknown; file?: UploadedFile }> {
  let form: FormData;
  try {
    form = await new Response(bytes, { headers: { 'content-type': contentType } }).formData();
  } catch {
    throw new InvalidInput('The body is not a valid multipart form.', [{ path: 'body', message: 'invalid multipart/form-data' }]);
  }
  const text: [string, string][] = [];
  let file: UploadedFile | undefined;
  for (const [name, value] of form) {
    if (typeof value === 'string') text.push([name, value]);
    else if (name !== multipart.file) throw new InvalidInput('The form carries an unexpected file.', [{ path: `body.${name}`, message: 'unknown file field' }]);
    else if (value.size > 0) file = { fileName: value.name, contentType: value.type, bytes: new Uint8Array(await value.arrayBuffer()) };
  }
  if (file && file.bytes.byteLength > multipart.maxBytes) throw new PayloadTooLarge(`The file in ${multipart.file} is over ${multipart.maxBytes / 1024 / 1024} MB.`);
  return { body: formFields(text), ...(file ? { file } : {}) };
}

/** A text body the route accepts as it is. */
class TextBody {
  constructor(readonly text: string) {}
}

/** `If-Match: "3"` (or W/"3", or 3) → 3. */
function readIfMatch(event: APIGatewayProxyEventV2): number | undefined {
  const header = event.headers?.['if-match'];
  if (header === undefined || header.trim() === '*') return undefined;
  const version = Number(header.replace(/^W\//, '').replace(/"/g, '').trim());
  if (!Number.isInteger(version) || version < 1) {
    throw new PreconditionFailed('If-Match must be the ETag this API returned.', { errors: [{ path: 'headers.if-match', message: 'not a version ETag' }] });
  }
  return version;
}

function decodePathParameter(name: string, value: string | undefined) {
  try {
    return value === undefined ? value : decodeURIComponent(value);
  } catch {
    throw new InvalidInput('The path is not valid URL encoding.', [{ path: `params.${name}`, message: 'invalid percent-encoding' }]);
  }
}

/**
 * Numbers DynamoDB cannot keep (magnitudes under 1e-130 or from 1e126, zero aside): valid JSON and valid for zod,
 * they would fail the write after validation, a 500 for a client's mistake. Walked without recursion: bodies nest deep.
 */
function unstorableNumbers(part: string, value: unknown): FieldError[] {
  const found: FieldError[] = [];
  const pending: [unknown, string][] = [[value, part]];
  while (pending.length) {
    const [current, path] = pending.pop()!;
    if (typeof current === 'number') {
      const magnitude = Math.abs(current);
      if (magnitude !== 0 && (magnitude < 1e-130 || magnitude >= 1e126)) found.push({ path, message: 'a number from 1e-130 to 1e125 in size, or 0' });
    } else if (Array.isArray(current)) {
      current.forEach((item, i) => pending.push([item, `${path}.${i}`]));
    } else if (typeof current === 'object' && current !== null && [Object.prototype, null].includes(Object.getPrototypeOf(current))) {
      for (const [key, item] of Object.entries(current)) pending.push([item, `${path}.${key}`]);
    }
  }
  return found;
}

function validBody(contract: RouteContract, body: unknown) {
  if (body instanceof TextBody) return body.text;
  // A filled honeypot is a bot: it gets the route's usual answer, never a validation error that teaches it anything.
  const trap = contract.honeypot && typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[contract.honeypot] : undefined;
  if (typeof trap === 'string' && trap !== '') return { [contract.honeypot!]: trap };
  if (!contract.body) return undefined;
  const valid = validate('body', contract.body, body);
  const unstorable = unstorableNumbers('body', valid);
  if (unstorable.length) throw new InvalidInput('The request body is not valid.', unstorable);
  return valid;
}

/** Path, query and body, each validated against the route's schema; the first invalid part answers 400. */
export async function parseRequest(contract: RouteContract, event: APIGatewayProxyEventV2) {
  const decodedParams = Object.fromEntries(Object.entries(event.pathParameters ?? {}).map(([name, value]) => [name, decodePathParameter(name, value)]));
  const params = contract.params ? validate('params', contract.params, decodedParams) : undefined;
  const query = contract.query ? validate('query', contract.query, event.queryStringParameters ?? {}) : undefined;
  const { body, file } = contract.body || contract.textBody ? await readBody(contract, event) : { body: undefined };
  return {
    params,
    query,
    body: contract.body || contract.textBody ? validBody(contract, body) : undefined,
    file,
    headers: event.headers ?? {},
    ifMatch: contract.conditional ? readIfMatch(event) : undefined,
  };
}
