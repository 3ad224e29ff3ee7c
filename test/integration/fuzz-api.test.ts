import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { routes } from '../../infra/manifest.ts';
import { aCandidateInput } from '../fixtures/builders.ts';
import { clientAddress, deeplyNested, FUZZ_SEED, hostilePathSegment, injections, mutate } from '../fuzz/arbitraries.ts';
import { expectWellFormed, markerOf, send, sendPaced, storedMarkers, type RawAnswer } from '../fuzz/answers.ts';
import { bodyCase, encode, type BodyCase } from '../fuzz/bodies.ts';
import { api, eventually, tokenFor } from './helpers.ts';

/** Runs per body route (FUZZ_RUNS for a deeper run): sized for about two minutes on two idle cores. */
const RUNS = Number(process.env.FUZZ_RUNS ?? 40);

const baseUrl = () => inject('apiUrl');
const run = Date.now().toString(36);
let clients = Math.floor(Math.random() * 8_000_000);
const nextClient = () => clientAddress(++clients);

/** Markers of rejected requests (and a tally per route): none may be found stored. */
const rejected = new Set<number>();
const generated = new Map<string, number>();
/** Markers start high so they never meet the public file's. */
let markerCount = 1_000_000;

let recruiter: string;
let admin: string;
let fixture: { candidateId: string; segmentId: string; templateId: string; poolId: string };

beforeAll(async () => {
  [recruiter, admin] = await Promise.all([tokenFor('recruiter'), tokenFor('admin')]);
  const candidate = await api('/candidates', { method: 'POST', body: aCandidateInput() });
  const segment = await api('/segments', { method: 'POST', body: { name: `fuzz ${run}`, rule: { field: 'tags', op: 'contains', value: `fuzz-${run}` } } });
  const template = await api('/templates', { method: 'POST', body: { name: `fuzz ${run}`, subject: 'Hello {{firstName|default:"there"}}', html: '<p>Hi {{firstName|default:"there"}}</p>' } });
  const pool = await api('/pools', { method: 'POST', body: { name: `fuzz ${run}` } });
  for (const created of [candidate, segment, template, pool]) expect(created.status, JSON.stringify(created.body)).toBe(201);
  const id = (response: { body: unknown }) => (response.body as { id: string }).id;
  fixture = { candidateId: id(candidate), segmentId: id(segment), templateId: id(template), poolId: id(pool) };
}, 120_000);


interface BodyRoute {
  name: string;
  method: 'POST' | 'PATCH';
  path: () => string;
  valid: (marker: string) => unknown;
}

const inAYear = () => new Date(Date.now() + 365 * 86_400_000).toISOString();

// Segments first: each accepted one evaluates every candidate in the background, which the local stack runs in
// this same process, so it is cheapest while few candidates exist.
const bodyRoutes: BodyRoute[] = [
  {
    name: 'POST /segments', method: 'POST', path: () => '/segments',
    valid: (m) => ({ name: `Segment ${m}`, description: `about ${m}`, rule: { all: [{ field: 'tags', op: 'contains', value: 'fuzz' }, { not: { field: 'custom.note', op: 'eq', value: m } }] } }),
  },
  {
    name: 'POST /imports', method: 'POST', path: () => '/imports?mode=skip',
    valid: (m) => [{ email: `${m}@example.com`, firstName: `Ada ${m}`, lastName: 'Lovelace', tags: 'fuzz' }],
  },
  {
    name: 'POST /campaigns', method: 'POST', path: () => '/campaigns',
    valid: (m) => ({ name: `Campaign ${m}`, kind: 'one-shot', audience: { segmentId: fixture.segmentId }, templateId: fixture.templateId, sendAt: inAYear() }),
  },
  {
    name: 'POST /jobs', method: 'POST', path: () => '/jobs',
    valid: (m) => ({
      title: `Engineer ${m}`, description: `<p>Build ${m}</p>`, department: `Dept ${m}`, requisitionId: `REQ-${m}`, employmentTypes: ['FULL_TIME'],
      location: { type: 'onsite', address: { street: `Street ${m}`, city: 'Berlin', country: 'DE' } }, salary: { currency: 'EUR', min: 1, max: 2, unit: 'YEAR' },
      skills: ['go'], validThrough: inAYear(),
    }),
  },
  {
    name: 'POST /candidates', method: 'POST', path: () => '/candidates',
    valid: (m) => ({
      ...aCandidateInput({ email: `${m}@example.com`, firstName: `Ada ${m}`, lastName: `Lovelace ${m}` }),
      headline: `Engineer ${m}`, company: `Acme ${m}`, tags: ['fuzz'], custom: { note: m }, source: { type: 'manual', detail: `met at ${m}` },
      consents: [{ purpose: 'marketing-email', granted: true }], links: [{ type: 'website', url: `https://example.com/${m}` }],
    }),
  },
  {
    name: 'PATCH /candidates/{id}', method: 'PATCH', path: () => `/candidates/${fixture.candidateId}`,
    valid: (m) => ({ firstName: `Ada ${m}`, headline: `Head ${m}`, custom: { note: m }, skills: ['go'], location: { city: `Paris ${m}`, country: 'FR' } }),
  },
];

function requestOf(route: BodyRoute, input: BodyCase, marker: string) {
  const auth = { authorization: `Bearer ${recruiter}`, 'x-forwarded-for': nextClient() };
  if (input.kind === 'malformed') return { method: route.method, path: route.path(), headers: { ...auth, ...(input.contentType ? { 'content-type': input.contentType } : {}) }, body: input.raw };
  const body = mutate(route.valid(marker) as never, input.mutations);
  if (input.kind === 'mislabelled') return { method: route.method, path: route.path(), headers: { ...auth, ...(input.contentType ? { 'content-type': input.contentType } : {}) }, body: JSON.stringify(body) ?? '' };
  const encoded = encode(body, input.as);
  return { method: route.method, path: route.path(), headers: { ...auth, ...encoded.headers }, body: encoded.body };
}

describe('fuzzing the main authenticated routes', () => {
  it.each(bodyRoutes.map((route) => [route.name, route] as const))('%s answers every generated body with a 2xx or a problem naming the field, never a 5xx', async (_, route) => {
    let count = 0;
    await fc.assert(
      fc.asyncProperty(bodyCase(['json']), async (input) => {
        const index = ++markerCount;
        const answer = await send(baseUrl(), requestOf(route, input, markerOf(index)));
        count++;
        expectWellFormed(answer, `${route.name} ${JSON.stringify(input).slice(0, 400)}`);
        if (answer.status >= 400) rejected.add(index);
      }),
      { seed: FUZZ_SEED, numRuns: RUNS, endOnFailure: true },
    );
    generated.set(route.name, count);
  }, 900_000);

  it('a CSV import of any text answers 202 or a problem, never a 5xx', async () => {
    const cell = fc.oneof(fc.constantFrom(...injections), fc.string({ unit: 'binary', maxLength: 30 }), fc.constantFrom('"', '""', '\n', '\r\n', ',', ''));
    const csv = fc.oneof(
      fc.array(fc.array(cell, { minLength: 1, maxLength: 6 }), { minLength: 0, maxLength: 6 }).map((rows) => ['email,firstName', ...rows.map((r) => r.join(','))].join('\n')),
      fc.string({ unit: 'binary', maxLength: 300 }),
      fc.constantFrom('email\n' + 'a@example.com\n'.repeat(6_000), '\uFEFFemail,firstName\nbom@example.com,Bom', '"unclosed,quote\n', 'email;firstName\nx@example.com;X'),
    );
    let count = 0;
    await fc.assert(
      fc.asyncProperty(csv, fc.constantFrom('text/csv', 'text/csv; charset=utf-8', 'TEXT/CSV', 'text/plain'), async (text, type) => {
        const answer = await send(baseUrl(), { method: 'POST', path: '/imports?mode=upsert', headers: { authorization: `Bearer ${recruiter}`, 'content-type': type }, body: text });
        count++;
        expectWellFormed(answer, `CSV import ${type} ${text.slice(0, 200)}`);
      }),
      { seed: FUZZ_SEED, numRuns: 60, endOnFailure: true },
    );
    generated.set('POST /imports (CSV)', count);
  }, 900_000);

  it('10,000 levels of nesting and bodies over 1 MB or 10 MB get a 400 or a 413 on every body route', async () => {
    for (const route of bodyRoutes) {
      const headers = { authorization: `Bearer ${recruiter}`, 'content-type': 'application/json' };
      for (const body of [deeplyNested(10_000, 'array'), deeplyNested(10_000, 'object', 'custom'), deeplyNested(10_000, 'object', 'rule'), deeplyNested(10_000, 'object', 'not')]) {
        const answer = await send(baseUrl(), { method: route.method, path: route.path(), headers, body });
        expectWellFormed(answer, `${route.name} deep ${body.slice(0, 20)}`);
        expect(answer.status, route.name).toBe(400);
      }
      for (const size of [1024 * 1024 + 1, 10 * 1024 * 1024 + 1]) {
        const answer = await send(baseUrl(), { method: route.method, path: route.path(), headers, body: Buffer.alloc(size, 0x20) });
        expectWellFormed(answer, `${route.name} ${size} bytes`);
        expect(answer.status, route.name).toBe(413);
      }
    }
  }, 300_000);

  it('a number DynamoDB cannot store (1e-200, 1e200) answers 400 naming the field, where it was a 500 before', async () => {
    const cases: [BodyRoute['name'], (m: string) => unknown, string][] = [
      ['POST /candidates', (m) => ({ email: `${m}@example.com`, custom: { note: -1.3331486745883538e-207 } }), 'body.custom.note'],
      ['PATCH /candidates/{id}', () => ({ experienceYears: 1e-300 }), 'body.experienceYears'],
      ['POST /jobs', (m) => ({ ...(bodyRoutes.find((r) => r.name === 'POST /jobs')!.valid(m) as object), salary: { currency: 'EUR', min: 1e-200, max: 2, unit: 'YEAR' } }), 'body.salary.min'],
      ['POST /segments', (m) => ({ name: m, rule: { field: 'custom.score', op: 'gt', value: 1e200 } }), 'body.rule.value'],
    ];
    for (const [name, body, path] of cases) {
      const route = bodyRoutes.find((r) => r.name === name)!;
      const index = ++markerCount;
      const answer = await send(baseUrl(), { method: route.method, path: route.path(), headers: { authorization: `Bearer ${recruiter}`, 'content-type': 'application/json' }, body: JSON.stringify(body(markerOf(index))) });
      expectWellFormed(answer, name);
      expect(answer.status, answer.text).toBe(400);
      expect(JSON.parse(answer.text).errors.map((e: { path: string }) => e.path)).toContain(path);
      rejected.add(index);
    }
  });

  const paramRoutes = routes.filter(({ route }) => route.access !== 'public' && route.path.includes('{'));
  it(`every authenticated path parameter (${paramRoutes.length} routes) takes traversal, encoded slashes, long and unicode ids without a 5xx`, async () => {
    let count = 0;
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: paramRoutes.length - 1 }), hostilePathSegment, fc.boolean(), async (which, segment, withBody) => {
        const { route } = paramRoutes[which]!;
        const path = route.path.replace(/\{\w+\}/g, segment);
        const headers: Record<string, string> = { authorization: `Bearer ${admin}`, ...(withBody ? { 'content-type': 'application/json' } : {}) };
        const answer = await send(baseUrl(), { method: route.method, path, headers, ...(withBody ? { body: '{"name":"x"}' } : {}) });
        count++;
        expectWellFormed(answer, `${route.method} ${path.slice(0, 200)}`);
      }),
      { seed: FUZZ_SEED, numRuns: 500, endOnFailure: true },
    );
    generated.set('authenticated path parameters', count);
  }, 900_000);

  it('odd headers (If-Match, Idempotency-Key, authorization, query strings) answer a problem, never a 5xx', async () => {
    const header = fc.oneof(
      fc.record({ name: fc.constant('if-match'), value: fc.constantFrom('*', 'W/"1"', '"0"', '"-1"', '"1e999"', '"abc"', '', '"' + '9'.repeat(400) + '"', '1,2') }),
      fc.record({ name: fc.constant('idempotency-key'), value: fc.constantFrom('', 'k', 'x'.repeat(256), 'x'.repeat(255), 'ünïcødé', `same-${run}`) }),
      fc.record({ name: fc.constant('authorization'), value: fc.constantFrom('Bearer', 'Bearer x.y.z', `Bearer ${'a'.repeat(4000)}`, 'Basic Zm9vOmJhcg==', 'bearer  ') }),
    );
    const query = fc.constantFrom('', '?limit=-1', '?limit=1e999', '?limit=abc', '?cursor=%ZZ', '?cursor=' + 'A'.repeat(3000), '?status=%00', '?q=%3Cscript%3E', '?limit=1&limit=2', '?mode=both', '?mapping=%7B', '?mapping=%7B%22email%22%3A1%7D');
    let count = 0;
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: bodyRoutes.length - 1 }), header, query, async (which, { name, value }, search) => {
        const route = bodyRoutes[which]!;
        const index = ++markerCount;
        const encoded = encode(route.valid(markerOf(index)), 'json');
        const path = route.path().includes('?') ? route.path() : `${route.path()}${search}`;
        const answer = await send(baseUrl(), { method: route.method, path, headers: { authorization: `Bearer ${recruiter}`, ...encoded.headers, [name]: value }, body: encoded.body });
        count++;
        expectWellFormed(answer, `${route.name}${search} ${name}: ${value.slice(0, 40)}`);
        if (answer.status >= 400) rejected.add(index);
      }),
      { seed: FUZZ_SEED, numRuns: 150, endOnFailure: true },
    );
    generated.set('authenticated headers and queries', count);
  }, 900_000);

  it('stores nothing of a rejected request', async () => {
    const stored = await storedMarkers();
    expect(rejected.size).toBeGreaterThan(100);
    expect(stored.size).toBeGreaterThan(0);
    expect([...rejected].filter((m) => stored.has(m)).map(markerOf)).toEqual([]);
    console.info(`fuzz-api: seed ${FUZZ_SEED}; generated requests per route ${JSON.stringify(Object.fromEntries(generated))}; rejected ${rejected.size}`);
  }, 120_000);
});

/** Markup that must never come out raw in a page or an email built from someone's input. */
const rawBreakouts = [/<script>alert/i, /<img src=x onerror/i, /<svg onload/i, /<\/textarea><script>/i];
const escapedIn = (html: string) => rawBreakouts.every((breakout) => !breakout.test(html));
/** A spreadsheet runs a cell starting with one of these as a formula. */
const formula = /^[=+\-@\t\r]/;
const cellsOf = (csv: string) => (parse(csv, { relax_column_count: true }) as string[][]).flat();

describe('injection strings in what recruiters write come out escaped', () => {
  const sites = () => inject('sitesUrl');
  const fetchText = async (url: string) => (await fetch(url)).text();

  it('in the public job pages, career sites and event pages rendered from them', async () => {
    const text = fc.constantFrom(...injections);
    let count = 0;
    await fc.assert(
      fc.asyncProperty(text, text, text, async (a, b, c) => {
        const m = markerOf(++markerCount);
        const job = await api('/jobs', {
          method: 'POST',
          body: { title: `${a} ${m}`.slice(0, 200), description: `<p>${b}</p><a href="javascript:alert(1)">x</a>${c}`, department: c.slice(0, 100), requisitionId: `REQ-${m}`, location: { type: 'remote', applicantCountries: ['DE'] } },
        });
        expect(job.status, JSON.stringify(job.body)).toBe(201);
        const { id: jobId, url: jobUrl } = job.body as { id: string; url: string };
        expect((await api(`/jobs/${jobId}/publish`, { method: 'POST' })).status).toBe(200);
        const site = await api('/sites', {
          method: 'POST',
          body: {
            slug: `fuzz-${run}-${count}`, title: `${a} ${m}`.slice(0, 120), heroText: `${b} ${c}`, faq: [{ question: a, answer: `${b}\n${c}` }],
            signup: { fields: [], consentText: c, consentVersion: 'v1', poolId: fixture.poolId },
          },
        });
        expect(site.status, JSON.stringify(site.body)).toBe(201);
        const { id: siteId, url: siteUrl } = site.body as { id: string; url: string };
        expect((await api(`/sites/${siteId}/publish`, { method: 'POST' })).status).toBe(200);
        const starts = new Date(Date.now() + 6 * 86_400_000);
        const event = await api('/events', {
          method: 'POST',
          body: { title: `${a} ${m}`.slice(0, 200), kind: 'webinar', description: `${b} ${c}`, startsAt: starts.toISOString(), endsAt: new Date(starts.getTime() + 3_600_000).toISOString(), timeZone: 'Europe/Berlin', joinUrl: 'https://meet.example.com/x', capacity: 5 },
        });
        expect(event.status, JSON.stringify(event.body)).toBe(201);
        const eventPage = await api(`/public/events/${(event.body as { id: string }).id}`, { token: null, headers: { 'x-forwarded-for': nextClient() } });
        expect(escapedIn(String(eventPage.body)), String(eventPage.body)).toBe(true);
        expect(String(eventPage.body)).toContain(m);
        await eventually(async () => {
          const [jobPage, sitePage] = await Promise.all([fetchText(jobUrl), fetchText(siteUrl)]);
          expect(jobPage).toContain(m);
          expect(sitePage).toContain(m);
          expect(escapedIn(jobPage), jobPage).toBe(true);
          expect(jobPage).not.toContain('javascript:alert');
          expect(escapedIn(sitePage), sitePage).toBe(true);
        }, 30_000);
        count++;
      }),
      { seed: FUZZ_SEED, numRuns: 6, endOnFailure: true },
    );
    expect(new URL(sites()).host).toBeTruthy();
  }, 600_000);

  it('in the failed rows of an import (CSV): no cell a spreadsheet would run', async () => {
    const rows = injections.map((text, i) => ({ email: `${text} not an address ${i}`, firstName: text, [text.slice(0, 30) || 'x']: text }));
    const started = await api('/imports?mode=skip', { method: 'POST', body: rows });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    const id = (started.body as { id: string }).id;
    await eventually(async () => expect(((await api(`/imports/${id}`)).body as { status: string }).status).toBe('completed'), 60_000);
    const errors = await api(`/imports/${id}/errors`);
    expect(errors.headers.get('content-type')).toContain('text/csv');
    const cells = cellsOf(String(errors.body));
    expect(cells.some((cell) => cell.includes('HYPERLINK'))).toBe(true);
    expect(cells.filter((cell) => formula.test(cell))).toEqual([]);
  }, 120_000);

  it('in the survey results (CSV): no cell a spreadsheet would run', async () => {
    const people = await Promise.all(injections.slice(0, 6).map(() => api('/candidates', { method: 'POST', body: aCandidateInput() })));
    const title = `Fuzz CSV ${run}`;
    const survey = await api('/surveys', { method: 'POST', body: { name: title, title, trigger: { on: 'manual' }, questions: [{ id: 'comment', type: 'text', label: 'Anything?' }] } });
    expect(survey.status).toBe(201);
    const surveyId = (survey.body as { id: string }).id;
    expect((await api(`/surveys/${surveyId}/sends`, { method: 'POST', body: { candidateIds: people.map((p) => (p.body as { id: string }).id) } })).status).toBe(202);
    for (const [i, person] of people.entries()) {
      const email = (person.body as { email: string }).email;
      let link = '';
      await eventually(async () => {
        const mails = ((await (await fetch(`${baseUrl()}/_local/mail?to=${encodeURIComponent(email)}`)).json()) as { items: { subject: string; text: string }[] }).items;
        link = /\/public\/surveys\/[\w.-]+/.exec(mails.find((mail) => mail.subject === title)?.text ?? '')?.[0] ?? '';
        expect(link).not.toBe('');
      }, 30_000);
      const answer: RawAnswer = await sendPaced(baseUrl(), { method: 'POST', path: link, headers: { 'content-type': 'application/json', 'x-forwarded-for': nextClient() }, body: JSON.stringify({ answers: { comment: injections[i + 7] } }) });
      expect(answer.status, answer.text).toBe(200);
    }
    const csv = await api(`/surveys/${surveyId}/results?format=csv`);
    const cells = cellsOf(String(csv.body));
    expect(cells.some((cell) => cell.includes('HYPERLINK'))).toBe(true);
    expect(cells.filter((cell) => formula.test(cell))).toEqual([]);
  }, 180_000);

  it('in the analytics by source (CSV), from UTM values a public application carried', async () => {
    const job = await api('/jobs', { method: 'POST', body: { title: 'CSV source', description: '<p>x</p>', location: { type: 'remote', applicantCountries: ['DE'] } } });
    const jobId = (job.body as { id: string }).id;
    expect((await api(`/jobs/${jobId}/publish`, { method: 'POST' })).status).toBe(200);
    const sources = ['=HYPERLINK("http://evil.example","x")', '+cmd', '-1+1', '@SUM(1)'];
    for (const [i, source] of sources.entries()) {
      const body = new URLSearchParams({ email: `csv-${run}-${i}@example.com`, firstName: 'Csv', lastName: 'Source', utm_source: source, utm_medium: source, utm_campaign: source }).toString();
      const applied = await sendPaced(baseUrl(), { method: 'POST', path: `/public/jobs/${jobId}/applications`, headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': nextClient() }, body });
      expect(applied.status, applied.text).toBe(202);
    }
    for (const groupBy of ['source', 'medium', 'campaign']) {
      let cells: string[] = [];
      await eventually(async () => {
        const csv = await api(`/analytics/sources?groupBy=${groupBy}&format=csv`, { role: 'viewer' });
        expect(csv.status, String(csv.body)).toBe(200);
        cells = cellsOf(String(csv.body));
        expect(cells.some((cell) => cell.includes('HYPERLINK'))).toBe(true);
      }, 30_000);
      expect(cells.filter((cell) => formula.test(cell))).toEqual([]);
    }
  }, 120_000);
});
