import * as z from 'zod';
import { PROBLEM_CONTENT_TYPE } from '../shared/http/problem.ts';
import type { RouteContract } from '../shared/http/route.ts';
import { routes } from './manifest.ts';

type JsonSchema = Record<string, unknown> & { properties?: Record<string, unknown>; required?: string[] };

const schemaOf = (schema: z.ZodType, io: 'input' | 'output'): JsonSchema => {
  const { $schema, ...json } = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as JsonSchema;
  return json;
};

/** `GET /candidates/{id}/tags/{tag}` → `getCandidatesIdTagsTag`: stable and unique per route. */
const operationId = (route: RouteContract) =>
  [route.method.toLowerCase(), ...route.path.split('/').filter(Boolean).map((part) => part.replace(/[{}]/g, ''))]
    .map((word, i) => (i === 0 ? word : word.replace(/(^|[-_.])(\w)/g, (_, __, c: string) => c.toUpperCase())))
    .join('');

function parameters(route: RouteContract) {
  const from = (schema: z.ZodObject | undefined, where: 'path' | 'query') => {
    if (!schema) return [];
    const json = schemaOf(schema, 'input');
    return Object.entries(json.properties ?? {}).map(([name, property]) => ({
      name,
      in: where,
      required: where === 'path' || (json.required ?? []).includes(name),
      schema: property,
    }));
  };
  return [...from(route.params, 'path'), ...from(route.query, 'query')];
}

const problem = (description: string) => ({ description, content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: '#/components/schemas/Problem' } } } });

function responses(route: RouteContract) {
  const status = String(route.status ?? (route.response ? 200 : 204));
  return {
    [status]: route.response
      ? { description: 'Success', content: { 'application/json': { schema: schemaOf(route.response, 'output') } } }
      : { description: 'Success' },
    ...(route.params || route.query || route.body ? { 400: problem('Invalid input; `errors` names each field') } : {}),
    ...(route.access === 'public' ? { 429: problem('Too many requests; see Retry-After') } : { 401: { description: 'No valid token' }, 403: problem('The role does not allow this') }),
    ...(route.params ? { 404: problem('Not found') } : {}),
    ...(route.method === 'POST' || route.method === 'PATCH' || route.method === 'PUT' ? { 409: problem('Conflict, with the existing resource id where there is one') } : {}),
    ...(route.conditional ? { 412: problem('If-Match does not match the current version') } : {}),
    ...(route.body ? { 413: problem('Body over 1 MB'), 415: problem(route.textBody ? `Body is neither JSON nor ${route.textBody}` : 'Body is not JSON') } : {}),
    ...(route.idempotent ? { 422: problem('Idempotency-Key reused with another body') } : {}),
  };
}

function operation(route: RouteContract) {
  const headers = [
    ...(route.idempotent ? [{ name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', maxLength: 255 } }] : []),
    ...(route.conditional ? [{ name: 'If-Match', in: 'header', required: false, schema: { type: 'string' } }] : []),
  ];
  return {
    operationId: operationId(route),
    summary: route.summary,
    tags: [route.tag],
    ...(route.access === 'public' ? { security: [] } : { 'x-talent-relay-role': route.access }),
    parameters: [...parameters(route), ...headers],
    ...(route.body
      ? {
          requestBody: {
            required: true,
            content: {
              'application/json': { schema: schemaOf(route.body, 'input') },
              ...(route.textBody ? { [route.textBody]: { schema: { type: 'string' } } } : {}),
            },
          },
        }
      : {}),
    responses: responses(route),
  };
}

/** The OpenAPI 3.1 document of every route in the manifest, from the same zod schemas the handlers validate with. */
export function buildOpenApi() {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const { route } of routes) (paths[route.path] ??= {})[route.method.toLowerCase()] = operation(route);
  return {
    openapi: '3.1.0',
    info: {
      title: 'Talent Relay API',
      version: '0.1.0',
      description: 'Candidate relationship management for recruiting teams. Roles: viewer (read), recruiter (write), admin (settings, erasure, audit).',
    },
    security: [{ bearer: [] }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: {
        Problem: {
          type: 'object',
          description: 'RFC 9457 problem details',
          required: ['type', 'title', 'status', 'detail'],
          properties: {
            type: { type: 'string' },
            title: { type: 'string' },
            status: { type: 'integer' },
            detail: { type: 'string' },
            errors: { type: 'array', items: { type: 'object', required: ['path', 'message'], properties: { path: { type: 'string' }, message: { type: 'string' } } } },
          },
        },
      },
    },
    paths,
  };
}
