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

function readBody(contract: RouteContract, event: APIGatewayProxyEventV2): unknown {
  const raw = event.body ? (event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body) : '';
  if (Buffer.byteLength(raw) > MAX_BODY_BYTES) throw new PayloadTooLarge(`The body is over ${MAX_BODY_BYTES} bytes.${contract.tooLarge ? ` ${contract.tooLarge}` : ''}`);
  if (raw.trim() === '') return undefined;
  const type = mediaType(event.headers?.['content-type'] ?? '');
  if (contract.textBody && type === contract.textBody) return new TextBody(raw);
  if (contract.form && type === FORM) return formFields(raw);
  if (!/^application\/([\w.-]+\+)?json$/.test(type)) {
    const alternative = contract.textBody ?? (contract.form ? FORM : undefined);
    throw new UnsupportedMediaType(`Send the body as application/json${alternative ? ` or ${alternative}` : ''}.`);
  }
  try {
    return JSON.parse(raw);
  } catch {
    throw new InvalidInput('The body is not valid JSON.', [{ path: 'body', message: 'invalid JSON' }]);
  }
}

const FORM = 'application/x-www-form-urlencoded';

function formFields(raw: string): Record<string, string | string[]> {
  const fields: Record<string, string | string[]> = {};
  for (const [name, value] of new URLSearchParams(raw)) {
    const seen = fields[name];
    fields[name] = seen === undefined ? value : [...(Array.isArray(seen) ? seen : [seen]), value];
  }
  return fields;
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

function validBody(contract: RouteContract, body: unknown) {
  if (body instanceof TextBody) return body.text;
  return contract.body ? validate('body', contract.body, body) : undefined;
}

/** Path, query and body, each validated against the route's schema; the first invalid part answers 400. */
export function parseRequest(contract: RouteContract, event: APIGatewayProxyEventV2) {
  const decodedParams = Object.fromEntries(Object.entries(event.pathParameters ?? {}).map(([name, value]) => [name, decodePathParameter(name, value)]));
  return {
    params: contract.params ? validate('params', contract.params, decodedParams) : undefined,
    query: contract.query ? validate('query', contract.query, event.queryStringParameters ?? {}) : undefined,
    body: contract.body || contract.textBody ? validBody(contract, readBody(contract, event)) : undefined,
    headers: event.headers ?? {},
    ifMatch: contract.conditional ? readIfMatch(event) : undefined,
  };
}
