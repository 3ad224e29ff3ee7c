import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { z } from 'zod';
import { InvalidInput, PayloadTooLarge, PreconditionFailed, UnsupportedMediaType, type FieldError } from '../errors.ts';
import type { RouteContract } from './route.ts';

export const MAX_BODY_BYTES = 1024 * 1024;

/** Zod issues as `{path, message}` with the part of the request first: `body.location.country`. */
export function fieldErrors(part: string, error: z.ZodError): FieldError[] {
  return error.issues.flatMap((issue) => {
    const path = [part, ...issue.path.map(String)].join('.');
    if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => ({ path: `${path}.${key}`, message: 'unknown field' }));
    return [{ path, message: issue.message }];
  });
}

function validate<S extends z.ZodType>(part: string, schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw new InvalidInput(`The request ${part} is not valid.`, fieldErrors(part, result.error));
  return result.data;
}

function readBody(event: APIGatewayProxyEventV2): unknown {
  const raw = event.body ? (event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body) : '';
  if (Buffer.byteLength(raw) > MAX_BODY_BYTES) throw new PayloadTooLarge(`The body is over ${MAX_BODY_BYTES} bytes.`);
  if (raw.trim() === '') return undefined;
  const type = event.headers?.['content-type'] ?? '';
  if (!/^application\/([\w.-]+\+)?json\b/i.test(type)) {
    throw new UnsupportedMediaType('Send the body as application/json.');
  }
  try {
    return JSON.parse(raw);
  } catch {
    throw new InvalidInput('The body is not valid JSON.', [{ path: 'body', message: 'invalid JSON' }]);
  }
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

/** Path, query and body, each validated against the route's schema; the first invalid part answers 400. */
export function parseRequest(contract: RouteContract, event: APIGatewayProxyEventV2) {
  const decodedParams = Object.fromEntries(Object.entries(event.pathParameters ?? {}).map(([name, value]) => [name, decodePathParameter(name, value)]));
  return {
    params: contract.params ? validate('params', contract.params, decodedParams) : undefined,
    query: contract.query ? validate('query', contract.query, event.queryStringParameters ?? {}) : undefined,
    body: contract.body ? validate('body', contract.body, readBody(event)) : undefined,
    headers: event.headers ?? {},
    ifMatch: contract.conditional ? readIfMatch(event) : undefined,
  };
}
