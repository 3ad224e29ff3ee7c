import { build } from 'esbuild';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { bundling } from '../../infra/bundling.ts';
import { functions } from '../../infra/manifest.ts';
import { api, arm, disarm, eventually, fired, mailCounts, marker, people, poolOf, template, warmUp } from './faults-support.ts';

/**
 * The switch itself: its faults land where the real service would fail (inside the SDK's retries, so a throttle is
 * retried as in AWS and a transaction conflict reaches the code's own retry), a crash kills the invocation even when
 * the code catches it, and none of it is ever bundled for AWS.
 */
describe('the local fault switch', () => {
  beforeAll(() => warmUp('/candidates?limit=1', '/pools?limit=1', '/templates?limit=1', '/campaigns?limit=1'), 120_000);

  it('is never bundled into a function: no AWS bundle contains infra/local', async () => {
    const result = await build({
      entryPoints: Object.fromEntries(functions.map((fn) => [fn.name, fn.entry])),
      bundle: true,
      platform: 'node',
      write: false,
      metafile: true,
      outdir: 'out',
      target: bundling.target,
      format: bundling.format,
      mainFields: [...bundling.mainFields],
      external: [...bundling.externalModules],
      logLevel: 'error',
    });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.some((path) => path.startsWith('functions/'))).toBe(true);
    expect(inputs.filter((path) => path.includes('infra/local/') || path.includes('test/'))).toEqual([]);
  }, 120_000);

  it('throttles DynamoDB where DynamoDB would: the SDK retries it and the caller never sees it', async () => {
    const email = `${marker()}@example.com`;
    await arm({ function: 'candidates-api', when: email, kind: 'service', error: 'ProvisionedThroughputExceededException', times: 2 });
    try {
      expect((await api('/candidates', { method: 'POST', body: { email, firstName: 'Retry' } })).status).toBe(201);
      expect(await fired(email)).toMatchObject([{ failed: 2 }]);
    } finally {
      await disarm(email);
    }
  });

  it('throttles SES where SES would: the SDK retries it and each email goes out once', async () => {
    const tag = marker();
    const audience = await people(tag, 3);
    const created = await api('/campaigns', { method: 'POST', body: { name: tag, kind: 'one-shot', audience: { poolId: await poolOf(audience.map((p) => p.id)) }, templateId: await template() } });
    const id = (created.body as { id: string }).id;
    // Two throttles, then SES answers: within one call's own attempts, so the workflow never sees them.
    await arm({ function: 'campaigns-send-worker', when: id, service: 'sesv2', kind: 'service', error: 'TooManyRequestsException', times: 2 });
    try {
      expect((await api(`/campaigns/${id}/launch`, { method: 'POST' })).status).toBe(200);
      await eventually(async () => expect((await api(`/campaigns/${id}`)).body).toMatchObject({ status: 'sent' }), 30_000);
      expect(await fired(id)).toMatchObject([{ failed: 2 }]);
    } finally {
      await disarm(id);
    }
    expect(await mailCounts(tag, audience.map((p) => p.email))).toEqual(Object.fromEntries(audience.map((p) => [p.email, 1])));
  });

  it('hands a transaction conflict to the code as DynamoDB does (TransactionCanceledException), and the code retries it', async () => {
    const email = `${marker()}@example.com`;
    await arm({ function: 'candidates-api', when: email, kind: 'service', error: 'TransactionConflict', command: 'TransactWriteItemsCommand', times: 2 });
    try {
      expect((await api('/candidates', { method: 'POST', body: { email, firstName: 'Conflict' } })).status).toBe(201);
      expect(await fired(email)).toMatchObject([{ failed: 2 }]);
    } finally {
      await disarm(email);
    }
    const found = (await api(`/candidates?q=${encodeURIComponent(email)}`)).body as { items: unknown[] };
    expect(found.items.length).toBeLessThanOrEqual(1);
  });

  it('kills the whole invocation on a crash, even when the code catches the error: the API answers 500 and writes nothing after', async () => {
    const email = `${marker()}@example.com`;
    await arm({ function: 'candidates-api', when: email, kind: 'crash', at: 'request', command: 'TransactWriteItemsCommand' });
    try {
      expect((await api('/candidates', { method: 'POST', body: { email, firstName: 'Crash' } })).status).toBe(500);
      expect(await fired(email)).toMatchObject([{ failed: 1 }]);
    } finally {
      await disarm(email);
    }
    // The write never happened: the same request now creates the person.
    expect((await api('/candidates', { method: 'POST', body: { email, firstName: 'Crash' } })).status).toBe(201);
  });

  it('refuses a service fault the service never answers', async () => {
    const response = await fetch(`${inject('apiUrl')}/_local/faults`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ function: 'candidates-api', kind: 'service', error: 'NoSuchThing' }),
    });
    expect(response.status).toBe(400);
  });
});
