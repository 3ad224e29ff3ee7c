import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { routes } from '../../infra/manifest.ts';
import { routeKey } from '../../shared/http/route.ts';
import { signToken, type TokenClaims } from '../../shared/tokens.ts';
import { signWebhook } from '../../shared/webhook-signature.ts';
import { aCandidateInput } from '../fixtures/builders.ts';
import { api, eventually } from './helpers.ts';

/**
 * Object-level access (OWASP API1) on the public surface. Talent Relay is single-tenant: one team's deployment, so the
 * object boundary is one person's records against another's. Person A holds genuine links to A's own records; nothing A
 * can make of them (another person's id under A's signature, a link of another kind, an expired one) reads or changes
 * anything of person B's.
 */

/** The local stack's link-signing key (infra/local/stack.ts): the tests stand in for the emails that carry the links. */
const LOCAL_SIGNING_KEY = 'talent-relay-local-link-signing-key';
type Use = TokenClaims['use'];

/** What each public route with a link token takes; a token route added later must be named here (a test says so). */
const tokenKinds: Record<string, Use> = {
  '/u/{token}': 'u',
  '/public/preferences/{token}': 'p',
  '/public/consents/{token}': 'r',
  '/public/confirm/{token}': 'c',
  '/public/privacy/confirm/{token}': 'q',
  '/public/privacy/files/{token}': 'x',
  '/public/rsvps/{token}': 'v',
  '/public/surveys/{token}': 's',
};
const kinds = [...new Set(Object.values(tokenKinds))];
const tokenRoutes = routes.map(({ route }) => route).filter((route) => route.access === 'public' && route.path.includes('{token}'));

const run = Date.now().toString(36);
let counter = 0;
const unique = (name: string) => `${name}-${run}-${++counter}`;
const inHours = (hours: number) => new Date(Date.now() + hours * 3_600_000).toISOString();
const inDays = (days: number) => Math.floor(Date.now() / 1000) + days * 86_400;

const sign = (use: Use, id: string, exp = inDays(7), key = LOCAL_SIGNING_KEY) => signToken({ use, candidateId: id, exp }, key);
const payloadOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString('utf8')) as [Use, string, string, number];
/** A's genuine token with B's id put in its payload, A's signature kept. */
function swapId(token: string, id: string): string {
  const [use, , campaignId, exp] = payloadOf(token);
  return `${Buffer.from(JSON.stringify([use, id, campaignId, exp])).toString('base64url')}.${token.split('.')[1]}`;
}

interface Mail { to: string[]; subject: string; text: string }
const mailTo = async (to: string) => ((await (await fetch(`${inject('apiUrl')}/_local/mail?to=${encodeURIComponent(to)}`)).json()) as { items: Mail[] }).items;
/** The id a link in someone's email carries (the payload of a link token is readable; only its signature is secret). */
async function linkedId(email: string, path: RegExp, subject?: string): Promise<string> {
  let id: string | undefined;
  await eventually(async () => {
    const mail = (await mailTo(email)).find((m) => (subject ? m.subject === subject : path.test(m.text)));
    const token = mail && path.exec(mail.text)?.[1];
    expect(token).toBeDefined();
    id = payloadOf(token!)[1];
  }, 30_000);
  return id!;
}

interface Person { id: string; email: string; firstName: string; lastName: string }
/** Every record a person can hold a link to, by the kind of link. */
type Records = Record<Use, string>;

async function aPerson(firstName: string): Promise<Person> {
  const input = aCandidateInput({ firstName, lastName: unique('Person'), consents: [{ purpose: 'marketing-email', granted: true }] });
  const created = await api('/candidates', { method: 'POST', body: input });
  expect(created.status).toBe(201);
  return { ...(created.body as { id: string }), email: input.email, firstName, lastName: input.lastName! };
}

/** One client address per purpose: the public routes count requests per address. */
let clients = 0;
const aClient = () => `198.19.${Math.floor(++clients / 250)}.${clients % 250}`;

async function publicCall(method: string, path: string, body?: { type: 'form' | 'json'; data: Record<string, unknown> }, client = aClient()) {
  const response = await fetch(`${inject('apiUrl')}${path}`, {
    method,
    redirect: 'manual',
    headers: {
      'x-forwarded-for': client,
      ...(body ? { 'content-type': body.type === 'form' ? 'application/x-www-form-urlencoded' : 'application/json' } : {}),
    },
    body: body ? (body.type === 'form' ? new URLSearchParams(body.data as Record<string, string>).toString() : JSON.stringify(body.data)) : undefined,
  });
  return { status: response.status, type: response.headers.get('content-type') ?? '', location: response.headers.get('location'), text: await response.text() };
}

/** What a person's link would ask for on each route if it were genuine: the strongest change the route makes. */
const actingBody = (method: string, path: string): { type: 'form' | 'json'; data: Record<string, unknown> } | undefined => {
  if (method !== 'POST') return undefined;
  if (path.startsWith('/u/')) return { type: 'form', data: { 'List-Unsubscribe': 'One-Click' } };
  if (path.startsWith('/public/preferences/')) return { type: 'form', data: { unsubscribeAll: 'on' } };
  if (path.startsWith('/public/surveys/')) return { type: 'json', data: { answers: { recommend: 0 } } };
  return { type: 'form', data: {} };
};

let a: Person;
let b: Person;
let aRecords: Records;
let bRecords: Records;
let eventId: string;
let surveyId: string;
/** B's genuine links: the control that a well-formed link of the right kind does work, so every refusal below is the forgery's. */
let bLinks: Record<Use, string>;
/** B's records as they were before any forged link was tried. */
let bBefore: Awaited<ReturnType<typeof stateOfB>>;

async function rsvp(person: Person) {
  const answer = await publicCall('POST', `/public/events/${eventId}/rsvps`, { type: 'json', data: { email: person.email, firstName: person.firstName, lastName: person.lastName } });
  expect(answer.status).toBe(201);
  return (JSON.parse(answer.text) as { id: string }).id;
}

async function privacyRequest(person: Person): Promise<string> {
  expect((await publicCall('POST', '/public/privacy/requests', { type: 'json', data: { email: person.email, type: 'erasure' } })).status).toBe(202);
  return linkedId(person.email, /\/public\/privacy\/confirm\/([\w.-]+)/);
}

async function signup(slug: string, email: string): Promise<string> {
  expect((await publicCall('POST', `/public/sites/${slug}/signups`, { type: 'form', data: { email, firstName: 'Sign', lastName: 'Up', consent: 'on' } })).status).toBe(202);
  return linkedId(email, /\/public\/confirm\/([\w.-]+)/);
}

/** What an attacker can see of B's records through B's own links and the team's API, compared before and after. */
async function stateOfB() {
  const [candidate, consents, attendees, requests, preferences, survey, signupPage] = await Promise.all([
    api(`/candidates/${b.id}`, { role: 'viewer' }),
    api(`/candidates/${b.id}/consents`, { role: 'viewer' }),
    api(`/events/${eventId}/attendees?limit=200`, { role: 'viewer' }),
    api('/privacy/requests?limit=200', { role: 'admin' }),
    publicCall('GET', `/public/preferences/${bLinks.p}`),
    publicCall('GET', `/public/surveys/${bLinks.s}`),
    publicCall('GET', `/public/confirm/${bLinks.c}`),
  ]);
  return {
    exists: candidate.status,
    consents: (consents.body as { items?: unknown[] }).items ?? consents.body,
    rsvp: (attendees.body as { items: { rsvpId: string; status: string }[] }).items.find((item) => item.rsvpId === bRecords.v)?.status,
    request: (requests.body as { items: { id: string; status: string }[] }).items.find((item) => item.id === bRecords.q)?.status,
    preferences: preferences.text,
    survey: survey.status,
    signup: signupPage.text.includes('Confirm your sign-up'),
  };
}

beforeAll(async () => {
  [a, b] = await Promise.all([aPerson('Alice'), aPerson('Bettina')]);

  const event = await api('/events', {
    method: 'POST',
    body: {
      title: unique('Career fair'), kind: 'career-fair', startsAt: inHours(24 * 6), endsAt: inHours(24 * 6 + 3), timeZone: 'Europe/Berlin',
      venue: { name: 'Hall 7', address: { street: 'Messedamm 22', city: 'Berlin', postalCode: '14055', country: 'DE' } }, capacity: 10,
    },
  });
  expect(event.status).toBe(201);
  eventId = (event.body as { id: string }).id;

  const survey = await api('/surveys', {
    method: 'POST',
    body: { name: unique('Experience'), title: unique('How was it'), questions: [{ id: 'recommend', type: 'nps', label: 'Would you recommend us?', required: true }], trigger: { on: 'manual' } },
  });
  expect(survey.status).toBe(201);
  surveyId = (survey.body as { id: string }).id;
  const surveyTitle = (survey.body as { title: string }).title;
  expect((await api(`/surveys/${surveyId}/sends`, { method: 'POST', body: { candidateIds: [a.id, b.id] } })).status).toBe(202);

  const pool = await api('/pools', { method: 'POST', body: { name: unique('community') } });
  expect(pool.status).toBe(201);
  const site = await api('/sites', {
    method: 'POST',
    body: {
      slug: unique('careers'), title: 'Careers', heroText: 'Join us.', jobs: {},
      signup: { fields: [], poolId: (pool.body as { id: string }).id, consentText: 'Keep my details to tell me about jobs.', consentVersion: 'v1' },
    },
  });
  expect(site.status).toBe(201);
  const { id: siteId, slug } = site.body as { id: string; slug: string };
  expect((await api(`/sites/${siteId}/publish`, { method: 'POST' })).status).toBe(200);

  const [aRsvp, bRsvp, aRequest, bRequest, aInvitation, bInvitation, aSignup, bSignup] = await Promise.all([
    rsvp(a), rsvp(b), privacyRequest(a), privacyRequest(b),
    linkedId(a.email, /\/public\/surveys\/([\w.-]+)/, surveyTitle), linkedId(b.email, /\/public\/surveys\/([\w.-]+)/, surveyTitle),
    signup(slug, `signup.a.${run}@example.com`), signup(slug, `signup.b.${run}@example.com`),
  ]);
  // No export exists for either person: the file links name the keys an export would have.
  aRecords = { u: a.id, p: a.id, r: a.id, c: aSignup, q: aRequest, x: `exports/${a.id}/export.json`, v: aRsvp, s: aInvitation };
  bRecords = { u: b.id, p: b.id, r: b.id, c: bSignup, q: bRequest, x: `exports/${b.id}/export.json`, v: bRsvp, s: bInvitation };
  bLinks = Object.fromEntries(kinds.map((use) => [use, sign(use, bRecords[use])])) as Record<Use, string>;
  bBefore = await stateOfB();
}, 180_000);

describe('link tokens on the public routes', () => {
  it('are all of a kind this test knows, so a token route added later is covered here too', () => {
    expect(tokenRoutes.filter((route) => !(route.path in tokenKinds)).map(routeKey)).toEqual([]);
  });

  it('work for their own person when genuine: B\'s links open B\'s pages (the control for every refusal below)', async () => {
    const pages = await Promise.all(
      (['u', 'p', 'r', 'c', 'q', 'v', 's'] as const).map(async (use) => {
        const path = Object.keys(tokenKinds).find((p) => tokenKinds[p] === use)!.replace('{token}', bLinks[use]);
        return [use, (await publicCall('GET', path)).status] as const;
      }),
    );
    expect(Object.fromEntries(pages)).toEqual({ u: 200, p: 200, r: 200, c: 200, q: 200, v: 200, s: 200 });
  });

  describe.concurrent('never let A reach B', () => {
    /** Every token A could make for B's record behind a route: B's id under A's signature, any other kind, expired, another key. */
    const forgeries = (use: Use): [string, () => string][] => [
      ["A's genuine link with B's id swapped in", () => swapId(sign(use, aRecords[use]), bRecords[use])],
      ...kinds.filter((other) => other !== use).map((other): [string, () => string] => [`a genuine '${other}' link naming B's record`, () => sign(other, bRecords[use])]),
      ["B's link, expired", () => sign(use, bRecords[use], inDays(-1))],
      ["B's link signed with another key", () => sign(use, bRecords[use], inDays(7), randomBytes(32).toString('hex'))],
    ];

    it.each(tokenRoutes.map((route) => [routeKey(route), route] as const))('%s refuses every forged link to B\'s record, saying nothing about B', async (_, route) => {
      const use = tokenKinds[route.path]!;
      const client = aClient();
      for (const [what, forge] of forgeries(use)) {
        const answer = await publicCall(route.method, route.path.replace('{token}', forge()), actingBody(route.method, route.path), client);
        expect({ what, status: answer.status, refused: answer.status >= 400 && answer.status < 500 && answer.status !== 429 }).toMatchObject({ what, refused: true });
        if (!answer.type.startsWith('text/html')) expect({ what, type: answer.type }).toEqual({ what, type: 'application/problem+json' });
        for (const secret of [b.email, b.lastName, b.id, bRecords[use]]) expect(answer.text, `${what} reveals ${secret}`).not.toContain(secret);
      }
    });
  });

  it('leave B\'s records as they were: not unsubscribed, consents, preferences, RSVP, survey, sign-up and erasure request untouched', async () => {
    expect(bBefore).toMatchObject({ exists: 200, rsvp: 'confirmed', request: 'awaiting-confirmation', survey: 200, signup: true });
    expect(await stateOfB()).toEqual(bBefore);
    // Not suppressed: removing B from the suppression list finds nothing to remove.
    expect((await api(`/suppressions/${encodeURIComponent(b.email)}`, { method: 'DELETE', role: 'admin' })).status).toBe(404);
  });
});

describe('privacy actions on a person', () => {
  it.each(['viewer', 'recruiter'] as const)('are refused to a %s: no export, no erasure, 403 problem+json', async (role) => {
    for (const [method, path] of [['GET', `/candidates/${b.id}/export`], ['DELETE', `/candidates/${b.id}`]] as const) {
      const answer = await api(path, { method, role });
      expect({ method, status: answer.status, type: answer.headers.get('content-type') }).toEqual({ method, status: 403, type: 'application/problem+json' });
    }
    expect((await api(`/candidates/${b.id}`, { role: 'viewer' })).status).toBe(200);
    expect((await api(`/privacy/erasures/${b.id}`, { role: 'admin' })).status).toBe(404);
  });
});

describe('ATS connections', () => {
  it('take events signed with their own secret only: another connection\'s secret gets the same 401 as an unknown connection', async () => {
    const connect = async (name: string) => {
      const created = await api('/integrations/ats', { method: 'POST', role: 'admin', body: { name: unique(name), format: 'native' } });
      expect(created.status).toBe(201);
      return created.body as { id: string; secret: string };
    };
    const [mine, theirs] = await Promise.all([connect('ours'), connect('theirs')]);
    const email = `ats.${run}@example.com`;
    const body = JSON.stringify({
      eventId: unique('evt'), occurredAt: new Date().toISOString(),
      candidate: { externalId: unique('person'), email, firstName: 'Ada', lastName: 'Lovelace' }, application: { requisitionId: unique('REQ'), status: 'applied' },
    });
    const deliver = (connectionId: string, secret: string) =>
      api(`/public/integrations/ats/${connectionId}/events`, {
        method: 'POST', token: null, rawBody: body, headers: { 'content-type': 'application/json', 'x-talentrelay-signature': signWebhook(secret, body, Math.floor(Date.now() / 1000)), 'x-forwarded-for': aClient() },
      });

    const crossed = await deliver(theirs.id, mine.secret);
    const unknown = await deliver(`ats_${'0'.repeat(26)}`, mine.secret);
    expect({ status: crossed.status, type: crossed.headers.get('content-type') }).toEqual({ status: 401, type: 'application/problem+json' });
    expect({ ...(crossed.body as object), instance: undefined }).toEqual({ ...(unknown.body as object), instance: undefined });
    expect(((await api(`/candidates?q=${encodeURIComponent(email)}`, { role: 'viewer' })).body as { items: unknown[] }).items).toEqual([]);
  });
});
