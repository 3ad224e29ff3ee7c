import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { problemOf, problemResponse } from '../../shared/http/problem.ts';
import { routeCeiling, routeKey, type RouteContract } from '../../shared/http/route.ts';
import { InvalidInput, NotFound } from '../../shared/errors.ts';
import { roles, type Role } from '../../shared/roles.ts';
import type { FunctionSpec } from '../manifest.ts';
import type { LocalIssuer, TokenOptions } from './jwt.ts';
import { invoke } from './lambda.ts';
import { readBody } from './net.ts';
import { Fault } from './faults.ts';
import { fieldErrors } from '../../shared/http/request.ts';
import * as z from 'zod';
import type { InjectedSesEvent } from './mail.ts';

/** API Gateway HTTP API refuses bodies over 10 MB before any Lambda runs. */
const API_GATEWAY_MAX_BODY = 10 * 1024 * 1024;
const TEXT_TYPES = /^(text\/|application\/([\w.+-]*\+)?(json|xml|x-www-form-urlencoded)|multipart\/form-data)/i;

interface CompiledRoute {
  route: RouteContract;
  fn: FunctionSpec;
  pattern: RegExp;
  params: string[];
}

function compile(route: RouteContract, fn: FunctionSpec): CompiledRoute {
  const params: string[] = [];
  const source = route.path.replace(/\./g, '\\.').replace(/\{(\w+)\}/g, (_, name: string) => {
    params.push(name);
    return '([^/]+)';
  });
  return { route, fn, pattern: new RegExp(`^${source}$`), params };
}

/** Local-only routes: never in the manifest, so never deployed (a test proves it). */
export interface LocalRoutes {
  token(role: Role, options?: TokenOptions): Promise<string>;
  mail(to?: string): Promise<unknown[]>;
  fault(fault: Fault): void;
  /** By function, by the scope they were armed with (`when`), or all. */
  clearFaults(fn?: string, when?: string): void;
  /** The armed faults: those without a scope, or those of one scope (`when`). */
  faults(when?: string): unknown[];
  /** Runs a scheduled function now; false when no schedule has that name. */
  runSchedule(name: string): Promise<unknown | false>;
  /** Publishes an SES event for a sent message; false when no message has that id. */
  sesEvent(event: InjectedSesEvent): boolean;
  /** Delivers a raw RFC 822 message to the reply address, as SES receiving would. */
  inbound(raw: Buffer): Promise<string>;
}

const SesEvent = z.strictObject({
  messageId: z.string().min(1),
  eventType: z.enum(['Send', 'Delivery', 'Open', 'Click', 'Bounce', 'Complaint', 'Reject', 'DeliveryDelay', 'Rendering Failure']),
  open: z.record(z.string(), z.unknown()).optional(),
  click: z.record(z.string(), z.unknown()).optional(),
  bounce: z.record(z.string(), z.unknown()).optional(),
  complaint: z.record(z.string(), z.unknown()).optional(),
});

/** A token as the user pool mints it, or (for the authorization tests) one the authorizer must refuse. */
const TokenRequest = z.strictObject({
  role: z.enum(roles),
  expiresIn: z.string().regex(/^-?\d+[smhd]$/).optional(),
  audience: z.string().min(1).optional(),
  issuer: z.string().min(1).optional(),
});

export interface RateLimiter {
  /** Seconds to wait, or 0 when the request may pass. */
  take(key: string, limit: { rps: number; burst: number }): number;
}

/** Token buckets per route, as API Gateway throttles routes in AWS (all callers together). */
export function rateLimiter(): RateLimiter {
  const buckets = new Map<string, { tokens: number; at: number }>();
  return {
    take(key, { rps, burst }) {
      const now = Date.now() / 1000;
      const bucket = buckets.get(key) ?? { tokens: burst, at: now };
      bucket.tokens = Math.min(burst, bucket.tokens + (now - bucket.at) * rps);
      bucket.at = now;
      buckets.set(key, bucket);
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return 0;
      }
      return Math.max(1, Math.ceil((1 - bucket.tokens) / rps));
    },
  };
}

function send(response: ServerResponse, result: APIGatewayProxyStructuredResultV2) {
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(result.headers ?? {})) headers[name] = String(value);
  if (result.cookies?.length) headers['set-cookie'] = result.cookies;
  response.writeHead(result.statusCode ?? 200, headers);
  response.end(result.body === undefined ? undefined : Buffer.from(result.body, result.isBase64Encoded ? 'base64' : 'utf8'));
}

const json = (statusCode: number, body: unknown): APIGatewayProxyStructuredResultV2 => ({
  statusCode,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

/** The API Gateway HTTP API stand-in: the manifest's routes, the JWT authorizer, payload format 2.0. */
export function localHttpApi(options: { functions: readonly FunctionSpec[]; issuer: LocalIssuer; local: LocalRoutes; log: (line: string) => void }) {
  // Literal segments win over parameters, as in API Gateway: /candidates/duplicates before /candidates/{id}.
  const routes = options.functions.flatMap((fn) => (fn.routes ?? []).map((route) => compile(route, fn))).sort((a, b) => a.params.length - b.params.length);
  const limiter = rateLimiter();

  function match(method: string, path: string) {
    for (const compiled of routes) {
      if (compiled.route.method !== method) continue;
      const found = compiled.pattern.exec(path);
      if (found) return { ...compiled, values: Object.fromEntries(compiled.params.map((name, i) => [name, found[i + 1]!])) };
    }
    return undefined;
  }

  async function localRoute(method: string, url: URL, body: Buffer): Promise<APIGatewayProxyStructuredResultV2 | undefined> {
    if (method === 'POST' && url.pathname === '/_local/token') {
      const parsed = TokenRequest.safeParse(JSON.parse(body.toString('utf8') || '{}'));
      if (!parsed.success) throw new InvalidInput(`role must be one of ${roles.join(', ')}.`, fieldErrors('body', parsed.error));
      const { role, ...claims } = parsed.data;
      return json(200, { token: await options.local.token(role, claims) });
    }
    if (url.pathname === '/_local/faults' && method === 'GET') return json(200, { items: options.local.faults(url.searchParams.get('when') ?? undefined) });
    if (url.pathname === '/_local/faults' && (method === 'POST' || method === 'DELETE')) {
      if (method === 'DELETE') options.local.clearFaults(url.searchParams.get('function') ?? undefined, url.searchParams.get('when') ?? undefined);
      else {
        const parsed = Fault.safeParse(JSON.parse(body.toString('utf8') || '{}'));
        if (!parsed.success) throw new InvalidInput('The fault is not valid.', fieldErrors('body', parsed.error));
        options.local.fault(parsed.data);
      }
      return { statusCode: 204 };
    }
    if (method === 'GET' && url.pathname === '/_local/mail') return json(200, { items: await options.local.mail(url.searchParams.get('to') ?? undefined) });
    if (method === 'POST' && url.pathname === '/_local/ses-events') {
      const parsed = SesEvent.safeParse(JSON.parse(body.toString('utf8') || '{}'));
      if (!parsed.success) throw new InvalidInput('The SES event is not valid.', fieldErrors('body', parsed.error));
      if (!options.local.sesEvent(parsed.data)) throw new NotFound(`No message ${parsed.data.messageId} was sent.`);
      return { statusCode: 202 };
    }
    if (method === 'POST' && url.pathname === '/_local/inbound') {
      if (!body.length) throw new InvalidInput('Send the raw RFC 822 message as the body.', [{ path: 'body', message: 'empty' }]);
      return json(202, { key: await options.local.inbound(body) });
    }
    const schedule = /^\/_local\/schedules\/([^/]+)\/run$/.exec(url.pathname);
    if (method === 'POST' && schedule) {
      const name = decodeURIComponent(schedule[1]!);
      const result = await options.local.runSchedule(name);
      if (result === false) throw new NotFound(`There is no schedule named ${name}.`);
      return json(200, { schedule: name, result });
    }
    return undefined;
  }

  async function handle(request: IncomingMessage): Promise<APIGatewayProxyStructuredResultV2> {
    const method = request.method ?? 'GET';
    const url = new URL(request.url ?? '/', 'http://localhost');
    let body: Buffer;
    try {
      body = await readBody(request, API_GATEWAY_MAX_BODY);
    } catch {
      return json(413, { message: 'Request Entity Too Large' });
    }
    if (url.pathname.startsWith('/_local/')) {
      try {
        return (await localRoute(method, url, body)) ?? json(404, { message: 'Not Found' });
      } catch (error) {
        return problemResponse(problemOf(error instanceof SyntaxError ? new InvalidInput('The body is not valid JSON.') : error));
      }
    }

    const target = match(method, url.pathname);
    if (!target) return json(404, { message: 'Not Found' });

    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers)) {
      if (value !== undefined && name !== 'cookie') headers[name] = Array.isArray(value) ? value.join(',') : value;
    }
    // Locally every caller is 127.0.0.1: a test that needs to be another client says so with X-Forwarded-For.
    const sourceIp = headers['x-forwarded-for']?.split(',')[0]?.trim() || (request.socket.remoteAddress ?? '127.0.0.1');
    let claims: Record<string, string> | undefined;
    if (target.route.access !== 'public') {
      const token = /^Bearer\s+(.+)$/i.exec(headers.authorization ?? '')?.[1];
      claims = token ? await options.issuer.verify(token) : undefined;
      if (!claims) return json(401, { message: 'Unauthorized' });
    } else if (target.route.rateLimit) {
      // API Gateway's route throttle counts every caller together; per-client limits are the function's.
      const ceiling = routeCeiling(target.route.rateLimit);
      const wait = limiter.take(routeKey(target.route), { rps: ceiling.ThrottlingRateLimit, burst: ceiling.ThrottlingBurstLimit });
      if (wait) {
        return problemResponse(
          { type: 'urn:talent-relay:problem:too-many-requests', title: 'Too many requests', status: 429, detail: `Slow down: retry in ${wait} s.` },
          { 'retry-after': String(wait) },
        );
      }
    }

    const query: Record<string, string> = {};
    for (const [name, value] of url.searchParams) query[name] = name in query ? `${query[name]},${value}` : value;
    const isText = body.length === 0 || TEXT_TYPES.test(headers['content-type'] ?? 'application/json');
    const event: APIGatewayProxyEventV2WithJWTAuthorizer = {
      version: '2.0',
      routeKey: routeKey(target.route),
      rawPath: url.pathname,
      rawQueryString: url.search.slice(1),
      cookies: request.headers.cookie?.split(/;\s*/),
      headers,
      queryStringParameters: Object.keys(query).length ? query : undefined,
      pathParameters: Object.keys(target.values).length ? target.values : undefined,
      body: body.length ? body.toString(isText ? 'utf8' : 'base64') : undefined,
      isBase64Encoded: !isText,
      requestContext: {
        accountId: '000000000000',
        apiId: 'local',
        domainName: url.host,
        domainPrefix: 'local',
        requestId: randomUUID(),
        routeKey: routeKey(target.route),
        stage: '$default',
        time: new Date().toUTCString(),
        timeEpoch: Date.now(),
        http: { method, path: url.pathname, protocol: `HTTP/${request.httpVersion}`, sourceIp, userAgent: headers['user-agent'] ?? '' },
        authorizer: (claims ? { principalId: '', integrationLatency: 0, jwt: { claims, scopes: [] } } : undefined) as never,
      },
    };
    try {
      return (await invoke(target.fn, event)) as APIGatewayProxyStructuredResultV2;
    } catch (error) {
      // What API Gateway answers when the integration itself fails.
      options.log(`${target.fn.name} threw: ${(error as Error).stack}`);
      return json(500, { message: 'Internal Server Error' });
    }
  }

  return createServer((request, response) => {
    handle(request).then(
      (result) => send(response, result),
      (error: Error) => {
        options.log(`local API failed: ${error.stack}`);
        send(response, json(500, { message: 'Internal Server Error' }));
      },
    );
  });
}
