import * as z from 'zod';
import { PROBLEM_CONTENT_TYPE } from '../shared/http/problem.ts';
import type { RouteContract } from '../shared/http/route.ts';
import { routes } from './manifest.ts';
import * as candidateSchemas from '../functions/candidates/schemas.ts';
import * as campaignSchemas from '../functions/campaigns/schemas.ts';

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

/**
 * Named components: every exported object schema of the contexts whose JSON Schema appears in an operation becomes
 * `#/components/schemas/<Name>` and is referenced there, so clients get named types and the document stays small.
 */
function namedComponents(paths: Record<string, unknown>) {
  const named = new Map<string, { name: string; json: JsonSchema }>();
  for (const [name, schema] of Object.entries({ ...candidateSchemas, ...campaignSchemas })) {
    if (!(schema instanceof z.ZodType) || !['object', 'union', 'pipe'].includes(schema.def.type)) continue;
    // A schema reads differently as a request (defaults optional) and as a response: the request form is `<Name>Input`.
    const output = schemaOf(schema, 'output');
    const input = schemaOf(schema, 'input');
    const same = JSON.stringify(output) === JSON.stringify(input);
    for (const [json, component] of [[output, name], [input, same ? name : `${name}Input`]] as const) {
      const key = JSON.stringify(json);
      if (key.length >= 300 && !named.has(key)) named.set(key, { name: component, json });
    }
  }
  const used = new Map<string, JsonSchema>();
  const replace = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(replace);
    if (!value || typeof value !== 'object') return value;
    const match = named.get(JSON.stringify(value));
    if (match) {
      used.set(match.name, match.json);
      return { $ref: `#/components/schemas/${match.name}` };
    }
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replace(v)]));
  };
  const replaced = replace(paths) as Record<string, Record<string, unknown>>;
  // Components refer to each other too (a page to its items); repeat until no new component is used.
  const schemas = new Map<string, unknown>();
  while (schemas.size < used.size) {
    for (const [name, json] of [...used]) {
      if (!schemas.has(name)) schemas.set(name, Object.fromEntries(Object.entries(json).map(([k, v]) => [k, replace(v)])));
    }
  }
  return { paths: replaced, schemas: Object.fromEntries([...schemas].sort(([a], [b]) => a.localeCompare(b))) };
}

/** The OpenAPI 3.1 document of every route in the manifest, from the same zod schemas the handlers validate with. */
export function buildOpenApi() {
  const operations: Record<string, Record<string, unknown>> = {};
  for (const { route } of routes) (operations[route.path] ??= {})[route.method.toLowerCase()] = operation(route);
  const { paths, schemas } = namedComponents(operations);
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
        ...schemas,
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
