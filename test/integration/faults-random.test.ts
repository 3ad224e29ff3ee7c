import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Fault } from '../../infra/local/faults.ts';
import { api, arm, disarm, eventually, fired, mailCounts, marker, partition, people, poolOf, template, warmUp } from './faults-support.ts';

/**
 * SES throttling, DynamoDB throughput errors and transaction conflicts injected at random (seeded, so a failing run
 * can be replayed), where the real services would answer them: inside the SDK's retry loop. Nobody may notice: the
 * API answers as it would without faults, and a campaign mails everyone exactly once.
 */
const weather = (seed: number): Partial<Fault>[] => [
  { kind: 'service', service: 'dynamodb', error: 'ProvisionedThroughputExceededException', rate: 0.2, seed },
  { kind: 'service', service: 'dynamodb', error: 'ThrottlingException', rate: 0.1, seed: seed + 1 },
  { kind: 'service', service: 'dynamodb', command: 'TransactWriteItemsCommand', error: 'TransactionConflict', rate: 0.2, seed: seed + 2 },
];

describe('faults at random', () => {
  beforeAll(() => warmUp('/candidates?limit=1', '/pools?limit=1', '/templates?limit=1', '/campaigns?limit=1', '/tasks?limit=1'), 120_000);

  it('sends a campaign to everyone exactly once through SES throttling, throughput errors and transaction conflicts', async () => {
    const tag = marker();
    const audience = await people(tag, 60);
    const poolId = await poolOf(audience.map((p) => p.id));
    const created = await api('/campaigns', { method: 'POST', body: { name: `Stormy ${tag}`, kind: 'one-shot', audience: { poolId }, templateId: await template() } });
    const id = (created.body as { id: string }).id;
    // Every function that works on this campaign: planner, workers, tracking of its SES events.
    for (const fault of [...weather(7), { kind: 'service' as const, service: 'sesv2' as const, error: 'TooManyRequestsException', rate: 0.3, seed: 11 }]) {
      await arm({ ...fault, function: '*', when: id });
    }
    try {
      expect((await api(`/campaigns/${id}/launch`, { method: 'POST' })).status).toBe(200);
      await eventually(async () => expect((await api(`/campaigns/${id}`)).body).toMatchObject({ status: 'sent' }), 60_000);
      const hits = await fired(id);
      expect(hits.map((f) => [f.error, f.failed > 0])).toEqual(hits.map((f) => [f.error, true]));
    } finally {
      await disarm(id);
    }
    expect(await mailCounts(tag, audience.map((p) => p.email))).toEqual(Object.fromEntries(audience.map((p) => [p.email, 1])));
    const recipients = (await partition(`CAMP#${id}`)).filter((item) => String(item.SK).startsWith('R#'));
    expect(recipients.filter((r) => r.claimToken !== undefined || !r.messageId)).toEqual([]);
    await eventually(async () => expect((await api(`/campaigns/${id}/stats`)).body).toMatchObject({ targeted: 60, sent: 60 }));
  }, 120_000);

  it('answers ordinary API traffic exactly as without faults', async () => {
    const scope = randomUUID();
    const headers = { 'x-fault-scope': scope };
    for (const fault of weather(23)) await arm({ ...fault, function: '*', when: scope });
    const tag = marker();
    const statuses: [string, number][] = [];
    const call = async (label: string, path: string, options: Parameters<typeof api>[1] = {}) => {
      const response = await api(path, { ...options, headers: { ...headers, ...options.headers } });
      statuses.push([label, response.status]);
      return response;
    };
    // A few clients at a time, as a recruiter's tools would call: the local stack shares two cores with other suites.
    const fewAtATime = async <T>(items: T[], each: (item: T, i: number) => Promise<Awaited<ReturnType<typeof api>>>) => {
      const answers: Awaited<ReturnType<typeof api>>[] = [];
      for (let i = 0; i < items.length; i += 4) answers.push(...(await Promise.all(items.slice(i, i + 4).map((item, j) => each(item, i + j)))));
      return answers;
    };
    try {
      const created = await fewAtATime(Array.from({ length: 20 }, (_, i) => i), (i) =>
        call('create candidate', '/candidates', { method: 'POST', body: { email: `${tag}-${i}@example.com`, firstName: `Ada${i}`, consents: [{ purpose: 'marketing-email', granted: true }] }, headers: { 'idempotency-key': randomUUID() } }),
      );
      const ids = created.map((r) => (r.body as { id: string }).id);
      await fewAtATime(ids, (id) => call('tag', `/candidates/${id}/tags/${tag}`, { method: 'PUT' }));
      await fewAtATime(ids, (id) => call('touchpoint', `/candidates/${id}/touchpoints`, { method: 'POST', body: { type: 'note', summary: 'Met at the fair' }, headers: { 'idempotency-key': randomUUID() } }));
      await fewAtATime(ids.slice(0, 10), (id) => call('task', `/candidates/${id}/tasks`, { method: 'POST', body: { title: 'Call back', dueAt: new Date(Date.now() + 86_400_000).toISOString(), assignee: 'recruiter@example.com' } }));
      await fewAtATime(ids, (id) => call('read candidate', `/candidates/${id}`));
      const version = ((await call('read candidate', `/candidates/${ids[0]}`)).body as { version: number }).version;
      await call('change candidate', `/candidates/${ids[0]}`, { method: 'PATCH', body: { headline: 'Staff engineer' }, headers: { 'if-match': `"${version}"` } });
      const pool = await call('create pool', '/pools', { method: 'POST', body: { name: `Stormy ${tag}` } });
      const poolId = (pool.body as { id: string }).id;
      await call('add members', `/pools/${poolId}/members`, { method: 'POST', body: { candidateIds: ids } });
      await call('list members', `/pools/${poolId}/members?limit=50`);
      const templateId = ((await call('create template', '/templates', { method: 'POST', body: { name: 'Stormy', subject: 'Hi {{firstName}}', html: '<p>Hi</p><p><a href="{{unsubscribeUrl}}">Unsubscribe</a></p>' } })).body as { id: string }).id;
      const campaign = await call('create campaign', '/campaigns', { method: 'POST', body: { name: `Stormy ${tag}`, kind: 'one-shot', audience: { poolId }, templateId } });
      await call('read campaign', `/campaigns/${(campaign.body as { id: string }).id}`);
      await fewAtATime(ids.slice(0, 5), (id) => call('timeline', `/candidates/${id}/timeline`));
      await call('untag', `/candidates/${ids[1]}/tags/${tag}`, { method: 'DELETE' });

      expect(statuses.filter(([, status]) => status >= 300)).toEqual([]);
      const hits = await fired(scope);
      expect(hits.every((f) => f.failed > 0), JSON.stringify(hits)).toBe(true);
    } finally {
      await disarm(scope);
    }
    // What the traffic did is all there, once.
    await eventually(async () => {
      const tagged = (await api(`/candidates?tag=${tag}&limit=50`)).body as { items: { email: string }[] };
      expect(tagged.items.map((c) => c.email).sort()).toEqual(Array.from({ length: 20 }, (_, i) => `${tag}-${i}@example.com`).filter((_, i) => i !== 1).sort());
    }, 30_000);
  }, 120_000);
});
