/**
 * `BENCH_ONLY=cost npm run bench`: what each representative operation asks of AWS, measured on the local stack (SDK
 * calls by service, DynamoDB consumed capacity, Lambda invocations and time, Step Functions transitions, bytes
 * stored), and from those and list prices the monthly cost of a reference team. docs/cost.md explains the model.
 */
import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import { gzipSync } from 'node:zlib';
import { DynamoDBClient, ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { functions } from '../infra/manifest.ts';
import { LOCAL_TABLE, startLocalStack, type LocalStack } from '../infra/local/stack.ts';
import { fetchAgain, int, retried, settle, sleep, strayRejections, table, until } from './report.ts';
import { callTotals, meterRequests, readMeters, resetMeters, type Meters } from './requests.ts';

/** us-east-1 list prices (on demand, no free tier), USD. */
export const PRICE = {
  lambdaRequest: 0.20 / 1e6,
  /** arm64, first 7.5 billion GB-s a month. */
  lambdaGbSecond: 0.0000133334,
  apiRequest: 1.00 / 1e6,
  writeRequestUnit: 0.625 / 1e6,
  readRequestUnit: 0.125 / 1e6,
  storageGbMonth: 0.25,
  pitrGbMonth: 0.20,
  sesEmail: 0.10 / 1000,
  sesInboundEmail: 0.10 / 1000,
  stateTransition: 0.025 / 1000,
  customEvent: 1.00 / 1e6,
  s3Put: 0.005 / 1000,
  s3Get: 0.0004 / 1000,
  cloudFrontRequest: 0.0100 / 10_000,
  cloudFrontGb: 0.085,
  cloudFrontFunction: 0.10 / 1e6,
  invalidationPath: 0.005,
  logsIngestGb: 0.50,
  logsStoreGbMonth: 0.03,
  customMetricMonth: 0.30,
  secretMonth: 0.40,
  secretsCall: 0.05 / 10_000,
  xrayTrace: 5.00 / 1e6,
};

/** Per operation, what AWS bills for it. */
interface Usage {
  api: number;
  lambdaRequests: number;
  lambdaGbSeconds: number;
  rru: number;
  wru: number;
  sesEmails: number;
  sesCalls: number;
  events: number;
  transitions: number;
  historyEvents: number;
  s3Puts: number;
  s3Gets: number;
  invalidationPaths: number;
  /** Invocations of HTTP functions (each logs one metrics line). */
  httpInvocations: number;
}

const memoryGb = new Map(functions.map((fn) => [fn.name, (fn.memoryMb ?? 512) / 1024]));
const httpFunctions = new Set(functions.filter((fn) => fn.routes?.length).map((fn) => fn.name));

function usageOf(meters: Meters, api: number, per: number): Usage {
  const calls = callTotals(meters);
  const sum = (...keys: string[]) => keys.reduce((n, key) => n + (calls.get(key)?.count ?? 0), 0);
  const units = (key: string) => calls.get(key)?.units ?? 0;
  let lambdaRequests = 0;
  let lambdaGbSeconds = 0;
  let httpInvocations = 0;
  for (const [name, { count, ms }] of meters.invocations) {
    lambdaRequests += count;
    lambdaGbSeconds += (ms / 1000) * (memoryGb.get(name) ?? 0.5);
    if (httpFunctions.has(name)) httpInvocations += count;
  }
  const capacity = [...meters.capacity.values()].reduce((a, c) => ({ read: a.read + c.read, write: a.write + c.write }), { read: 0, write: 0 });
  const workflow = [...meters.transitions.values()].reduce((a, t) => ({ transitions: a.transitions + t.transitions, history: a.history + t.historyEvents }), { transitions: 0, history: 0 });
  return {
    api: api / per,
    lambdaRequests: lambdaRequests / per,
    lambdaGbSeconds: lambdaGbSeconds / per,
    rru: capacity.read / per,
    wru: capacity.write / per,
    sesEmails: (sum('SESv2.SendEmail') + units('SESv2.SendBulkEmail')) / per,
    sesCalls: sum('SESv2.SendEmail', 'SESv2.SendBulkEmail') / per,
    events: units('EventBridge.PutEvents') / per,
    transitions: workflow.transitions / per,
    historyEvents: workflow.history / per,
    s3Puts: sum('S3.PutObject', 'S3.CopyObject', 'S3.ListObjectsV2', 'S3.CreateMultipartUpload', 'S3.UploadPart', 'S3.CompleteMultipartUpload') / per,
    s3Gets: sum('S3.GetObject', 'S3.HeadObject') / per,
    invalidationPaths: units('CloudFront.CreateInvalidation') / per,
    httpInvocations: httpInvocations / per,
  };
}

/** DynamoDB's item size: names and values in UTF-8, numbers about one byte per two digits. */
function sizeOf(value: AttributeValue): number {
  if (value.S !== undefined) return Buffer.byteLength(value.S);
  if (value.N !== undefined) return Math.ceil(value.N.replace(/[-.]/g, '').length / 2) + 1;
  if (value.B !== undefined) return value.B.length;
  if (value.BOOL !== undefined || value.NULL !== undefined) return 1;
  if (value.SS) return value.SS.reduce((n, s) => n + Buffer.byteLength(s), 0);
  if (value.NS) return value.NS.reduce((n, s) => n + Math.ceil(s.length / 2) + 1, 0);
  if (value.L) return 3 + value.L.reduce((n, v) => n + 1 + sizeOf(v), 0);
  if (value.M) return 3 + Object.entries(value.M).reduce((n, [k, v]) => n + 1 + Buffer.byteLength(k) + sizeOf(v), 0);
  return 0;
}

/**
 * Bytes DynamoDB bills for the items that stay (no TTL): each item plus 100 bytes, and again in every index it is
 * projected into (all attributes). Read with a Scan: the bench's own look, never a request path.
 */
async function storedBytes(client: DynamoDBClient): Promise<number> {
  let bytes = 0;
  let ExclusiveStartKey: Record<string, AttributeValue> | undefined;
  do {
    const page = await retried(() => client.send(new ScanCommand({ TableName: LOCAL_TABLE, ExclusiveStartKey })));
    for (const item of page.Items ?? []) {
      if (item.expiresAt) continue;
      const size = Object.entries(item).reduce((n, [name, value]) => n + Buffer.byteLength(name) + sizeOf(value), 0) + 100;
      bytes += size * (1 + (item.GSI1PK ? 1 : 0) + (item.GSI2PK ? 1 : 0));
    }
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return bytes;
}

type Json = Record<string, any>;

export interface Measured {
  operations: Map<string, Usage>;
  schedules: Map<string, Usage>;
  scheduleCandidates: number;
  bytesPerCandidate: number;
  bytesPerEmail: number;
  pages: Map<string, number>;
  loadAverage: number;
}

/** Runs each representative operation `samples` times on a fresh stack and meters it. */
export async function measureOperations(samples: number, readers: number): Promise<Measured> {
  meterRequests();
  const stray = strayRejections();
  const stack: LocalStack = await retried(() => startLocalStack({ apiPort: 0, sitesPort: 0, memory: true, quiet: true, timeScale: 100_000 }));
  // The publisher asks for CloudFront invalidations only when a distribution is configured; the meter answers them.
  process.env.DISTRIBUTION_ID = 'BENCH';
  const dynamo = new DynamoDBClient({ endpoint: stack.dynamoEndpoint });
  try {
    const auth = { authorization: `Bearer ${await stack.tokenFor('recruiter')}`, 'content-type': 'application/json' };
    const request = async (method: string, path: string, body?: unknown, headers: Record<string, string> = auth): Promise<Json> => {
      const key = method === 'POST' ? { 'idempotency-key': randomUUID() } : {};
      const response = await fetchAgain(`${stack.apiUrl}${path}`, { method, headers: { ...headers, ...key }, body: body === undefined ? undefined : JSON.stringify(body) });
      const text = await response.text();
      if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text.slice(0, 300)}`);
      return text ? (JSON.parse(text) as Json) : {};
    };
    const operations = new Map<string, Usage>();
    /** Meters `run`, which makes `api` API requests in all, until the stack is quiet again; figures per `per`. */
    const measure = async (name: string, api: number, run: () => Promise<number | void>) => {
      await settle(stack);
      resetMeters();
      const per = (await run()) ?? api;
      await settle(stack);
      const usage = usageOf(readMeters(), api, per);
      operations.set(name, usage);
      return usage;
    };

    // The reference team's board: 20 published jobs, a career site with a sign-up form.
    const job = (k: number) => ({
      title: `Engineer ${k}`, description: `<p>${'We build serverless recruiting software and need people who care about quality. '.repeat(8)}</p>`,
      department: 'Engineering', requisitionId: `COST-${k}`, employmentTypes: ['FULL_TIME'], skills: ['typescript', 'aws'],
      location: { type: 'onsite', address: { city: 'Berlin', postalCode: '10115', country: 'DE' } }, salary: { currency: 'EUR', min: 60000, max: 80000, unit: 'YEAR' },
      validThrough: new Date(Date.now() + 365 * 86_400_000).toISOString(),
    });
    const jobs: Json[] = [];
    for (let k = 0; k < 20; k++) {
      const created = await request('POST', '/jobs', job(k));
      jobs.push(await request('POST', `/jobs/${created.id}/publish`));
    }
    const pool = await request('POST', '/pools', { name: 'Community' });
    const faq = Array.from({ length: 5 }, (_, k) => ({ question: `Question ${k} about working here?`, answer: 'A friendly answer of a sentence or two.' }));
    const site = await request('POST', '/sites', {
      slug: 'careers', title: 'Careers', heroText: 'Join a team that ships.', jobs: { departments: ['Engineering'] }, faq,
      signup: { fields: ['location'], consentText: 'You may keep my details to tell me about jobs for 24 months.', consentVersion: 'v1', poolId: pool.id },
    });
    await request('POST', `/sites/${site.id}/publish`);
    const segment = await request('POST', '/segments', { name: 'Readers', rule: { field: 'tags', op: 'contains', value: 'cost-readers' } });
    const dripSegment = await request('POST', '/segments', { name: 'Drip', rule: { field: 'tags', op: 'contains', value: 'cost-drip' } });
    const template = await request('POST', '/templates', {
      name: 'Newsletter', subject: 'News for {{firstName|default:"you"}}',
      html: '<p>Hi {{firstName|default:"there"}}, three roles match your skills.</p>{{jobSuggestions}}<p><a href="https://example.com/blog">Read more</a></p><p><a href="{{unsubscribeUrl}}">Unsubscribe</a></p>',
    });
    const dripPeople = Math.max(10, Math.round(readers / 4));
    const consents = [{ purpose: 'marketing-email', granted: true }];
    const people = [
      ...Array.from({ length: readers }, (_, k) => ({ email: `r${k}@cost-readers.example.com`, firstName: `Reader${k}`, lastName: 'Person', skills: ['typescript'], tags: ['cost-readers'], consents })),
      ...Array.from({ length: dripPeople }, (_, k) => ({ email: `d${k}@cost-drip.example.com`, firstName: `Drip${k}`, tags: ['cost-drip'], consents })),
    ];
    await settle(stack);
    const emptyBytes = await storedBytes(dynamo);
    const imported = await request('POST', '/imports', people);
    await until(() => request('GET', `/imports/${imported.id}`), (j) => j.status === 'completed' || j.status === 'failed');
    await until(() => request('GET', `/segments/${segment.id}`), (s) => s.memberCount === readers);
    await until(() => request('GET', `/segments/${dripSegment.id}`), (s) => s.memberCount === dripPeople);
    await settle(stack);
    const bytesPerCandidate = ((await storedBytes(dynamo)) - emptyBytes) / people.length;

    const readerIds = ((await request('GET', '/candidates?tag=cost-readers&limit=200')).items as Json[]).map((c) => c.id as string);
    const created: string[] = [];
    const run = Date.now().toString(36);
    await measure('create a candidate (API)', samples, async () => {
      for (let i = 0; i < samples; i++) {
        created.push((await request('POST', '/candidates', { email: `c${i}.${run}@example.org`, firstName: 'Casey', lastName: `Sourced ${i}`, skills: ['go'], location: { country: 'DE' } })).id);
      }
    });
    await measure('update a candidate (API)', samples, async () => {
      for (let i = 0; i < samples; i++) await request('PATCH', `/candidates/${created[i]}`, { headline: `Staff engineer ${i}`, tags: ['sourced'] });
    });
    await measure('read a candidate (API)', samples, async () => {
      for (let i = 0; i < samples; i++) await request('GET', `/candidates/${readerIds[i % readerIds.length]}`);
    });
    await measure('list or search candidates (API)', samples, async () => {
      for (let i = 0; i < samples; i++) await request('GET', i % 2 ? '/candidates?limit=50' : `/candidates?q=Reader${i}`);
    });
    await measure('public application (with acknowledgement)', samples, async () => {
      for (let i = 0; i < samples; i++) {
        await request('POST', `/public/jobs/${jobs[i % jobs.length]!.id}/applications`, { email: `a${i}.${run}@example.net`, firstName: 'Ada', lastName: 'Applicant', coverLetter: 'I would like to join.' },
          { 'content-type': 'application/json', 'x-forwarded-for': `203.0.113.${i}` });
      }
    });
    await measure('public sign-up (confirmation email)', samples, async () => {
      for (let i = 0; i < samples; i++) {
        await request('POST', `/public/sites/${site.slug}/signups`, { email: `s${i}.${run}@example.net`, firstName: 'Sam', lastName: 'Member', country: 'DE', consent: true },
          { 'content-type': 'application/json', 'x-forwarded-for': `198.51.100.${i}` });
      }
    });
    const changes = Math.max(2, Math.round(samples / 4));
    await measure('job change (pages, feeds, site of 20 jobs)', changes, async () => {
      for (let i = 0; i < changes; i++) await request('PATCH', `/jobs/${jobs[i % jobs.length]!.id}`, { title: `Engineer ${i}, revised` });
    });
    await measure('analytics read (overview or funnel)', samples, async () => {
      for (let i = 0; i < samples; i++) await request('GET', i % 2 ? '/analytics/overview' : '/analytics/funnel?groupBy=campaign');
    });

    // A one-shot email: planning, claiming, SendBulkEmail, the SEND and DELIVERY events through tracking.
    const beforeCampaign = await storedBytes(dynamo);
    let campaignId = '';
    await measure('one-shot campaign email (send and delivery)', 2, async () => {
      campaignId = (await request('POST', '/campaigns', { name: 'Newsletter', kind: 'one-shot', audience: { segmentId: segment.id }, templateId: template.id })).id;
      await request('POST', `/campaigns/${campaignId}/launch`);
      await until(() => request('GET', `/campaigns/${campaignId}`), (c) => !['scheduled', 'sending', 'running'].includes(c.status));
      return (await until(() => request('GET', `/campaigns/${campaignId}/stats`), (s) => s.sent > 0 && s.delivered === s.sent)).sent as number;
    });
    const bytesPerEmail = ((await storedBytes(dynamo)) - beforeCampaign) / readers;

    // Opens and clicks as SES reports them, from a person's browser well after delivery (so not a prefetch).
    const mail = (await (await fetchAgain(`${stack.apiUrl}/_local/mail?to=${encodeURIComponent('@cost-readers.example.com')}`)).json()) as { items: { messageId: string }[] };
    await sleep(11_000);
    const browser = { userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36', ipAddress: '192.0.2.44' };
    const sesEvent = (body: unknown) => fetchAgain(`${stack.apiUrl}/_local/ses-events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    await measure('email open (human)', 0, async () => {
      for (const { messageId } of mail.items) await sesEvent({ messageId, eventType: 'Open', open: browser });
      return mail.items.length;
    });
    const clicked = mail.items.slice(0, Math.max(1, Math.round(mail.items.length / 4)));
    await measure('email click', 0, async () => {
      for (const { messageId } of clicked) await sesEvent({ messageId, eventType: 'Click', click: { ...browser, link: 'https://example.com/blog' } });
      return clicked.length;
    });

    await measure('drip email (3 steps)', 2, async () => {
      const steps = [0, 1, 2].map((i) => ({ templateId: template.id, delay: i ? 'P2D' : 'PT0M' }));
      const drip = await request('POST', '/campaigns', { name: 'Nurture', kind: 'drip', audience: { segmentId: dripSegment.id }, steps });
      await request('POST', `/campaigns/${drip.id}/launch`);
      return (await until(() => request('GET', `/campaigns/${drip.id}/stats`), (s) => s.delivered === dripPeople * 3, 10 * 60_000)).sent as number;
    });

    const schedules = new Map<string, Usage>();
    for (const fn of functions.filter((f) => f.schedule)) {
      await settle(stack);
      resetMeters();
      await fetchAgain(`${stack.apiUrl}/_local/schedules/${fn.schedule!.name}/run`, { method: 'POST' });
      await settle(stack);
      schedules.set(fn.schedule!.name, usageOf(readMeters(), 0, 1));
    }
    // The imported people, and those the API and the applications created.
    const scheduleCandidates = people.length + samples * 2;

    // Career pages are static files behind CloudFront: what a view transfers, compressed as CloudFront serves it.
    const pages = new Map<string, number>();
    for (const [name, path] of [['job page', new URL(jobs[0]!.url as string).pathname], ['career site page', `/sites/${site.slug}/`], ['jobs.json feed', '/feeds/jobs.json'], ['indeed.xml feed', '/feeds/indeed.xml']] as const) {
      pages.set(name, gzipSync(Buffer.from(await (await fetchAgain(`${stack.sitesUrl}${path}`)).arrayBuffer())).length);
    }
    return { operations, schedules, scheduleCandidates, bytesPerCandidate, bytesPerEmail, pages, loadAverage: loadavg()[1]! };
  } finally {
    stray.stop();
    if (stray.seen.length) console.log(`Calls that failed with nobody awaiting them (noted, not fatal): ${stray.seen.length}, first: ${stray.seen[0]}`);
    delete process.env.DISTRIBUTION_ID;
    dynamo.destroy();
    await stack.stop();
  }
}

/** The reference team's month. Every figure here is an assumption; docs/cost.md gives the reasons. */
export const TEAM = {
  candidates: 50_000,
  oneShotEmails: 150_000,
  dripEmails: 50_000,
  /** Share of emails opened (machine opens included: they still pass through tracking) and clicked. */
  openRate: 0.40,
  clickRate: 0.04,
  repliesPerEmail: 0.005,
  candidateCreates: 1_000,
  candidateUpdates: 10_000,
  candidateReads: 30_000,
  candidateLists: 20_000,
  applications: 2_000,
  signups: 500,
  jobChanges: 80,
  analyticsReads: 2_000,
  jobPageViews: 40_000,
  sitePageViews: 10_000,
  /** Job boards fetching the two feeds, three aggregators hourly. */
  feedFetches: 2 * 3 * 24 * 30,
  /** Campaign and tracking records kept a year: the table holds twelve months of email. */
  emailMonthsKept: 12,
  /** A cold start in one invocation of ten, with about 250 ms of module init billed at the function's memory (0.5 GB). */
  coldStartShare: 0.1,
  initSeconds: 0.25,
  /** Bytes of log per item: Lambda's START/END/REPORT lines, one metrics (EMF) line per HTTP invocation, an API access log line, a Step Functions history event. */
  platformLogBytes: 450,
  metricsLogBytes: 350,
  accessLogBytes: 250,
  historyEventBytes: 350,
  /** Custom metrics (Succeeded / Rejected / Failed per context with routes), billed for the hours they get data: about a working day's. */
  customMetrics: 3 * 8,
  metricHoursShare: 0.3,
  secrets: 2,
  secretsCalls: 5_000,
  /** X-Ray's default sampling during a send's bursts (opens and clicks trickle in: all of them traced). */
  burstTraced: 0.05,
};

const usd = (value: number) => (value >= 100 ? `$${value.toFixed(0)}` : value >= 1 ? `$${value.toFixed(2)}` : `$${value.toFixed(3)}`);
const fixed = (value: number, digits = 2) => (value === 0 ? '0' : value < 0.01 ? value.toExponential(1) : value.toFixed(digits));

/**
 * Cost of one unit of `usage`, by service (storage and fixed fees are added for the month). `traced`: the share of its
 * invocations X-Ray records; the default rule takes one a second and 5 % of the rest, so a campaign's bursts are 5 %.
 */
function costOf(u: Usage, traced = 1) {
  const logBytes = u.lambdaRequests * TEAM.platformLogBytes + u.httpInvocations * TEAM.metricsLogBytes + u.api * TEAM.accessLogBytes + u.historyEvents * TEAM.historyEventBytes;
  return {
    lambda: u.lambdaRequests * PRICE.lambdaRequest + u.lambdaGbSeconds * PRICE.lambdaGbSecond + u.lambdaRequests * TEAM.coldStartShare * TEAM.initSeconds * 0.5 * PRICE.lambdaGbSecond,
    api: u.api * PRICE.apiRequest,
    dynamodb: u.rru * PRICE.readRequestUnit + u.wru * PRICE.writeRequestUnit,
    ses: u.sesEmails * PRICE.sesEmail,
    stepFunctions: u.transitions * PRICE.stateTransition,
    eventBridge: u.events * PRICE.customEvent,
    s3: u.s3Puts * PRICE.s3Put + u.s3Gets * PRICE.s3Get,
    cloudFront: u.invalidationPaths * PRICE.invalidationPath,
    logs: (logBytes / 1e9) * (PRICE.logsIngestGb + PRICE.logsStoreGbMonth),
    xray: u.lambdaRequests * traced * PRICE.xrayTrace,
  };
}
type Cost = ReturnType<typeof costOf>;
const sumCost = (items: [Cost, number][]): Cost => {
  const total = { lambda: 0, api: 0, dynamodb: 0, ses: 0, stepFunctions: 0, eventBridge: 0, s3: 0, cloudFront: 0, logs: 0, xray: 0 };
  for (const [cost, times] of items) for (const key of Object.keys(total) as (keyof Cost)[]) total[key] += cost[key] * times;
  return total;
};

export function printCost(measured: Measured, samples: number) {
  const ops = measured.operations;
  console.log(`Load average of the machine while measuring: ${measured.loadAverage.toFixed(1)} (Lambda time is wall-clock here, so it grows with it)\n`);
  console.log(`Measured per operation (${samples} samples each; campaign figures per email; DynamoDB units as DynamoDB Local reports them)\n`);
  const header = ['operation', 'API req', 'Lambda inv', 'Lambda GB-s', 'RRU', 'WRU', 'SES emails', 'events', 'transitions', 'S3 put / get', 'CDN paths'];
  const row = (name: string, u: Usage) => [
    name, fixed(u.api), fixed(u.lambdaRequests), fixed(u.lambdaGbSeconds, 3), fixed(u.rru, 1), fixed(u.wru, 1), fixed(u.sesEmails), fixed(u.events), fixed(u.transitions),
    `${fixed(u.s3Puts)} / ${fixed(u.s3Gets)}`, fixed(u.invalidationPaths),
  ];
  console.log(table(header, [...[...ops].map(([name, u]) => row(name, u)), ...[...measured.schedules].map(([name, u]) => row(`schedule ${name} (one run, ${int(measured.scheduleCandidates)} candidates)`, u))]));
  console.log(`\nStored (items without TTL, with their index copies): ${int(measured.bytesPerCandidate)} bytes per candidate, ${int(measured.bytesPerEmail)} bytes per campaign email sent`);
  console.log(`Career pages, gzip as CloudFront serves them: ${[...measured.pages].map(([name, bytes]) => `${name} ${(bytes / 1024).toFixed(1)} KB`).join(', ')}`);

  const op = (name: string, traced?: number) => {
    const usage = ops.get(name);
    if (!usage) throw new Error(`no measurement for ${name}`);
    return costOf(usage, traced);
  };
  const perEmail = (kind: 'one-shot campaign email (send and delivery)' | 'drip email (3 steps)') =>
    sumCost([[op(kind, TEAM.burstTraced), 1], [op('email open (human)'), TEAM.openRate], [op('email click'), TEAM.clickRate]]);
  const total = (c: Cost) => Object.values(c).reduce((a, b) => a + b, 0);
  const per1000 = (c: Cost) => total(c) * 1000;
  const oneShot = perEmail('one-shot campaign email (send and delivery)');
  const drip = perEmail('drip email (3 steps)');
  console.log(`\nCost per 1,000 campaign emails, with ${TEAM.openRate * 100} % opened and ${TEAM.clickRate * 100} % clicked (SES alone: $0.100)\n`);
  const split = (c: Cost) => [usd(c.ses * 1000), usd(c.dynamodb * 1000), usd(c.lambda * 1000), usd(c.stepFunctions * 1000), usd(c.logs * 1000), usd(c.xray * 1000), usd((c.eventBridge + c.s3 + c.api + c.cloudFront) * 1000), usd(per1000(c)), `${(per1000(c) / 0.1).toFixed(2)}×`];
  console.log(table(['email', 'SES', 'DynamoDB', 'Lambda', 'Step Functions', 'logs', 'X-Ray', 'other', 'total', '× SES'], [['one-shot', ...split(oneShot)], ['drip step', ...split(drip)]]));

  // The month: operations by volume, then storage, logs storage and fixed fees.
  const days = 30;
  // A schedule that mails (the Art. 14 notice) writes once to each person sourced without being told, not daily to all.
  const schedulesPerMonth = [...measured.schedules.values()].map((u): [Cost, number] =>
    u.sesEmails > 0 ? [costOf(u), TEAM.candidateCreates / u.sesEmails] : [costOf(u), (days * TEAM.candidates) / measured.scheduleCandidates]);
  const lines: [string, Cost, number][] = [
    ['one-shot emails (with opens and clicks)', oneShot, TEAM.oneShotEmails],
    ['drip emails (with opens and clicks)', drip, TEAM.dripEmails],
    ['candidates created (API)', op('create a candidate (API)'), TEAM.candidateCreates],
    ['candidate updates', op('update a candidate (API)'), TEAM.candidateUpdates],
    ['candidate reads', op('read a candidate (API)'), TEAM.candidateReads],
    ['candidate lists and searches', op('list or search candidates (API)'), TEAM.candidateLists],
    ['public applications', op('public application (with acknowledgement)'), TEAM.applications],
    ['talent community sign-ups', op('public sign-up (confirmation email)'), TEAM.signups],
    ['job changes (regeneration)', op('job change (pages, feeds, site of 20 jobs)'), TEAM.jobChanges],
    ['analytics reads', op('analytics read (overview or funnel)'), TEAM.analyticsReads],
    ['daily schedules (scaled to 50,000 candidates; notices per sourced person)', sumCost(schedulesPerMonth), 1],
  ];
  const monthly = sumCost(lines.map(([, cost, volume]) => [cost, volume]));
  const gb = (bytes: number) => bytes / 1e9;
  const storedEmails = (TEAM.oneShotEmails + TEAM.dripEmails) * TEAM.emailMonthsKept;
  const tableGb = gb(measured.bytesPerCandidate * TEAM.candidates + measured.bytesPerEmail * storedEmails);
  const pageBytes = TEAM.jobPageViews * measured.pages.get('job page')! + TEAM.sitePageViews * measured.pages.get('career site page')! + (TEAM.feedFetches / 2) * (measured.pages.get('jobs.json feed')! + measured.pages.get('indeed.xml feed')!);
  const pageViews = TEAM.jobPageViews + TEAM.sitePageViews + TEAM.feedFetches;
  const replies = (TEAM.oneShotEmails + TEAM.dripEmails) * TEAM.repliesPerEmail;
  const extra = {
    dynamoStorage: tableGb * PRICE.storageGbMonth,
    pitr: tableGb * PRICE.pitrGbMonth,
    cloudFront: pageViews * (PRICE.cloudFrontRequest + PRICE.cloudFrontFunction) + gb(pageBytes) * PRICE.cloudFrontGb,
    sesInbound: replies * PRICE.sesInboundEmail,
    metrics: TEAM.customMetrics * TEAM.metricHoursShare * PRICE.customMetricMonth,
    secrets: TEAM.secrets * PRICE.secretMonth + TEAM.secretsCalls * PRICE.secretsCall,
  };
  const rows: string[][] = lines.map(([name, cost, volume]) => [name, volume === 1 ? '30 days' : int(volume), usd(total(cost) * volume)]);
  rows.push(
    [`DynamoDB storage and PITR (${tableGb.toFixed(2)} GB: candidates and ${TEAM.emailMonthsKept} months of email records)`, '', usd(extra.dynamoStorage + extra.pitr)],
    [`CloudFront (${int(pageViews)} requests, ${gb(pageBytes).toFixed(2)} GB, viewer function)`, '', usd(extra.cloudFront)],
    [`SES inbound replies (${int(replies)})`, '', usd(extra.sesInbound)],
    [`CloudWatch custom metrics (${TEAM.customMetrics}, ${TEAM.metricHoursShare * 100} % of hours)`, '', usd(extra.metrics)],
    [`Secrets Manager (${TEAM.secrets} secrets)`, '', usd(extra.secrets)],
  );
  const fixedCosts = Object.values(extra).reduce((a, b) => a + b, 0);
  const grand = total(monthly) + fixedCosts;
  rows.push(['total', '', usd(grand)]);
  console.log(`\nMonthly cost of the reference team (${int(TEAM.candidates)} candidates, ${int(TEAM.oneShotEmails + TEAM.dripEmails)} emails, 20 published jobs), us-east-1 list prices, no free tier\n`);
  console.log(table(['line', 'volume', 'cost'], rows));
  console.log('\nBy service');
  const byService: [string, number][] = [
    ['SES', monthly.ses + extra.sesInbound], ['DynamoDB', monthly.dynamodb + extra.dynamoStorage + extra.pitr], ['Lambda', monthly.lambda], ['Step Functions', monthly.stepFunctions],
    ['CloudWatch (logs, metrics)', monthly.logs + extra.metrics], ['X-Ray', monthly.xray], ['CloudFront', monthly.cloudFront + extra.cloudFront], ['API Gateway', monthly.api],
    ['EventBridge', monthly.eventBridge], ['S3', monthly.s3], ['Secrets Manager', extra.secrets],
  ];
  console.log(`\n${table(['service', 'per month', 'share'], byService.map(([name, value]) => [name, usd(value), `${((value / grand) * 100).toFixed(1)} %`]))}`);
}
