/**
 * `BENCH_ONLY=load npm run bench`: a bounded load run on the local stack (loopback only, stops by itself). Mixed
 * recruiter API traffic, public sign-ups and applications from many client addresses and career-page views, while a
 * one-shot campaign sends to 10,000 people. Reports throughput, p50 / p99 per route group, every error, and whether
 * the campaign reached each recipient exactly once.
 */
import { randomInt, randomUUID } from 'node:crypto';
import { BatchWriteItemCommand, DynamoDBClient, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import autocannon, { type Request } from 'autocannon';
import { candidateCountKey, candidateItem, emailGuardKey, type Item } from '../functions/candidates/adapters/entities.ts';
import { newCandidate } from '../functions/candidates/domain/candidate.ts';
import { CreateCandidate } from '../functions/candidates/schemas.ts';
import { LOCAL_TABLE, startLocalStack } from '../infra/local/stack.ts';
import { newId } from '../shared/ids.ts';
import { fetchAgain, int, percentile, retried, settle, sleep, strayRejections, table, until } from './report.ts';

export interface LoadOptions {
  /** How long the traffic runs. */
  seconds: number;
  /** Concurrent API connections (each sends its next request when the last one is answered). */
  connections: number;
  /** Career-page requests a second (static files behind CloudFront in AWS). */
  pageRate: number;
  /** Campaign recipients seeded and sent to while the traffic runs. */
  recipients: number;
}

const READERS_DOMAIN = 'readers.example.com';
const SURNAMES = ['Lovelace', 'Hopper', 'Turing', 'Noether', 'Curie', 'Franklin', 'Goodall', 'Meitner', 'Ride', 'Johnson'];
const SKILLS = ['typescript', 'aws', 'go', 'python', 'kotlin', 'react', 'sql', 'terraform'];
const COUNTRIES = ['DE', 'GB', 'FR', 'PL', 'NL', 'ES'];

type Json = Record<string, any>;

/** Profiles and email guards as the candidate store writes them (one BatchWrite per 12 people), and the count. */
async function seedReaders(client: DynamoDBClient, count: number): Promise<string[]> {
  const now = new Date().toISOString();
  const expiresAt = new Date(Date.now() + 730 * 86_400_000).toISOString();
  const ids: string[] = [];
  const items: Item[] = [];
  for (let k = 0; k < count; k++) {
    const input = CreateCandidate.parse({
      email: `r${k}@${READERS_DOMAIN}`, firstName: `Reader${k}`, lastName: SURNAMES[k % SURNAMES.length], skills: [SKILLS[k % SKILLS.length], SKILLS[(k + 3) % SKILLS.length]],
      location: { country: COUNTRIES[k % COUNTRIES.length] }, tags: ['load-readers'], source: { type: 'import' },
      consents: [{ purpose: 'marketing-email', granted: true, expiresAt }],
    });
    const candidate = newCandidate(input, newId('cand'), now);
    ids.push(candidate.id);
    items.push(candidateItem(candidate), { ...emailGuardKey(candidate.email), candidateId: candidate.id });
  }
  const batches: Item[][] = [];
  for (let i = 0; i < items.length; i += 24) batches.push(items.slice(i, i + 24));
  const writeAll = async () => {
    for (let batch = batches.shift(); batch; batch = batches.shift()) {
      let RequestItems: Record<string, any> | undefined = { [LOCAL_TABLE]: batch.map((item) => ({ PutRequest: { Item: marshall(item, { removeUndefinedValues: true }) } })) };
      while (RequestItems && Object.keys(RequestItems).length) {
        ({ UnprocessedItems: RequestItems } = await client.send(new BatchWriteItemCommand({ RequestItems })));
      }
    }
  };
  await Promise.all(Array.from({ length: 4 }, writeAll));
  const key = marshall(candidateCountKey());
  await client.send(new UpdateItemCommand({ TableName: LOCAL_TABLE, Key: key, UpdateExpression: 'ADD #count :n', ExpressionAttributeNames: { '#count': 'count' }, ExpressionAttributeValues: { ':n': { N: String(count) } } }));
  return ids;
}

interface Route {
  group: string;
  weight: number;
  /** Public routes answer 429 by design when a client or the route's ceiling is over its limit. */
  public?: boolean;
  build: () => Pick<Request, 'method' | 'path' | 'headers' | 'body'>;
}

interface GroupStats {
  latencies: number[];
  limited: number;
  errors: Map<string, { count: number; sample: string }>;
}

/** Client addresses of the public traffic: 512 distinct ones from the documentation ranges. */
const clientAddress = () => `${randomInt(2) ? '203.0.113' : '198.51.100'}.${randomInt(256)}`;

function mix(routes: Route[]) {
  const total = routes.reduce((n, r) => n + r.weight, 0);
  return () => {
    let pick = randomInt(total);
    for (const route of routes) if ((pick -= route.weight) < 0) return route;
    return routes.at(-1)!;
  };
}

/** One autocannon run whose requests are drawn from `routes` by weight, timed and checked per route group. */
async function drive(url: string, routes: Route[], options: { seconds: number; connections: number; overallRate?: number }) {
  const pick = mix(routes);
  const stats = new Map(routes.map((r) => [r.group, { latencies: [], limited: 0, errors: new Map() } as GroupStats]));
  type Context = { route?: Route; started?: number };
  const result = await autocannon({
    url,
    connections: options.connections,
    duration: options.seconds,
    timeout: 60,
    ...(options.overallRate ? { overallRate: options.overallRate } : {}),
    requests: [
      {
        setupRequest: (request: Request, context: object) => {
          const route = pick();
          Object.assign(context as Context, { route, started: performance.now() });
          return { ...request, ...route.build() };
        },
        onResponse: (status: number, body: string, context: object) => {
          const { route, started } = context as Context;
          if (!route || started === undefined) return;
          const group = stats.get(route.group)!;
          group.latencies.push(performance.now() - started);
          if (status < 300) return;
          if (status === 429 && route.public) {
            group.limited++;
            return;
          }
          const key = `${status} ${route.build().method} ${route.group}`;
          const seen = group.errors.get(key) ?? { count: 0, sample: String(body ?? '').slice(0, 160) };
          group.errors.set(key, { ...seen, count: seen.count + 1 });
        },
      },
    ],
  });
  return { result, stats };
}

export async function loadFigures(options: LoadOptions) {
  const stray = strayRejections();
  const stack = await retried(() => startLocalStack({ apiPort: 0, sitesPort: 0, memory: true, quiet: true, timeScale: 100_000 }));
  try {
    const token = await stack.tokenFor('recruiter');
    const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const call = async (method: string, path: string, body?: unknown): Promise<Json> => {
      const key = method === 'POST' ? { 'idempotency-key': randomUUID() } : {};
      const response = await fetchAgain(`${stack.apiUrl}${path}`, { method, headers: { ...auth, ...key }, body: body === undefined ? undefined : JSON.stringify(body) });
      const text = await response.text();
      if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text.slice(0, 300)}`);
      return text ? (JSON.parse(text) as Json) : {};
    };

    // What the traffic needs: a segment for the campaign, a template, an open job, a career site with a sign-up form.
    const segment = await call('POST', '/segments', { name: 'Load readers', rule: { field: 'tags', op: 'contains', value: 'load-readers' } });
    const template = await call('POST', '/templates', {
      name: 'Load', subject: 'News for {{firstName|default:"you"}}',
      html: '<p>Hi {{firstName|default:"there"}}, three roles match your skills.</p>{{jobSuggestions}}<p><a href="{{unsubscribeUrl}}">Unsubscribe</a></p>',
    });
    const job = await call('POST', '/jobs', {
      title: 'Platform Engineer', description: '<p>We build serverless recruiting software.</p>', department: 'Engineering', requisitionId: 'LOAD-1', employmentTypes: ['FULL_TIME'],
      location: { type: 'onsite', address: { city: 'Berlin', postalCode: '10115', country: 'DE' } }, skills: ['typescript', 'aws'],
      validThrough: new Date(Date.now() + 365 * 86_400_000).toISOString(),
    });
    const published = await call('POST', `/jobs/${job.id}/publish`);
    const pool = await call('POST', '/pools', { name: 'Load community' });
    const site = await call('POST', '/sites', {
      slug: 'load-careers', title: 'Careers', heroText: 'Join us.', jobs: { departments: ['Engineering'] },
      signup: { fields: ['location'], consentText: 'You may keep my details to tell me about jobs for 24 months.', consentVersion: 'v1', poolId: pool.id },
    });
    await call('POST', `/sites/${site.id}/publish`);

    const seedStart = performance.now();
    const dynamo = new DynamoDBClient({ endpoint: stack.dynamoEndpoint });
    const readers = await seedReaders(dynamo, options.recipients);
    dynamo.destroy();
    const seeded = (performance.now() - seedStart) / 1000;
    // The stream indexer puts each profile into the segment, as it does for any new candidate.
    const members = await until(() => call('GET', `/segments/${segment.id}`), (s) => s.memberCount === options.recipients, 20 * 60_000, 1000);
    if (members.memberCount !== options.recipients) throw new Error(`the segment holds ${members.memberCount} of ${options.recipients} people`);
    const indexed = (performance.now() - seedStart) / 1000 - seeded;
    await settle(stack);
    console.log(`Seeded ${int(options.recipients)} consented people in ${seeded.toFixed(1)} s (BatchWrite of profiles and email guards); the indexer put them in the segment in ${indexed.toFixed(1)} s.\n`);

    const someone = () => readers[randomInt(readers.length)]!;
    const run = Date.now().toString(36);
    let sequence = 0;
    // Headers copied per request: autocannon writes the content-length of a body into the object it is given, which a
    // shared object would carry to the next GET (that then waited for a body that never came).
    const json = (method: string, path: string, body?: unknown, headers: Record<string, string> = auth) => ({
      method: method as Request['method'], path, headers: { ...headers }, body: body === undefined ? undefined : JSON.stringify(body),
    });
    const publicHeaders = () => ({ 'content-type': 'application/json', 'x-forwarded-for': clientAddress() });
    const apiRoutes: Route[] = [
      { group: 'candidates: list and search', weight: 10, build: () => json('GET', '/candidates?limit=50') },
      { group: 'candidates: list and search', weight: 8, build: () => json('GET', `/candidates?q=${encodeURIComponent(`Reader${randomInt(options.recipients)}`)}`) },
      { group: 'candidates: list and search', weight: 4, build: () => json('GET', `/candidates?skill=${SKILLS[randomInt(SKILLS.length)]}&country=${COUNTRIES[randomInt(COUNTRIES.length)]}&limit=20`) },
      { group: 'candidates: get', weight: 25, build: () => json('GET', `/candidates/${someone()}`) },
      { group: 'candidates: timeline', weight: 5, build: () => json('GET', `/candidates/${someone()}/timeline`) },
      {
        group: 'candidates: create', weight: 6,
        build: () => json('POST', '/candidates', { email: `new.${run}.${sequence++}@example.org`, firstName: 'New', lastName: SURNAMES[randomInt(SURNAMES.length)], skills: ['typescript'], location: { country: 'DE' } }),
      },
      { group: 'candidates: patch', weight: 6, build: () => json('PATCH', `/candidates/${someone()}`, { headline: `Engineer ${randomInt(1000)}` }) },
      { group: 'jobs: list', weight: 10, build: () => json('GET', '/jobs?limit=50') },
      { group: 'campaign: stats', weight: 6, build: () => json('GET', `/campaigns/${campaignId}/stats`) },
      {
        group: 'public: sign-up', weight: 5, public: true,
        build: () => json('POST', `/public/sites/${site.slug}/signups`, { email: `join.${run}.${sequence++}@example.net`, firstName: 'Joan', lastName: 'Member', country: 'DE', consent: true }, publicHeaders()),
      },
      {
        group: 'public: application', weight: 5, public: true,
        build: () => json('POST', `/public/jobs/${job.id}/applications`, { email: `apply.${run}.${sequence++}@example.net`, firstName: 'Ada', lastName: 'Applicant', coverLetter: 'I would like to join.' }, publicHeaders()),
      },
    ];
    const jobPath = new URL(published.url as string).pathname;
    const pageRoutes: Route[] = [
      { group: 'pages: job page, site, feed', weight: 7, public: true, build: () => ({ method: 'GET', path: jobPath }) },
      { group: 'pages: job page, site, feed', weight: 2, public: true, build: () => ({ method: 'GET', path: `/sites/${site.slug}/` }) },
      { group: 'pages: job page, site, feed', weight: 1, public: true, build: () => ({ method: 'GET', path: '/feeds/jobs.json' }) },
    ];

    const campaign = await call('POST', '/campaigns', { name: 'Load', kind: 'one-shot', audience: { segmentId: segment.id }, templateId: template.id });
    const campaignId = campaign.id as string;
    const launched = performance.now();
    await call('POST', `/campaigns/${campaignId}/launch`);
    let finished: number | undefined;
    let sentDuringLoad = 0;
    const watching = (async () => {
      for (;;) {
        const state = await call('GET', `/campaigns/${campaignId}`);
        if (!['scheduled', 'sending', 'running'].includes(state.status)) {
          finished = performance.now();
          return state.status as string;
        }
        if (performance.now() - launched > 30 * 60_000) return `still ${state.status} after 30 minutes`;
        await sleep(500);
      }
    })();

    const [api, pages] = await Promise.all([
      drive(stack.apiUrl, apiRoutes, { seconds: options.seconds, connections: options.connections }),
      drive(stack.sitesUrl, pageRoutes, { seconds: options.seconds, connections: 2, overallRate: options.pageRate }),
      (async () => {
        await sleep(options.seconds * 1000);
        sentDuringLoad = (await call('GET', `/campaigns/${campaignId}/stats`)).sent as number;
      })(),
    ]);
    const outcome = await watching;
    const stats = await until(() => call('GET', `/campaigns/${campaignId}/stats`), (s) => s.delivered >= s.sent, 5 * 60_000, 1000);

    // Every group, then the totals: autocannon's own count of requests, and the ones it could not complete.
    const rows: string[][] = [];
    const errors: string[][] = [];
    const allLatencies: number[] = [];
    for (const run of [api, pages]) {
      for (const [group, s] of run.stats) {
        allLatencies.push(...s.latencies);
        const failed = [...s.errors.values()].reduce((n, e) => n + e.count, 0);
        rows.push([group, int(s.latencies.length), (s.latencies.length / options.seconds).toFixed(1), `${percentile(s.latencies, 50).toFixed(1)} ms`, `${percentile(s.latencies, 99).toFixed(1)} ms`, int(s.limited), int(failed)]);
        for (const [key, e] of s.errors) errors.push([key, int(e.count), e.sample.replace(/\|/g, '/')]);
      }
    }
    const requests = api.result.requests.total + pages.result.requests.total;
    const transportErrors = api.result.errors + pages.result.errors;
    rows.push([
      'all', int(requests), (requests / options.seconds).toFixed(1), `${percentile(allLatencies, 50).toFixed(1)} ms`, `${percentile(allLatencies, 99).toFixed(1)} ms`,
      int(rows.reduce((n, r) => n + Number(r[5]!.replace(/,/g, '')), 0)), int(rows.reduce((n, r) => n + Number(r[6]!.replace(/,/g, '')), 0) + transportErrors),
    ]);
    console.log(`Traffic: ${options.seconds} s, ${options.connections} API connections (closed loop) and ${options.pageRate} page requests/s, during the campaign send\n`);
    console.log(table(['route group', 'requests', 'req/s', 'p50', 'p99', '429 (public, expected)', 'errors'], rows));
    console.log(`\nConnection errors and timeouts (autocannon): API ${api.result.errors} (${api.result.timeouts} timeouts), pages ${pages.result.errors} (${pages.result.timeouts} timeouts)`);
    if (transportErrors) errors.push(['no answer within 60 s (autocannon timeout or connection error)', int(transportErrors), '']);
    console.log(errors.length ? `\nErrors (every non-2xx except 429 on public routes, and requests never answered)\n\n${table(['status and route', 'count', 'first body'], errors)}` : '\nErrors: none (every response 2xx, or 429 on a public route).');

    const mail = (await (await fetchAgain(`${stack.apiUrl}/_local/mail?to=${encodeURIComponent(`@${READERS_DOMAIN}`)}`)).json()) as { items: { to: string[]; subject: string }[] };
    const campaignMail = mail.items.filter((m) => m.subject.startsWith('News for'));
    const recipients = campaignMail.flatMap((m) => m.to.map((a) => a.toLowerCase()));
    const distinct = new Set(recipients);
    const expected = new Set(Array.from({ length: options.recipients }, (_, k) => `r${k}@${READERS_DOMAIN}`));
    const missing = [...expected].filter((address) => !distinct.has(address)).length;
    const sendSeconds = finished === undefined ? NaN : (finished - launched) / 1000;
    console.log(`\nThe campaign, sent while the traffic ran\n`);
    console.log(table(['measure', 'figure'], [
      ['campaign outcome', outcome],
      ['time from launch to sent', `${sendSeconds.toFixed(1)} s (${int(options.recipients / sendSeconds)} emails/s)`],
      [`sent while the traffic ran (first ${options.seconds} s)`, int(sentDuringLoad)],
      ['stats: targeted / sent / delivered / skipped', `${int(stats.targeted)} / ${int(stats.sent)} / ${int(stats.delivered)} / ${int(Object.values(stats.skipped ?? {}).reduce((n: number, v) => n + Number(v), 0))}`],
      ['campaign emails in the local mailbox', int(campaignMail.length)],
      ['distinct recipients', int(distinct.size)],
      ['duplicates (emails beyond one per recipient)', int(recipients.length - distinct.size)],
      ['recipients never mailed', int(missing)],
    ]));
  } finally {
    stray.stop();
    if (stray.seen.length) console.log(`\nCalls that failed with nobody awaiting them (noted, not fatal): ${stray.seen.length}, first: ${stray.seen[0]}`);
    await stack.stop();
  }
}
