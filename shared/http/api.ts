import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type {
  APIGatewayProxyEventV2WithJWTAuthorizer,
  APIGatewayProxyStructuredResultV2,
  Context,
} from 'aws-lambda';
import { recordAudit } from '../audit.ts';
import { config } from '../config.ts';
import { DomainError, Forbidden, NotFound, TooManyRequests, Unauthorized } from '../errors.ts';
import { takeRequest } from './rate-limit.ts';
import { logger, metrics } from '../observability.ts';
import { grants, roleFromClaims, type Role } from '../roles.ts';
import { idempotently } from './idempotency.ts';
import { problemOf, problemResponse } from './problem.ts';
import { parseRequest, type UploadedFile } from './request.ts';
import { routeKey, type BodyOf, type ParamsOf, type QueryOf, type RouteContract } from './route.ts';

export type HttpEvent = APIGatewayProxyEventV2WithJWTAuthorizer;
export type HttpResult = APIGatewayProxyStructuredResultV2;

/** Who is calling: the JWT subject and the strongest role its claims carry. */
export interface Actor {
  sub: string;
  role: Role;
  /** The user's email, when the token carries one (Cognito ID and access tokens with the email scope). */
  email?: string;
}

export interface HttpRequest<C extends RouteContract> {
  params: ParamsOf<C>;
  query: QueryOf<C>;
  body: BodyOf<C>;
  /** Lower-case header names. */
  headers: Record<string, string | undefined>;
  /** The file of a multipart form, on routes that take one. */
  file?: UploadedFile;
  /** The expected `version` from `If-Match`, on conditional routes. */
  ifMatch?: number;
  actor: C['access'] extends 'public' ? Actor | undefined : Actor;
  requestId: string;
}

export interface HttpReply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export const ok = (body: unknown, headers?: Record<string, string>): HttpReply => ({ status: 200, body, headers });
export const created = (body: unknown, headers?: Record<string, string>): HttpReply => ({ status: 201, body, headers });
export const noContent = (): HttpReply => ({ status: 204 });
/** A versioned resource, with its version as a strong ETag for `If-Match`. */
export const withVersion = (resource: { version: number }, status = 200): HttpReply => ({
  status,
  body: resource,
  headers: { etag: `"${resource.version}"` },
});

/** A public HTML page (behind an email link or a form): never cached, never indexed, never framed, no scripts. */
export const htmlPage = (status: number, html: string): HttpReply => ({
  status,
  body: html,
  headers: {
    'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'x-robots-tag': 'noindex',
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'", 'referrer-policy': 'no-referrer',
  },
});

export interface Endpoint {
  contract: RouteContract;
  handle(event: HttpEvent, context: Context): Promise<HttpResult>;
}

/** One route's handler: authorises, parses and validates, runs the implementation (idempotently if declared). */
export function endpoint<const C extends RouteContract>(
  contract: C,
  implementation: (request: HttpRequest<C>) => Promise<HttpReply>,
): Endpoint {
  const run = contract.idempotent ? idempotently(routeKey(contract), implementation) : implementation;
  return {
    contract,
    async handle(event, context) {
      const actor = authorise(contract, event);
      if (contract.access === 'public' && contract.rateLimit) {
        const wait = await takeRequest(routeKey(contract), event.requestContext.http.sourceIp, contract.rateLimit);
        if (wait) throw new TooManyRequests(wait);
      }
      const request = { ...(await parseRequest(contract, event)), actor, requestId: event.requestContext.requestId } as HttpRequest<C>;
      const reply = await run(request, context);
      if (contract.audit && reply.status < 300) await auditAccess(contract, request);
      return resultOf(reply);
    },
  };
}

const CANDIDATE_ID = /^cand_[0-9A-HJKMNP-TV-Z]{26}$/;

/** Who read or exported whom (GDPR Art. 5(2), 30). Recorded before the answer leaves: a read that cannot be audited fails. */
async function auditAccess(contract: RouteContract, request: HttpRequest<RouteContract>) {
  const candidateId = (request.params as { id?: unknown } | undefined)?.id;
  if (!contract.audit || !request.actor || typeof candidateId !== 'string' || !CANDIDATE_ID.test(candidateId)) return;
  await recordAudit({ actor: request.actor.sub, action: contract.audit, candidateId, detail: { route: routeKey(contract) } });
}

function authorise(contract: RouteContract, event: HttpEvent): Actor | undefined {
  const claims = event.requestContext.authorizer?.jwt?.claims;
  const sub = typeof claims?.sub === 'string' ? claims.sub : undefined;
  const role = claims ? roleFromClaims(claims) : undefined;
  if (contract.access === 'public') return sub && role ? { sub, role } : undefined;
  if (!sub) throw new Unauthorized('A bearer token is required.');
  if (!role) throw new Forbidden('The token carries no Talent Relay role.');
  if (!grants(role, contract.access)) throw new Forbidden(`This action needs the ${contract.access} role; the token has ${role}.`);
  return { sub, role, ...(typeof claims?.email === 'string' ? { email: claims.email.toLowerCase() } : {}) };
}

/** CORS only on public routes, and only for the configured site origins. */
function corsHeaders(contract: RouteContract, event: HttpEvent): Record<string, string> {
  const origin = event.headers?.origin;
  if (contract.access !== 'public' || !origin || !config.corsOrigins.includes(origin)) return {};
  return { 'access-control-allow-origin': origin, vary: 'Origin' };
}

function resultOf(reply: HttpReply): HttpResult {
  const headers = { ...reply.headers };
  if (reply.body === undefined) return { statusCode: reply.status, headers };
  if (typeof reply.body === 'string') return { statusCode: reply.status, headers, body: reply.body };
  return {
    statusCode: reply.status,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(reply.body),
  };
}

/** Succeeded / Rejected (a client's mistake) / Failed (ours): the counts worth an alarm. */
function countOutcome(status: number) {
  metrics.addMetric(status < 400 ? 'Succeeded' : status < 500 ? 'Rejected' : 'Failed', MetricUnit.Count, 1);
}

/**
 * Errors thrown anywhere below become RFC 9457 responses; unknown ones are logged and answer a bare 500.
 * Every response and log line carries API Gateway's request id, so a client's report can be traced.
 */
const httpResponses = (contractOf: (event: HttpEvent) => RouteContract | undefined): middy.MiddlewareObj<HttpEvent, HttpResult> => {
  const finish = (request: middy.Request<HttpEvent, HttpResult>) => {
    const response = request.response!;
    // Errors carry the CORS headers too, so a career-site form can show which field was wrong.
    const contract = contractOf(request.event);
    const cors = contract ? corsHeaders(contract, request.event) : {};
    response.headers = { ...cors, ...response.headers, 'x-request-id': request.event.requestContext.requestId };
    countOutcome(response.statusCode ?? 200);
  };
  return {
    before: async (request) => {
      logger.appendKeys({ requestId: request.event.requestContext.requestId, routeKey: request.event.routeKey });
    },
    after: async (request) => finish(request),
    onError: async (request) => {
      const { error } = request;
      if (!(error instanceof DomainError)) logger.error('Unhandled error', error as Error);
      request.response = problemResponse(problemOf(error), error instanceof TooManyRequests ? { 'retry-after': String(error.retryAfterSeconds) } : {});
      finish(request);
    },
  };
};

export type HttpHandler = middy.MiddyfiedHandler<HttpEvent, HttpResult> & { routes: string[] };

/** A Lambda entry point serving a group of routes, dispatched on API Gateway's `routeKey`. */
export function httpApi(...endpoints: Endpoint[]): HttpHandler {
  const byKey = new Map(endpoints.map((e) => [routeKey(e.contract), e]));
  const dispatch = async (event: HttpEvent, context: Context) => {
    const target = byKey.get(event.routeKey);
    if (!target) throw new NotFound(`No route ${event.routeKey}.`);
    return target.handle(event, context);
  };
  const handler = middy<HttpEvent, HttpResult>(dispatch)
    .use(injectLambdaContext(logger))
    .use(logMetrics(metrics))
    .use(httpResponses((event) => byKey.get(event.routeKey)?.contract));
  return Object.assign(handler, { routes: [...byKey.keys()] });
}
