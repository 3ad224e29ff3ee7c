/**
 * `npm run bench`: bundle size and cold module-init time per function, and API latency on the local stack
 * against raw DynamoDB calls on the same emulator. Prints a table; measurements only, never pass/fail timing.
 */
import { execFile, spawnSync } from 'node:child_process';
import { mkdirSync, statSync } from 'node:fs';
import { promisify } from 'node:util';
import { BatchWriteItemCommand, DynamoDBClient, GetItemCommand, PutItemCommand, TransactWriteItemsCommand, type TransactWriteItem } from '@aws-sdk/client-dynamodb';
import { build } from 'esbuild';
import { esbuildOptions } from '../infra/bundling.ts';
import { startLocalStack } from '../infra/local/stack.ts';
import { consumedCapacity, meterCapacity, resetCapacity } from '../infra/local/capacity.ts';
import { invocationStats, resetInvocations } from '../infra/local/lambda.ts';
import { functions } from '../infra/manifest.ts';

const run = promisify(execFile);
const OUT = '.local/bench';
const BUDGET_BYTES = 300 * 1024;
const INIT_BUDGET_MS = 60;

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};
const median = (values: number[]) => percentile(values, 50);
const ms = (value: number) => `${value.toFixed(1)} ms`;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`;

async function bundleAndInit() {
  mkdirSync(OUT, { recursive: true });
  const rows: string[][] = [];
  for (const fn of functions) {
    const outfile = `${OUT}/${fn.name}.mjs`;
    await build({ ...esbuildOptions, entryPoints: [fn.entry], outfile, logLevel: 'error' });
    const size = statSync(outfile).size;
    // A fresh process per sample: the cost Lambda pays at a cold start (SDK clients loaded from node_modules).
    const samples: number[] = [];
    for (let i = 0; i < 5; i++) {
      const script = `const t=performance.now();await import(${JSON.stringify(`../../${outfile}`)});console.log(performance.now()-t)`;
      const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], {
        cwd: OUT,
        env: { ...process.env, TABLE_NAME: 'bench', EVENT_BUS_NAME: 'bench', AWS_REGION: 'eu-west-1', POWERTOOLS_DEV: 'true' },
      });
      samples.push(Number(stdout.trim()));
    }
    const init = median(samples);
    rows.push([fn.name, kb(size), size <= BUDGET_BYTES ? 'yes' : 'NO', ms(init), init <= INIT_BUDGET_MS ? 'yes' : 'NO']);
  }
  return rows;
}

async function timed(samples: number, call: (i: number) => Promise<unknown>) {
  const durations: number[] = [];
  for (let i = 0; i < samples; i++) {
    const start = performance.now();
    await call(i);
    durations.push(performance.now() - start);
  }
  return { p50: percentile(durations, 50), p99: percentile(durations, 99) };
}

async function apiLatency(samples: number) {
  const stack = await startLocalStack({ apiPort: 0, sitesPort: 0, memory: true, quiet: true });
  try {
    const token = await stack.tokenFor('recruiter');
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const runId = Date.now().toString(36);
    const ids: string[] = [];
    const create = async (i: number, tag: string) => {
      const response = await fetch(`${stack.apiUrl}/candidates`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ email: `bench.${tag}.${runId}.${i}@example.com`, firstName: 'Bench', lastName: `Person ${i}`, skills: ['typescript'], location: { country: 'DE' } }),
      });
      if (response.status !== 201) throw new Error(`POST /candidates answered ${response.status}`);
      ids.push(((await response.json()) as { id: string }).id);
    };
    for (let i = 0; i < 20; i++) await create(i, 'warm');
    const post = await timed(samples, (i) => create(i, 'run'));
    const get = await timed(samples, async (i) => {
      const response = await fetch(`${stack.apiUrl}/candidates/${ids[i % ids.length]}`, { headers });
      if (response.status !== 200) throw new Error(`GET /candidates/{id} answered ${response.status}`);
      await response.arrayBuffer();
    });

    // The raw baseline stores and reads the very profile item the API stores: same size, same table.
    const dynamo = new DynamoDBClient({});
    const TableName = process.env.TABLE_NAME!;
    const { Item: profile } = await dynamo.send(new GetItemCommand({ TableName, Key: { PK: { S: `CAND#${ids[0]}` }, SK: { S: 'PROFILE' } } }));
    // Same size and attributes, but outside the candidate indexes and the profile stream filter.
    const { GSI1PK, GSI1SK, ...attributes } = profile!;
    const item = (i: number) => ({ ...attributes, PK: { S: `BENCH#${runId}#${i}` }, SK: { S: 'BENCH' } });
    for (let i = 0; i < 20; i++) await dynamo.send(new PutItemCommand({ TableName, Item: item(i) }));
    const rawPut = await timed(samples, (i) => dynamo.send(new PutItemCommand({ TableName, Item: item(i) })));
    // The same guarantees by hand: profile and email guard conditional, plus the outbox entry, in one transaction.
    const rawTransact = await timed(samples, (i) =>
      dynamo.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            { Put: { TableName, Item: { ...item(i), PK: { S: `BENCHTX#${runId}#${i}` } }, ConditionExpression: 'attribute_not_exists(PK)' } },
            { Put: { TableName, Item: { PK: { S: `BENCHGUARD#${runId}#${i}` }, SK: { S: 'EMAIL' }, candidateId: { S: String(i) } }, ConditionExpression: 'attribute_not_exists(PK)', ReturnValuesOnConditionCheckFailure: 'ALL_OLD' } },
            { Put: { TableName, Item: { PK: { S: `BENCHEVENT#${runId}#${i}` }, SK: { S: 'BENCH' }, detail: { S: '{}' } } } },
          ],
        }),
      ),
    );
    const rawGet = await timed(samples, (i) => dynamo.send(new GetItemCommand({ TableName, Key: { PK: item(i).PK, SK: item(i).SK } })));
    return [
      ['POST /candidates', ms(post.p50), ms(post.p99), 'PutItem', ms(rawPut.p50), ms(rawPut.p99), `${(post.p50 / rawPut.p50).toFixed(2)}×`],
      ['POST /candidates', ms(post.p50), ms(post.p99), 'TransactWriteItems (same 3 items)', ms(rawTransact.p50), ms(rawTransact.p99), `${(post.p50 / rawTransact.p50).toFixed(2)}×`],
      ['GET /candidates/{id}', ms(get.p50), ms(get.p99), 'GetItem', ms(rawGet.p50), ms(rawGet.p99), `${(get.p50 / rawGet.p50).toFixed(2)}×`],
    ];
  } finally {
    await stack.stop();
  }
}

/**
 * Generates a CSV of `rows` people, uploads it through the presigned URL, and times the import to completion; then,
 * on those people, times a segment backfill and meters what segment evaluation writes per candidate change.
 */
async function importAndSegments(rows: number) {
  const stack = await startLocalStack({ apiPort: 0, sitesPort: 0, memory: true, quiet: true });
  meterCapacity();
  try {
    const token = await stack.tokenFor('recruiter');
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const runId = Date.now().toString(36);
    const lines = ['email,first name,last name,city,country,skills,tags'];
    for (let i = 0; i < rows; i++) lines.push(`p${i}.${runId}@example.com,Person,Number ${i},Berlin,DE,"typescript,aws",bench`);
    const csv = `${lines.join('\n')}\n`;
    const accepted = (await (await fetch(`${stack.apiUrl}/imports`, { method: 'POST', headers, body: JSON.stringify({ upload: true, format: 'csv' }) })).json()) as {
      id: string;
      upload: { url: string; headers: Record<string, string> };
    };
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
    const start = performance.now();
    await fetch(accepted.upload.url, { method: 'PUT', headers: accepted.upload.headers, body: csv });
    let job: { status: string; created: number; failed: number };
    do {
      await new Promise((resolve) => setTimeout(resolve, 250));
      job = (await (await fetch(`${stack.apiUrl}/imports/${accepted.id}`, { headers })).json()) as typeof job;
    } while (job.status !== 'completed' && job.status !== 'failed');
    const seconds = (performance.now() - start) / 1000;
    clearInterval(sampler);

    // The emulator's own ceiling: the same profiles and email guards written by hand in full 98-item transactions.
    const dynamo = new DynamoDBClient({});
    const TableName = process.env.TABLE_NAME!;
    const { Item: profile } = await dynamo.send(new GetItemCommand({ TableName, Key: { PK: { S: `EMAIL#p0.${runId}@example.com` }, SK: { S: 'EMAIL' } } }));
    const { Item: sample } = await dynamo.send(new GetItemCommand({ TableName, Key: { PK: { S: `CAND#${profile!.candidateId!.S}` }, SK: { S: 'PROFILE' } } }));
    // Same size and attributes as a profile, but outside the candidate indexes and the profile stream filter.
    const { GSI1PK, GSI1SK, ...attributes } = sample!;
    const rawRows = Math.min(rows, 5000);
    const rawStart = performance.now();
    for (let first = 0; first < rawRows; first += 49) {
      const TransactItems = Array.from({ length: Math.min(49, rawRows - first) }, (_, k) => first + k).flatMap((i): TransactWriteItem[] => [
        { Put: { TableName, Item: { ...attributes, PK: { S: `BENCHIMPORT#${runId}#${i}` }, SK: { S: 'BENCH' } }, ConditionExpression: 'attribute_not_exists(PK)' } },
        { Put: { TableName, Item: { PK: { S: `BENCHGUARD#${runId}#${i}` }, SK: { S: 'EMAIL' }, candidateId: { S: String(i) } }, ConditionExpression: 'attribute_not_exists(PK)' } },
      ]);
      await dynamo.send(new TransactWriteItemsCommand({ TransactItems }));
    }
    const rawRate = rawRows / ((performance.now() - rawStart) / 1000);
    const importRow = [
      `${rows.toLocaleString('en')} rows, ${(csv.length / 1024 / 1024).toFixed(1)} MB`, job.status, String(job.created), String(job.failed),
      `${seconds.toFixed(1)} s`, `${Math.round(rows / seconds).toLocaleString('en')} rows/s`, `${Math.round(rawRate).toLocaleString('en')} rows/s`,
      `${((rows / seconds / rawRate) * 100).toFixed(0)} %`, `${Math.round((peak - baseline) / 1024 / 1024)} MB`,
    ];
    console.log(table(['file', 'status', 'created', 'failed', 'time', 'throughput', 'raw transactions', 'of raw', 'peak memory growth'], [importRow]));
    console.log('\nRaw transactions: the same profile and email-guard items written directly in 98-item TransactWriteItems on the same emulator,');
    console.log('the ceiling for a unique-email insert on DynamoDB Local. The import also reads guards, checkpoints every 100 rows and writes outbox entries.');
    const segments = await segmentFigures(stack.apiUrl, headers);
    console.log('\nSegments on the imported people (rule: tag and experience; the indexer\'s consumed capacity, metered on DynamoDB Local)\n');
    console.log(table(['measure', 'figure', 'rate / reads', 'note'], segments));
  } finally {
    await stack.stop();
  }
}

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 15 * 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function segmentFigures(apiUrl: string, headers: Record<string, string>) {
  const call = async (method: string, path: string, body?: unknown) =>
    (await (await fetch(`${apiUrl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })).json()) as Record<string, unknown>;
  type Seg = { id: string; memberCount: number; backfill: { status: string; processed: number } };
  // The indexer works through the import's profiles from the stream first: measure once it is quiet.
  const quiet = async () => {
    for (;;) {
      resetCapacity();
      await new Promise((resolve) => setTimeout(resolve, 2000));
      if (!consumedCapacity().get('candidates-indexer')?.write) return;
    }
  };
  await quiet();
  const rule = { all: [{ field: 'tags', op: 'contains', value: 'bench' }, { field: 'experienceYears', op: 'gte', value: 5 }] };
  const start = performance.now();
  const segment = (await call('POST', '/segments', { name: 'Bench seniors', rule })) as unknown as Seg;
  const filled = (await until(() => call('GET', `/segments/${segment.id}`) as Promise<unknown> as Promise<Seg>, (s) => s.backfill.status !== 'running')) as Seg;
  const backfillSeconds = (performance.now() - start) / 1000;

  // One candidate enters the segment, then changes without leaving it: what the indexer writes for each.
  const someone = ((await call('GET', '/candidates?tag=bench&limit=1')).items as { id: string }[])[0]!.id;
  const meter = async (patch: Record<string, unknown>, members: number) => {
    await quiet();
    resetCapacity();
    await call('PATCH', `/candidates/${someone}`, patch);
    await until(() => call('GET', `/segments/${segment.id}`) as Promise<unknown> as Promise<Seg>, (s) => s.memberCount === members, 20_000);
    // Done once the indexer has read (it always reads memberships) and has written nothing more for two seconds.
    let last = -1;
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, 2000));
      const used = consumedCapacity().get('candidates-indexer') ?? { read: 0, write: 0 };
      if (used.read > 0 && used.write === last) return used;
      last = used.write;
    }
  };
  const entering = await meter({ experienceYears: 7 }, 1);
  const staying = await meter({ experienceYears: 8 }, 1);
  return [
    [`backfill of ${filled.backfill.processed.toLocaleString('en')} candidates`, `${backfillSeconds.toFixed(1)} s`, `${Math.round(filled.backfill.processed / backfillSeconds).toLocaleString('en')} candidates/s`, ''],
    ['candidate change that enters a segment', `${entering.write} WCU written`, `${entering.read} RCU read`, 'minimum 6 WCU (member, count, event: one transaction)'],
    ['candidate change that moves no membership', `${staying.write} WCU written`, `${staying.read} RCU read`, 'minimum 0 WCU'],
  ];
}

/** List prices (us-east-1, on demand, arm64 Lambda) behind the cost estimates. */
const PRICE = {
  sesPerEmail: 0.10 / 1000,
  lambdaPerRequest: 0.20 / 1e6,
  lambdaPerGbSecond: 0.0000133334,
  writeRequestUnit: 0.625 / 1e6,
  readRequestUnit: 0.125 / 1e6,
  stateTransition: 0.025 / 1000,
  customEvent: 1.0 / 1e6,
};

/**
 * A one-shot campaign to 10,000 people and a drip on the local stack: time, SES calls, consumed capacity per email
 * (metered on DynamoDB Local), Lambda invocations, and from those the AWS cost per 1,000 emails at list prices.
 */
async function campaignFigures(people: number) {
  const stack = await startLocalStack({ apiPort: 0, sitesPort: 0, memory: true, quiet: true, timeScale: 100_000 });
  meterCapacity();
  try {
    const headers = { authorization: `Bearer ${await stack.tokenFor('recruiter')}`, 'content-type': 'application/json' };
    const call = async (method: string, path: string, body?: unknown) =>
      (await (await fetch(`${stack.apiUrl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })).json()) as Record<string, unknown>;
    const consents = [{ purpose: 'marketing-email', granted: true }];
    // The segments exist before the people: the stream indexer adds each as their profile lands.
    const segment = await call('POST', '/segments', { name: 'Bench readers', rule: { field: 'tags', op: 'contains', value: 'campaign-bench' } });
    const dripSegment = await call('POST', '/segments', { name: 'Drip bench', rule: { field: 'tags', op: 'contains', value: 'drip-bench' } });
    const dripPeople = 200;
    const everyone = [
      ...Array.from({ length: people }, (_, k) => ({ email: `r${k}@example.com`, firstName: `Reader${k}`, tags: ['campaign-bench'], consents })),
      ...Array.from({ length: dripPeople }, (_, k) => ({ email: `d${k}@example.com`, tags: ['drip-bench'], consents })),
    ];
    for (let first = 0; first < everyone.length; first += 5000) {
      const job = await call('POST', '/imports', everyone.slice(first, first + 5000));
      await until(() => call('GET', `/imports/${job.id}`), (j) => j.status === 'completed' || j.status === 'failed');
    }
    await until(() => call('GET', `/segments/${segment.id}`), (x) => x.memberCount === people);
    await until(() => call('GET', `/segments/${dripSegment.id}`), (x) => x.memberCount === dripPeople);
    const template = await call('POST', '/templates', {
      name: 'Bench', subject: 'News for {{firstName|default:"you"}}', html: '<p>Hi {{firstName|default:"there"}}, three roles match your skills.</p>{{jobSuggestions}}<p><a href="{{unsubscribeUrl}}">Unsubscribe</a></p>',
    });
    // The stream still carries the import's profiles to the candidates indexer: measure once it is quiet.
    for (;;) {
      resetCapacity();
      await new Promise((resolve) => setTimeout(resolve, 2000));
      if (!consumedCapacity().get('candidates-indexer')?.write) break;
    }
    await stack.idle();

    const measure = async (run: () => Promise<number>) => {
      resetCapacity();
      resetInvocations();
      stack.resetSesCalls();
      const start = performance.now();
      const emails = await run();
      await stack.idle();
      // Only the campaigns context's work: the stream still carries the import's profiles to the candidates indexer.
      const ours = <T>(map: Map<string, T>) => new Map([...map].filter(([name]) => name.startsWith('campaigns-')));
      return { emails, seconds: (performance.now() - start) / 1000, capacity: ours(consumedCapacity()), invocations: ours(invocationStats()), ses: [...stack.sesCalls().values()].reduce((a, b) => a + b, 0) };
    };
    const oneShot = await measure(async () => {
      const campaign = await call('POST', '/campaigns', { name: 'Bench', kind: 'one-shot', audience: { segmentId: segment.id }, templateId: template.id });
      await call('POST', `/campaigns/${campaign.id}/launch`);
      await until(() => call('GET', `/campaigns/${campaign.id}`), (c) => c.status !== 'sending', 30 * 60_000);
      await until(() => call('GET', `/campaigns/${campaign.id}/stats`), (st) => st.delivered === st.sent, 5 * 60_000);
      return (await call('GET', `/campaigns/${campaign.id}/stats`)).sent as number;
    });
    const drip = await measure(async () => {
      const steps = [0, 1, 2].map((i) => ({ templateId: template.id, delay: i ? 'P2D' : 'PT0M' }));
      const campaign = await call('POST', '/campaigns', { name: 'Drip bench', kind: 'drip', audience: { segmentId: dripSegment.id }, steps });
      await call('POST', `/campaigns/${campaign.id}/launch`);
      await until(() => call('GET', `/campaigns/${campaign.id}/stats`), (st) => st.delivered === dripPeople * 3, 10 * 60_000);
      return (await call('GET', `/campaigns/${campaign.id}/stats`)).sent as number;
    });

    const memoryOf = (name: string) => (functions.find((f) => f.name === name)?.memoryMb ?? 512) / 1024;
    const costPer1000 = (run: typeof oneShot, transitionsPerEmail: number) => {
      let lambda = 0;
      for (const [name, { count, ms }] of run.invocations) lambda += count * PRICE.lambdaPerRequest + (ms / 1000) * memoryOf(name) * PRICE.lambdaPerGbSecond;
      const capacity = [...run.capacity.values()].reduce((sum, c) => ({ read: sum.read + c.read, write: sum.write + c.write }), { read: 0, write: 0 });
      const dynamo = capacity.write * PRICE.writeRequestUnit + capacity.read * PRICE.readRequestUnit;
      const perEmail = { ses: PRICE.sesPerEmail, lambda: lambda / run.emails, dynamo: dynamo / run.emails, workflow: transitionsPerEmail * PRICE.stateTransition };
      const total = perEmail.ses + perEmail.lambda + perEmail.dynamo + perEmail.workflow;
      return { ...perEmail, total, capacity };
    };
    // One-shot: per worker or planner Task a Task and a Choice transition; the Map, Wait and Finish add a handful.
    const tasks = (run: typeof oneShot, ...names: string[]) => names.reduce((n, name) => n + (run.invocations.get(name)?.count ?? 0), 0);
    const oneShotTransitions = (tasks(oneShot, 'campaigns-send-planner', 'campaigns-send-worker') * 2 + 12) / oneShot.emails;
    // A drip step is Wait, Task and Choice; each enrollment adds its start and its end.
    const dripTransitions = 3 + 2 / 3;
    const a = costPer1000(oneShot, oneShotTransitions);
    const b = costPer1000(drip, dripTransitions);
    const usd = (value: number) => `$${(value * 1000).toFixed(4)}`;
    console.log(table(['send', 'emails', 'time', 'SES calls', 'SES calls / 1,000', 'WCU / email', 'RCU / email'], [
      ['one-shot to a segment', String(oneShot.emails), `${oneShot.seconds.toFixed(1)} s`, String(oneShot.ses), (oneShot.ses / oneShot.emails * 1000).toFixed(1), (a.capacity.write / oneShot.emails).toFixed(1), (a.capacity.read / oneShot.emails).toFixed(1)],
      [`drip, 3 steps, ${dripPeople} people`, String(drip.emails), `${drip.seconds.toFixed(1)} s`, String(drip.ses), (drip.ses / drip.emails * 1000).toFixed(1), (b.capacity.write / drip.emails).toFixed(1), (b.capacity.read / drip.emails).toFixed(1)],
    ]));
    console.log('\nPer email, by function (one-shot | drip)\n');
    const names = [...new Set([...oneShot.invocations.keys(), ...drip.invocations.keys()])].sort();
    const per = (run: typeof oneShot, name: string) => {
      const calls = run.invocations.get(name);
      const used = run.capacity.get(name);
      return `${((used?.write ?? 0) / run.emails).toFixed(2)} WCU, ${((calls?.count ?? 0) / run.emails).toFixed(2)} calls, ${calls ? (calls.ms / calls.count).toFixed(0) : '-'} ms`;
    };
    console.log(table(['function', 'one-shot', 'drip'], names.map((name) => [name, per(oneShot, name), per(drip, name)])));
    console.log('\nEstimated AWS cost per 1,000 emails at list prices (SES $0.10 per 1,000 is the reference; goal for one-shot ≤ 1.3×)\n');
    console.log(table(['send', 'SES', 'Lambda', 'DynamoDB', 'Step Functions', 'total', '× SES'], [
      ['one-shot', usd(a.ses), usd(a.lambda), usd(a.dynamo), usd(a.workflow), usd(a.total), `${(a.total / a.ses).toFixed(2)}×`],
      ['drip', usd(b.ses), usd(b.lambda), usd(b.dynamo), usd(b.workflow), usd(b.total), `${(b.total / b.ses).toFixed(2)}×`],
    ]));
    console.log('\nLambda time is measured on this machine at each function\'s configured memory; SES events reach the default bus free of charge.');
  } finally {
    await stack.stop();
  }
}

/**
 * Regeneration after a job change with `openJobs` open jobs (written straight to the table, as published jobs are
 * stored), measured from the PATCH's answer until the Indeed feed shows the change; and the weight of the pages.
 */
async function syndicationFigures(openJobs: number) {
  const stack = await startLocalStack({ apiPort: 0, sitesPort: 0, memory: true, quiet: true });
  try {
    const headers = { authorization: `Bearer ${await stack.tokenFor('recruiter')}`, 'content-type': 'application/json' };
    const call = async (method: string, path: string, body?: unknown) =>
      (await (await fetch(`${stack.apiUrl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })).json()) as Record<string, any>;
    const description = `<p>${'We build serverless recruiting software and need people who care about quality. '.repeat(12)}</p><ul><li>TypeScript</li><li>AWS</li></ul>`;
    const job = (k: number) => ({
      title: `Engineer ${k}`, description, department: k % 50 === 0 ? 'Design' : k % 2 ? 'Engineering' : 'Operations', requisitionId: `BENCH-${k}`, employmentTypes: ['FULL_TIME'],
      location: k % 3 ? { type: 'onsite', address: { city: 'Berlin', postalCode: '10115', country: 'DE' } } : { type: 'remote', applicantCountries: ['DE', 'PL'] },
      salary: { currency: 'EUR', min: 60000, max: 80000, unit: 'YEAR' }, skills: ['typescript', 'aws'], validThrough: new Date(Date.now() + 365 * 86_400_000).toISOString(),
    });
    const first = await call('POST', '/jobs', job(0));
    await call('POST', `/jobs/${first.id}/publish`);
    // The other jobs as the store keeps open ones: one BatchWrite per 25, skipping the publisher (it would render 1,000 times).
    const client = new DynamoDBClient({ endpoint: stack.dynamoEndpoint });
    const { marshall } = await import('@aws-sdk/util-dynamodb');
    const { jobItem } = await import('../functions/syndication/adapters/entities.ts');
    const now = new Date().toISOString();
    for (let k = 1; k < openJobs; k += 25) {
      const items = Array.from({ length: Math.min(25, openJobs - k) }, (_, i) => {
        const id = `job_01BENCH${String(k + i).padStart(18, '0')}`;
        return jobItem({ ...job(k + i), id, slug: `engineer-${k + i}`, status: 'open', url: `${stack.sitesUrl}/jobs/engineer-${k + i}/`, publishedAt: now, createdAt: now, updatedAt: now, version: 1 } as never);
      });
      await client.send(new BatchWriteItemCommand({ RequestItems: { 'talent-relay': items.map((item) => ({ PutRequest: { Item: marshall(item, { removeUndefinedValues: true }) } })) } }));
    }
    client.destroy();
    const feed = () => fetch(`${stack.sitesUrl}/feeds/indeed.xml`).then((r) => r.text());
    const rows: string[][] = [];
    for (let round = 1; round <= 3; round++) {
      const title = `Engineer 0, round ${round}`;
      const start = performance.now();
      await call('PATCH', `/jobs/${first.id}`, { title });
      await until(feed, (text) => text.includes(title), 120_000);
      rows.push([`change ${round}`, ms(performance.now() - start)]);
    }
    const text = await feed();
    const count = (text.match(/<job>/g) ?? []).length;
    const pool = await call('POST', '/pools', { name: 'Bench community' });
    const faq = Array.from({ length: 10 }, (_, k) => ({ question: `Question ${k} about working here?`, answer: 'A friendly answer of a sentence or two, as FAQ entries are.' }));
    // A site for one department (20 of the jobs), and one whose filter matches half the board (its list is capped).
    const publishSite = async (slug: string, departments: string[]) => {
      const site = await call('POST', '/sites', {
        slug, title: 'Engineering at Bench', heroText: 'Join a team that ships.', jobs: { departments }, faq,
        signup: { fields: ['phone', 'location'], consentText: 'You may keep my details to tell me about jobs for 24 months.', consentVersion: 'v1', poolId: pool.id },
      });
      await call('POST', `/sites/${site.id}/publish`);
      const html = await (await fetch(`${stack.sitesUrl}/sites/${slug}/`)).text();
      return `${(Buffer.byteLength(html) / 1024).toFixed(1)} KB with ${(html.match(/<li><h3>/g) ?? []).length} jobs listed`;
    };
    const design = await publishSite('bench-design', ['Design']);
    const engineering = await publishSite('bench-engineering', ['Engineering']);
    const bytes = async (url: string) => Buffer.byteLength(await (await fetch(url)).text());
    console.log(table(['after a job change', 'until the feed shows it'], rows));
    console.log(`\n${count.toLocaleString('en')} jobs in the feed; indeed.xml ${kb(await bytes(`${stack.sitesUrl}/feeds/indeed.xml`))}, jobs.json ${kb(await bytes(`${stack.sitesUrl}/feeds/jobs.json`))}, sitemap ${kb(await bytes(`${stack.sitesUrl}/sitemap.xml`))}`);
    console.log(`Micro site page (HTML, CSS and JS in one document, 10 FAQ entries; goal < 50 KB): ${design}; a site matching 500 jobs: ${engineering}`);
    console.log(`Job page: ${(await bytes(first.url) / 1024).toFixed(1)} KB`);
  } finally {
    await stack.stop();
  }
}

function table(header: string[], rows: string[][]) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

const samples = Number(process.env.BENCH_SAMPLES ?? 300);
/** `BENCH_ONLY=import npm run bench` runs one section: bundles, api, campaign, syndication, import, load, analytics, matching or cost. */
const SECTIONS = ['bundles', 'api', 'campaign', 'syndication', 'import', 'load', 'analytics', 'matching', 'cost'];
const only = process.env.BENCH_ONLY;
if (!only) {
  // Each section in a process of its own: a section's local stack and the SDK clients bound to its endpoints end with it.
  for (const section of SECTIONS) {
    const { status } = spawnSync(process.execPath, [...process.execArgv, ...process.argv.slice(1)], { stdio: 'inherit', env: { ...process.env, BENCH_ONLY: section } });
    if (status !== 0) process.exit(status ?? 1);
  }
  process.exit(0);
}
if (!SECTIONS.includes(only)) throw new Error(`BENCH_ONLY=${only}: one of ${SECTIONS.join(', ')}`);
const wanted = (section: string) => only === section;

if (wanted('bundles')) {
console.log('\nFunction bundles (esbuild, minified; AWS SDK v3 from the Lambda runtime) and cold module init (median of 5 fresh processes)\n');
console.log(table(['function', 'bundle', '≤ 300 KB', 'module init', '≤ 60 ms'], await bundleAndInit()));
}
if (wanted('api')) {
console.log(`\nAPI on the local stack against raw DynamoDB Local calls (${samples} sequential requests each)\n`);
console.log(table(['API call', 'p50', 'p99', 'raw call', 'raw p50', 'raw p99', 'p50 ratio'], await apiLatency(samples)));
console.log('\nThe API figures include HTTP, JWT verification, validation, the transaction (profile, email guard, outbox) and the JSON response;');
console.log('the raw calls put and get the same profile item (BENCH* keys). Index entries are written afterwards by the stream indexer.');

}

const campaignPeople = Number(process.env.BENCH_CAMPAIGN_PEOPLE ?? 10_000);
if (wanted('campaign')) {
console.log(`\nCampaign sends on the local stack: a one-shot to ${campaignPeople.toLocaleString('en')} people, and a 3-step drip (goal ≤ 20 SES calls per 1,000)\n`);
await campaignFigures(campaignPeople);
}

const syndicationJobs = Number(process.env.BENCH_OPEN_JOBS ?? 1000);
if (wanted('syndication')) {
console.log(`\nJob syndication on the local stack: regenerating feeds, pages and sites after a job change with ${syndicationJobs.toLocaleString('en')} open jobs\n`);
await syndicationFigures(syndicationJobs);
}

const importRows = Number(process.env.BENCH_IMPORT_ROWS ?? 100_000);
if (wanted('import')) {
console.log(`\nCSV import through a presigned upload on the local stack (goal ≥ 2,000 rows/s; memory: growth of the stack's process while it runs)\n`);
await importAndSegments(importRows);
}

if (wanted('load')) {
  const { loadFigures } = await import('./load.ts');
  const seconds = Number(process.env.BENCH_LOAD_SECONDS ?? 60);
  console.log(`\nLoad on the local stack: mixed API traffic for ${seconds} s while a one-shot campaign sends (goal: zero errors, each recipient mailed once)\n`);
  await loadFigures({
    seconds, connections: Number(process.env.BENCH_LOAD_CONNECTIONS ?? 8), pageRate: Number(process.env.BENCH_LOAD_PAGE_RATE ?? 20),
    recipients: Number(process.env.BENCH_LOAD_RECIPIENTS ?? 10_000),
  });
}

if (wanted('analytics') || wanted('matching')) {
  const { insightsFigures } = await import('./insights.ts');
  await insightsFigures({ analytics: wanted('analytics'), matching: wanted('matching') });
}

if (wanted('cost')) {
  const { measureOperations, printCost } = await import('./cost.ts');
  const costSamples = Number(process.env.BENCH_COST_SAMPLES ?? 10);
  console.log('\nCost model: AWS requests per operation, metered on the local stack, and the monthly bill of a reference team (docs/cost.md)\n');
  printCost(await measureOperations(costSamples, Number(process.env.BENCH_COST_READERS ?? 100)), costSamples);
}
