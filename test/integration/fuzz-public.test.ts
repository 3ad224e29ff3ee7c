import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { routes } from '../../infra/manifest.ts';
import { signToken } from '../../shared/tokens.ts';
import { signWebhook } from '../../shared/webhook-signature.ts';
import { aCandidateInput } from '../fixtures/builders.ts';
import { clientAddress, FUZZ_SEED, hostilePathSegment, hostileText, injections, mutate, unicodeEdges } from '../fuzz/arbitraries.ts';
import { expectWellFormed, markerOf, markersIn, sendPaced, storedMarkers, type RawAnswer, type RawRequest } from '../fuzz/answers.ts';
import { bodyCase, encode, type BodyCase, type FormFile, type Transport } from '../fuzz/bodies.ts';
import { api, eventually } from './helpers.ts';

/** The local stack's link-signing key (infra/local/stack.ts): mints links as the emails carry them. */
const LOCAL_SIGNING_KEY = 'talent-relay-local-link-signing-key';
/** Runs per body route (FUZZ_RUNS for a deeper run): sized for about two minutes on two idle cores. */
const RUNS = Number(process.env.FUZZ_RUNS ?? 40);

const baseUrl = () => inject('apiUrl');
const run = Date.now().toString(36);
/** Every request is its own client (X-Forwarded-For): the per-client limit is not under test here. */
let requestIndex = Math.floor(Math.random() * 8_000_000);
const nextClient = () => clientAddress(++requestIndex);

/** What each generated request was answered, by its marker: checked against what was stored. */
const rejected = new Set<number>();
const trapped = new Set<number>();
const generated = new Map<string, number>();
let markerCount = 0;

interface Fixtures {
  siteSlug: string;
  jobId: string;
  eventId: string;
  surveyLinks: string[];
  preferencesToken: string;
  unsubscribeToken: string;
  renewToken: string;
  ats: { id: string; secret: string; requisitionId: string };
}
let fx: Fixtures;

const inAYear = () => new Date(Date.now() + 365 * 86_400_000).toISOString();
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();
const mailbox = async (to?: string) =>
  ((await (await fetch(`${baseUrl()}/_local/mail${to ? `?to=${encodeURIComponent(to)}` : ''}`)).json()) as { items: { to: string[]; subject: string; text?: string; html?: string; headers: Record<string, string> }[] }).items;

async function created(path: string, body: unknown, role: 'recruiter' | 'admin' = 'recruiter') {
  const response = await api(path, { method: 'POST', body, role });
  expect(response.status, `${path}: ${JSON.stringify(response.body)}`).toBe(201);
  return response.body as Record<string, any>;
}

beforeAll(async () => {
  const pool = await created('/pools', { name: `fuzz community ${run}` });
  const site = await created('/sites', {
    slug: `fuzz-careers-${run}`, title: 'Fuzz careers', heroText: 'Join us.', faq: [{ question: 'Do you sponsor visas?', answer: 'Yes.' }],
    signup: { fields: ['phone', 'location', 'headline', 'linkedin', 'skills'], consentText: 'You may email me about jobs.', consentVersion: 'v1', poolId: pool.id },
  });
  expect((await api(`/sites/${site.id}/publish`, { method: 'POST' })).status).toBe(200);
  const requisitionId = `FUZZ-${run}`;
  const job = await created('/jobs', { title: 'Fuzz Engineer', description: '<p>Break things.</p>', requisitionId, location: { type: 'remote', applicantCountries: ['DE'] }, validThrough: inAYear() });
  expect((await api(`/jobs/${job.id}/publish`, { method: 'POST' })).status).toBe(200);
  const event = await created('/events', {
    title: `Fuzz fair ${run}`, kind: 'career-fair', startsAt: inDays(6), endsAt: new Date(Date.parse(inDays(6)) + 3_600_000).toISOString(),
    timeZone: 'Europe/Berlin', venue: { name: 'Hall 1', address: { city: 'Berlin', country: 'DE' } }, capacity: 5,
  });
  const people = await Promise.all([0, 1, 2].map(() => created('/candidates', aCandidateInput())));
  const survey = await created('/surveys', {
    name: `fuzz survey ${run}`, title: `Fuzz survey ${run}`, trigger: { on: 'manual' },
    questions: [
      { id: 'recommend', type: 'nps', label: 'How likely are you to recommend us?', required: true },
      { id: 'process', type: 'rating', label: 'How clear was our process?' },
      { id: 'comment', type: 'text', label: 'Anything to add?' },
    ],
  });
  expect((await api(`/surveys/${survey.id}/sends`, { method: 'POST', body: { candidateIds: people.map((p) => p.id) } })).status).toBe(202);
  const surveyLinks: string[] = [];
  await eventually(async () => {
    surveyLinks.length = 0;
    for (const person of people) {
      const mail = (await mailbox(person.email)).find((m) => m.subject === `Fuzz survey ${run}`);
      const link = mail && /\/public\/surveys\/[\w.-]+/.exec(mail.text ?? '')?.[0];
      expect(link).toBeDefined();
      surveyLinks.push(link!);
    }
  }, 30_000);
  const ats = await created('/integrations/ats', { name: `fuzz ${run}`, format: 'native' }, 'admin');
  const exp = Math.floor(Date.now() / 1000) + 86_400;
  const person = people[0]!.id as string;
  fx = {
    siteSlug: site.slug, jobId: job.id, eventId: event.id, surveyLinks,
    preferencesToken: signToken({ use: 'p', candidateId: person, exp }, LOCAL_SIGNING_KEY),
    unsubscribeToken: signToken({ use: 'u', candidateId: people[1]!.id, exp }, LOCAL_SIGNING_KEY),
    renewToken: signToken({ use: 'r', candidateId: person, exp }, LOCAL_SIGNING_KEY),
    ats: { id: ats.id, secret: ats.secret, requisitionId },
  };
}, 900_000);


/** A valid body of a route, carrying the request's marker in every text field that can hold it. */
interface BodyRoute {
  name: string;
  method: 'POST';
  path: () => string;
  transports: readonly Transport[];
  honeypot?: string;
  /** 4xx may be a page (form posts answered with a page). */
  pages?: boolean;
  valid: (marker: string) => Record<string, unknown>;
  /** A file for multipart forms. */
  file?: fc.Arbitrary<FormFile | undefined>;
  /** Headers computed from the exact body bytes (a signature). */
  sign?: (body: string | Buffer) => Record<string, string>;
  /** Markers cannot show what was stored (hashed): check nothing else. */
  unmarked?: boolean;
}

const person = (marker: string) => ({ email: `${marker}@example.com`, firstName: `Ada ${marker}`, lastName: `Lovelace ${marker}` });
const cvFile: fc.Arbitrary<FormFile | undefined> = fc.option(
  fc.record({
    field: fc.constantFrom('cv', 'cv', 'cv', 'resume'),
    name: fc.oneof(fc.constantFrom('cv.pdf', 'cv.docx', '../../etc/passwd', 'cv.exe', ''), hostileText.map((s) => s.slice(0, 200).replace(/["\r\n]/g, '_'))),
    type: fc.constantFrom('application/pdf', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'text/plain', 'application/x-msdownload', ''),
    bytes: fc.oneof(
      fc.constant(Buffer.from('%PDF-1.4 fuzz')),
      fc.constant(Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.alloc(64)])),
      fc.constant(Buffer.from('MZ\x90\x00 not a cv')),
      fc.constant(Buffer.alloc(0)),
      fc.uint8Array({ maxLength: 2_000 }).map((bytes) => Buffer.from(bytes)),
    ),
  }),
  { freq: 3 },
);

const bodyRoutes: BodyRoute[] = [
  {
    name: 'POST /public/sites/{slug}/signups', method: 'POST', path: () => `/public/sites/${fx.siteSlug}/signups`, transports: ['json', 'form'], honeypot: 'website',
    valid: (m) => ({ ...person(m), phone: '+49 30 123456', city: `Berlin ${m}`, country: 'DE', headline: `Engineer ${m}`, linkedin: `https://linkedin.example/in/${m}`, skills: 'go,rust', consent: 'on', utm_source: `src-${m}` }),
  },
  {
    name: 'POST /public/jobs/{id}/applications', method: 'POST', path: () => `/public/jobs/${fx.jobId}/applications`, transports: ['json', 'form', 'multipart'], honeypot: 'website',
    valid: (m) => ({ ...person(m), phone: '+49 30 123456', linkedin: `https://linkedin.example/in/${m}`, coverLetter: `Dear team, ${m}`, utm_source: `src-${m}`, utm_campaign: `c-${m}` }),
    file: cvFile,
  },
  {
    name: 'POST /public/sites/{slug}/ask', method: 'POST', path: () => `/public/sites/${fx.siteSlug}/ask`, transports: ['json', 'form'], honeypot: 'website',
    valid: (m) => ({ question: `Do you sponsor visas? ${m}` }),
  },
  {
    name: 'POST /public/events/{id}/rsvps', method: 'POST', path: () => `/public/events/${fx.eventId}/rsvps`, transports: ['json', 'form'], honeypot: 'website', pages: true,
    valid: (m) => person(m),
  },
  {
    name: 'POST /public/surveys/{token}', method: 'POST', path: () => fx.surveyLinks[requestIndex % 2]!, transports: ['json', 'form'], honeypot: 'website', pages: true,
    valid: (m) => ({ answers: { recommend: 9, process: 4, comment: `Great ${m}` } }),
  },
  {
    name: 'POST /public/preferences/{token}', method: 'POST', path: () => `/public/preferences/${fx.preferencesToken}`, transports: ['json', 'form'], pages: true,
    valid: () => ({ topics: ['job-alerts'], frequency: 'monthly' }),
  },
  {
    name: 'POST /public/privacy/requests', method: 'POST', path: () => '/public/privacy/requests', transports: ['json', 'form'], honeypot: 'website', unmarked: true,
    valid: (m) => ({ email: `${m}@example.com`, type: 'access' }),
  },
  {
    name: 'POST /public/integrations/ats/{id}/events', method: 'POST', path: () => `/public/integrations/ats/${fx.ats.id}/events`, transports: ['json'],
    valid: (m) => ({
      eventId: `evt-${m}`, occurredAt: new Date().toISOString(),
      candidate: { externalId: `person-${m}`, ...person(m) },
      application: { externalId: `app-${m}`, requisitionId: fx.ats.requisitionId, status: 'applied' },
    }),
    // Signed as the ATS signs, so mutated bodies get past the signature to validation (a few go unsigned).
    sign: (body): Record<string, string> => (Buffer.byteLength(body) % 7 === 0 ? {} : { 'x-talentrelay-signature': signWebhook(fx.ats.secret, body.toString(), Math.floor(Date.now() / 1000)) }),
  },
];

/** The request a body case makes. */
function requestOf(route: BodyRoute, input: BodyCase, marker: string, file: FormFile | undefined): RawRequest {
  const headers: Record<string, string> = { 'x-forwarded-for': nextClient() };
  let encoded: { body: string | Buffer; headers: Record<string, string> };
  if (input.kind === 'malformed') {
    encoded = { body: input.raw, headers: input.contentType ? { 'content-type': input.contentType } : {} };
  } else {
    const body = mutate(route.valid(marker) as never, input.mutations) as Record<string, unknown>;
    if (input.kind === 'mislabelled') {
      encoded = { body: JSON.stringify(body) ?? '', headers: input.contentType ? { 'content-type': input.contentType } : {} };
    } else {
      if (input.trap && route.honeypot && typeof body === 'object' && body !== null) body[route.honeypot] = input.trap;
      encoded = encode(body, input.as, input.as === 'multipart' ? file : undefined);
    }
  }
  return { method: route.method, path: route.path(), headers: { ...headers, ...encoded.headers, ...route.sign?.(encoded.body) }, body: encoded.body };
}

describe('fuzzing the public forms and callbacks', () => {
  it.each(bodyRoutes.map((route) => [route.name, route] as const))('%s answers every generated body with a 2xx or a problem, never a 5xx', async (_, route) => {
    let count = 0;
    await fc.assert(
      fc.asyncProperty(bodyCase(route.transports, route.honeypot), route.file ?? fc.constant(undefined), async (input, file) => {
        const index = ++markerCount;
        const answer: RawAnswer = await sendPaced(baseUrl(), requestOf(route, input, markerOf(index), file));
        count++;
        expectWellFormed(answer, `${route.name} ${JSON.stringify(input).slice(0, 400)}`, { pages: route.pages });
        if (answer.status >= 400) rejected.add(index);
        else if (input.kind === 'mutated' && input.trap) trapped.add(index);
      }),
      { seed: FUZZ_SEED, numRuns: RUNS, endOnFailure: true },
    );
    generated.set(route.name, count);
  }, 900_000);

  it('a body over 1 MB answers 413 problem+json from the function, over 10 MB API Gateway’s own 413, and 10,000 levels of nesting a 400', async () => {
    const big = `{"email":"${'a'.repeat(1024 * 1024)}@example.com"}`;
    const huge = Buffer.alloc(10 * 1024 * 1024 + 1, 0x61);
    for (const route of bodyRoutes) {
      for (const body of [big, huge]) {
        const answer = await sendPaced(baseUrl(), { method: 'POST', path: route.path(), headers: { 'content-type': 'application/json', 'x-forwarded-for': nextClient() }, body });
        expectWellFormed(answer, `${route.name} ${body.length} bytes`, { pages: route.pages });
        expect(answer.status, route.name).toBe(413);
      }
    }
    const sixMegabyteCv = encode(person(markerOf(++markerCount)), 'multipart', { field: 'cv', name: 'cv.pdf', type: 'application/pdf', bytes: Buffer.concat([Buffer.from('%PDF-'), Buffer.alloc(6 * 1024 * 1024)]) });
    const cv = await sendPaced(baseUrl(), { method: 'POST', path: `/public/jobs/${fx.jobId}/applications`, headers: { ...sixMegabyteCv.headers, 'x-forwarded-for': nextClient() }, body: sixMegabyteCv.body });
    expectWellFormed(cv, 'a 6 MB CV');
    expect(cv.status).toBe(413);
    rejected.add(markerCount);
  });

  const pathRoutes = routes.filter(({ route }) => route.access === 'public' && route.path.includes('{'));
  it(`every public path parameter (${pathRoutes.length} routes) takes traversal, encoded slashes, long and unicode ids without a 5xx`, async () => {
    let count = 0;
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: pathRoutes.length - 1 }), hostilePathSegment, fc.option(hostileText, { freq: 3 }), async (which, segment, body) => {
        const { route } = pathRoutes[which]!;
        const path = route.path.replace(/\{\w+\}/g, segment);
        const headers: Record<string, string> = { 'x-forwarded-for': nextClient(), ...(body !== null ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) };
        const answer = await sendPaced(baseUrl(), { method: route.method, path, headers, ...(body !== null ? { body: new URLSearchParams({ field: body }).toString() } : {}) });
        count++;
        expectWellFormed(answer, `${route.method} ${path.slice(0, 200)}`, { pages: true });
      }),
      { seed: FUZZ_SEED, numRuns: 400, endOnFailure: true },
    );
    generated.set('public path parameters', count);
  }, 900_000);

  it('odd headers on public routes (a bearer token that is not one, If-Match, Idempotency-Key, Accept, Origin) change nothing for the worse', async () => {
    const header = fc.oneof(
      fc.record({ name: fc.constant('authorization'), value: fc.constantFrom('Bearer', 'Bearer x.y.z', 'Basic Zm9vOmJhcg==', `Bearer ${'a'.repeat(4000)}`) }),
      fc.record({ name: fc.constantFrom('if-match', 'idempotency-key', 'accept', 'origin', 'accept-language', 'x-forwarded-for', 'user-agent'), value: fc.constantFrom('*', 'W/"x"', '"-1"', '', 'x'.repeat(300), 'null', 'text/html;q=0.1, */*', 'http://evil.example', '10.0.0.1, 10.0.0.2', 'not-an-ip') }),
    );
    let count = 0;
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: bodyRoutes.length - 1 }), header, async (which, { name, value }) => {
        const route = bodyRoutes[which]!;
        const marker = markerOf(++markerCount);
        const encoded = encode(route.valid(marker), 'json');
        const client = [`not-an-ip-${count}`, `${nextClient()}, 10.0.0.2`, `::ffff:${count}`][count % 3]!;
        const headers = { 'x-forwarded-for': nextClient(), ...encoded.headers, ...route.sign?.(encoded.body), [name]: name === 'x-forwarded-for' ? client : value };
        const answer = await sendPaced(baseUrl(), { method: 'POST', path: route.path(), headers, body: encoded.body });
        count++;
        expectWellFormed(answer, `${route.name} ${name}: ${value.slice(0, 40)}`, { pages: route.pages });
        if (answer.status >= 400) rejected.add(markerCount);
      }),
      { seed: FUZZ_SEED, numRuns: 120, endOnFailure: true },
    );
    generated.set('public headers', count);
  }, 900_000);

  it('stores nothing of a rejected request or a filled honeypot, and mails nothing to it', async () => {
    const stored = await storedMarkers();
    const mailed = new Set(markersIn(JSON.stringify(await mailbox())));
    const leaks = (markers: Set<number>) => [...markers].filter((m) => stored.has(m) || mailed.has(m)).map(markerOf);
    expect(rejected.size).toBeGreaterThan(100);
    expect(leaks(rejected)).toEqual([]);
    expect(leaks(trapped)).toEqual([]);
    // Something was stored for accepted ones, so the search would have seen a leak.
    expect(stored.size).toBeGreaterThan(0);
    // Privacy requests keep a salted hash of the address, never the address: none for a rejected address.
    const hashes = new Set(((await api('/privacy/requests?limit=200', { role: 'admin' })).body as { items: { emailHash: string }[] }).items.map((r) => r.emailHash));
    const hashOf = (email: string) => createHmac('sha256', LOCAL_SIGNING_KEY).update(email).digest('hex');
    expect([...rejected].filter((m) => hashes.has(hashOf(`${markerOf(m)}@example.com`))).map(markerOf)).toEqual([]);
    console.info(`fuzz-public: seed ${FUZZ_SEED}; generated requests per route ${JSON.stringify(Object.fromEntries(generated))}; rejected ${rejected.size}, honeypots ${trapped.size}`);
  }, 60_000);
});

/** Markup and header breakouts that must never come out raw in an email or a page built from a person's input. */
const rawBreakouts = [/<script>alert/i, /<img src=x onerror/i, /<svg onload/i, /<\/textarea><script>/i];
const escapedIn = (html: string) => rawBreakouts.every((breakout) => !breakout.test(html));

describe('injection strings in accepted public forms', () => {
  const payload = fc.constantFrom<string>(...injections, ...unicodeEdges.filter((s) => !/[\uD800-\uDFFF\u0000]/.test(s)));

  it('come out escaped in the acknowledgement, confirmation and RSVP emails, which carry no injected header', async () => {
    const forms = [
      { name: 'apply', path: () => `/public/jobs/${fx.jobId}/applications`, extra: (text: string) => ({ coverLetter: text }) },
      { name: 'signup', path: () => `/public/sites/${fx.siteSlug}/signups`, extra: (text: string) => ({ consent: 'on', headline: text.slice(0, 200), city: text.slice(0, 100) }) },
      { name: 'rsvp', path: () => `/public/events/${fx.eventId}/rsvps`, extra: () => ({}) },
    ];
    let count = 0;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...forms), payload, payload, fc.constantFrom<Transport>('json', 'form'), async (form, first, last, as) => {
        const marker = markerOf(++markerCount);
        const email = `${marker}@example.com`;
        const firstName = `${first} ${marker}`.slice(0, 100);
        const lastName = `${marker} ${last}`.slice(0, 100);
        const encoded = encode({ email, firstName, lastName, ...form.extra(`${first} ${last}`) }, as);
        const answer = await sendPaced(baseUrl(), { method: 'POST', path: form.path(), headers: { ...encoded.headers, 'x-forwarded-for': nextClient() }, body: encoded.body });
        count++;
        expectWellFormed(answer, `${form.name} ${firstName} ${lastName}`, { pages: true });
        expect(answer.status, `${form.name}: ${answer.text.slice(0, 300)}`).toBeLessThan(300);
        let mails: Awaited<ReturnType<typeof mailbox>> = [];
        await eventually(async () => {
          mails = await mailbox(email);
          expect(mails.length).toBeGreaterThan(0);
        }, 20_000);
        for (const mail of mails) {
          expect(mail.to, form.name).toEqual([email]);
          expect(mail.subject, form.name).not.toMatch(/[\r\n]/);
          expect(Object.keys(mail.headers), form.name).not.toContain('bcc');
          expect(escapedIn(mail.html ?? ''), `${form.name} html: ${mail.html}`).toBe(true);
          // Placeholders in a person's own input are text, never expanded: a name the email shows arrives as typed.
          if ((injections as readonly string[]).includes(first) && !/^\s/.test(first) && (mail.text ?? '').includes(marker)) expect(mail.text, form.name).toContain(firstName);
        }
      }),
      { seed: FUZZ_SEED, numRuns: 30, endOnFailure: true },
    );
    generated.set('injection emails', count);
  }, 900_000);

  it('come out escaped when a survey form is shown again with its errors', async () => {
    await fc.assert(
      fc.asyncProperty(payload, async (text) => {
        // Without the required answer the form comes back with what the person typed.
        const body = new URLSearchParams({ process: '3', comment: text }).toString();
        const answer = await sendPaced(baseUrl(), { method: 'POST', path: fx.surveyLinks[2]!, headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': nextClient() }, body });
        expectWellFormed(answer, `survey ${text}`, { pages: true });
        expect(escapedIn(answer.text), answer.text).toBe(true);
      }),
      { seed: FUZZ_SEED, numRuns: 25, endOnFailure: true },
    );
  }, 60_000);
});
