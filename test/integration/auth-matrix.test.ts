import { randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';
import { describe, expect, inject, it } from 'vitest';
import * as z from 'zod';
import { LOCAL_AUDIENCE, LOCAL_ISSUER } from '../../infra/local/jwt.ts';
import { routes } from '../../infra/manifest.ts';
import { routeKey, type RouteContract } from '../../shared/http/route.ts';
import { newId } from '../../shared/ids.ts';
import { grants, roles, type Access, type Role } from '../../shared/roles.ts';
import { tokenFor } from './helpers.ts';

/**
 * The authorisation matrix, generated from the wiring manifest: every route, every way of calling it without the
 * right to, and every role. A route added later is covered without editing this file.
 */

const run = Date.now().toString(36);
const accessLevels: readonly Access[] = [...roles, 'public'];
const isPublic = (route: RouteContract) => route.access === 'public';

/**
 * A value the route's own schema accepts for a path parameter but that names nothing stored: a fresh prefixed id where
 * the schema wants one, else a plain word. Nothing real is read or changed.
 */
function unknownValue(schema: z.ZodType, name: string): string {
  let pattern: string | undefined;
  try {
    pattern = (z.toJSONSchema(schema, { unrepresentable: 'any' }) as { pattern?: string }).pattern;
  } catch {
    pattern = undefined;
  }
  const prefix = pattern && /^\^(\w+?)_/.exec(pattern)?.[1];
  const candidates = [...(prefix ? [newId(prefix)] : []), `unknown-${name}-${run}`.toLowerCase(), `nobody.${run}@example.invalid`];
  const value = candidates.find((candidate) => schema.safeParse(candidate).success);
  if (!value) throw new Error(`No sample value fits the {${name}} parameter: add one that its schema accepts.`);
  return value;
}

const samples = new Map<string, string>();
/** One unknown value per route and parameter, the same each time it is asked for. */
function sampled(route: RouteContract, name: string): string {
  const key = `${routeKey(route)} ${name}`;
  if (!samples.has(key)) {
    const schema = route.params?.shape[name] as z.ZodType | undefined;
    samples.set(key, schema ? unknownValue(schema, name) : `unknown-${name}`);
  }
  return samples.get(key)!;
}

const samplePath = (route: RouteContract) => route.path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(sampled(route, name)));

/**
 * A request the route refuses at its edge (an invalid path parameter, or a body of a type it does not take), so a
 * burst of them costs the function nothing past the rate limit, which counts every request before validation.
 */
function malformedRequest(route: RouteContract): { path: string; body?: string } {
  const params = Object.entries((route.params?.shape ?? {}) as Record<string, z.ZodType>);
  for (const [name, schema] of params) {
    const invalid = ['!', 'x'.repeat(401)].find((value) => !schema.safeParse(value).success);
    if (invalid) return { path: samplePath(route).replace(encodeURIComponent(sampled(route, name)), encodeURIComponent(invalid)) };
  }
  return route.body ? { path: samplePath(route), body: 'not a form' } : { path: samplePath(route) };
}

interface Answer {
  status: number;
  type: string;
  /** Set by the function's middleware: the request reached the function (API Gateway's own answers lack it). */
  requestId: string | null;
  retryAfter: string | null;
  body: unknown;
}

async function call(route: RouteContract, path: string, options: { token?: string; client?: string; body?: string } = {}): Promise<Answer> {
  const response = await fetch(`${inject('apiUrl')}${path}`, {
    method: route.method,
    headers: {
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...(options.client ? { 'x-forwarded-for': options.client } : {}),
      ...(options.body !== undefined ? { 'content-type': 'text/plain' } : {}),
    },
    body: options.body,
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // a page or a file: keep the text
  }
  return {
    status: response.status,
    type: response.headers.get('content-type') ?? '',
    requestId: response.headers.get('x-request-id'),
    retryAfter: response.headers.get('retry-after'),
    body,
  };
}

const mint = async (request: { role: Role; expiresIn?: string; audience?: string; issuer?: string }): Promise<string> => {
  const response = await fetch(`${inject('apiUrl')}/_local/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(request) });
  expect(response.status).toBe(200);
  return ((await response.json()) as { token: string }).token;
};

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
/** The claims of a genuine admin token: only the thing under test is wrong in each refused token. */
const adminClaims = { 'cognito:groups': ['admin'], 'custom:role': 'admin', email: 'admin@talent-relay.local', token_use: 'id', sub: 'intruder' };

/** Tokens the authorizer must refuse, each claiming the strongest role, so letting one through would grant everything. */
const refusedTokens: Promise<[string, string][]> = (async () => {
  const now = Math.floor(Date.now() / 1000);
  return [
    ['an expired token', await mint({ role: 'admin', expiresIn: '-1h' })],
    ['a token for another audience', await mint({ role: 'admin', audience: 'another-app-client' })],
    ['a token from another issuer', await mint({ role: 'admin', issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Another' })],
    [
      'a token signed by another key',
      await new SignJWT(adminClaims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setIssuer(LOCAL_ISSUER).setAudience(LOCAL_AUDIENCE).setIssuedAt().setExpirationTime('1h').sign(randomBytes(32)),
    ],
    ['an unsigned token (alg: none)', `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({ ...adminClaims, iss: LOCAL_ISSUER, aud: LOCAL_AUDIENCE, iat: now, exp: now + 3600 })}.`],
  ];
})();

const privateRoutes = routes.filter(({ route }) => !isPublic(route));
const publicRoutes = routes.filter(({ route }) => isPublic(route));

describe('every route in the manifest', () => {
  it('declares who may call it: one of the roles, or public', () => {
    const undeclared = routes.filter(({ route }) => !accessLevels.includes(route.access)).map(({ route }) => routeKey(route));
    expect(undeclared).toEqual([]);
    expect(privateRoutes.length + publicRoutes.length).toBe(routes.length);
  });

  it('is public only with a per-client rate limit, unless its function touches nothing (the API-wide throttle covers it)', () => {
    const unprotected = publicRoutes.filter(({ route, fn }) => !route.rateLimit && Object.keys(fn.permissions).length > 0).map(({ route }) => routeKey(route));
    expect(unprotected).toEqual([]);
  });
});

describe.concurrent('a private route', () => {
  it.each(privateRoutes.map(({ route }) => [routeKey(route), route.access, route] as const))(
    '%s (%s) answers API Gateway\'s 401 to a missing, expired, foreign, wrong-audience, wrong-issuer or unsigned token; 403 to a weaker role',
    async (_, access, route) => {
      const path = samplePath(route);
      const refused: [string, string | undefined][] = [['no token', undefined], ...(await refusedTokens)];
      for (const [what, token] of refused) {
        const answer = await call(route, path, { token });
        expect({ what, status: answer.status, body: answer.body, reachedFunction: answer.requestId !== null }).toEqual({
          what, status: 401, body: { message: 'Unauthorized' }, reachedFunction: false,
        });
      }
      for (const role of roles) {
        const answer = await call(route, path, { token: await tokenFor(role) });
        if (grants(role, access as Role)) {
          // Let in: whatever the function makes of an unknown id or a missing body, it is not an auth refusal.
          expect({ role, status: answer.status, refused: answer.status === 401 || answer.status === 403 }).toMatchObject({ role, refused: false });
          if (answer.status >= 400) expect({ role, status: answer.status, type: answer.type }).toMatchObject({ role, type: 'application/problem+json' });
        } else {
          expect({ role, status: answer.status, type: answer.type, problemStatus: (answer.body as { status?: number }).status }).toEqual({
            role, status: 403, type: 'application/problem+json', problemStatus: 403,
          });
        }
      }
    },
  );
});

/**
 * The function counts each client's requests in ten-second windows (shared/http/rate-limit.ts): one window lets through
 * at most the burst plus ten seconds at the rate.
 */
const WINDOW_SECONDS = 10;

interface Burst {
  admitted: number;
  refused?: Answer;
}

/**
 * Sends `count` malformed requests at once, at the start of a counting window, so the window's limit is met however
 * slow the machine is: a client cannot dodge the limit with requests the route refuses anyway.
 */
async function burstInOneWindow(route: RouteContract, client: string, count: number): Promise<Burst> {
  const windowMs = WINDOW_SECONDS * 1000;
  const { path, body } = malformedRequest(route);
  await new Promise((resolve) => setTimeout(resolve, windowMs - (Date.now() % windowMs) + 50));
  const answers = await Promise.all(Array.from({ length: count }, () => call(route, path, { client, body })));
  return { admitted: answers.filter((answer) => answer.status !== 429).length, refused: answers.find((answer) => answer.status === 429) };
}

/** A client address of its own per route and purpose: the rate limits count per address, so no test disturbs another. */
const clientAddress = (block: number, index: number) => `198.18.${block}.${index}`;

const rateLimited = publicRoutes.flatMap(({ route }, index) => (route.rateLimit ? [[routeKey(route), route, route.rateLimit, index] as const] : []));

describe.concurrent('a public route', () => {
  it.each(publicRoutes.map(({ route }, index) => [routeKey(route), route, index] as const))('%s answers without a token', async (_, route, index) => {
    const answer = await call(route, samplePath(route), { client: clientAddress(1, index) });
    // The function answered, not the authorizer, and did not refuse the anonymous caller (a 401 from the function
    // itself is its verdict on a link token, not on the caller).
    expect({ status: answer.status, reachedFunction: answer.requestId !== null, refused: answer.status === 403 }).toMatchObject({ reachedFunction: true, refused: false });
  });
});

// One route at a time: each burst needs the whole machine to land inside one counting window.
describe('a rate-limited public route', () => {
  it.each(rateLimited)(
    '%s refuses a client that bursts past its declared limit with 429 problem+json and Retry-After, and still serves others',
    async (_, route, { rps, burst }, index) => {
      const client = clientAddress(2, index);
      let outcome: Burst | undefined;
      // A machine under load may spread one burst over two windows; another window's burst then shows the limit.
      for (let attempt = 0; attempt < 3 && !outcome?.refused; attempt++) outcome = await burstInOneWindow(route, client, burst + rps * WINDOW_SECONDS + 5);
      const { admitted, refused } = outcome!;
      expect(refused, `no 429 after ${admitted} requests`).toBeDefined();
      expect(admitted).toBeGreaterThanOrEqual(burst);
      expect({ type: refused!.type, problemStatus: (refused!.body as { status?: number }).status }).toEqual({ type: 'application/problem+json', problemStatus: 429 });
      expect(Number(refused!.retryAfter)).toBeGreaterThanOrEqual(1);

      // Per client: someone else is still served.
      expect((await call(route, samplePath(route), { client: clientAddress(3, index) })).status).not.toBe(429);
    },
    // Up to three bursts, each waiting for a window to start.
    180_000,
  );
});
