import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { after, api, arm, disarm, eventually, fired, marker, partition, onEntry, taskStates, warmUp, type Point } from './faults-support.ts';

/**
 * An erasure killed at every Task state of the erasure workflow (from the manifest): on entry and right after each
 * kind of write. The retries must end with the erasure completed and nothing of the person left in their
 * partition, their pool, their segment or the erasure record; when retries run out, the erasure says it failed and
 * erasing again finishes the job.
 */
const ERASURE = 'privacy-erasure';

const crashPoints: Record<string, Point[]> = {
  Work: [
    onEntry,
    after('BatchWriteItemCommand', 'dies after deleting part of the person\'s items, before marking the step done'),
    after('UpdateItemCommand', 'dies after marking a step done, before the next'),
    after('UpdateItemCommand', 'dies after marking a later step done', { after: 8 }),
    after('TransactWriteItemsCommand', 'dies after a transactional step, before marking it done'),
  ],
  RecordFailure: [onEntry, after('UpdateItemCommand', 'dies after marking the erasure failed, before answering')],
};

async function someone() {
  const tag = marker();
  const email = `${tag}@example.com`;
  const created = await api('/candidates', { method: 'POST', body: { email, firstName: `Zed${tag}`, phone: '+49 30 1234567', tags: [tag], consents: [{ purpose: 'marketing-email', granted: true }] } });
  expect(created.status).toBe(201);
  const id = (created.body as { id: string }).id;
  const pool = (await api('/pools', { method: 'POST', body: { name: `Erase ${tag}` } })).body as { id: string };
  expect((await api(`/pools/${pool.id}/members`, { method: 'POST', body: { candidateIds: [id] } })).status).toBe(200);
  const segment = (await api('/segments', { method: 'POST', body: { name: `Erase ${tag}`, rule: { field: 'tags', op: 'contains', value: tag } } })).body as { id: string };
  expect((await api(`/candidates/${id}/touchpoints`, { method: 'POST', body: { type: 'call', summary: `Called Zed${tag}` }, headers: { 'idempotency-key': randomUUID() } })).status).toBe(201);
  expect((await api(`/candidates/${id}/tasks`, { method: 'POST', body: { title: `Call Zed${tag} back`, dueAt: new Date(Date.now() + 86_400_000).toISOString(), assignee: 'recruiter@example.com' } })).status).toBe(201);
  await eventually(async () => expect((await api(`/segments/${segment.id}`)).body).toMatchObject({ memberCount: 1 }), 30_000);
  return { id, email, tag, pool: pool.id, segment: segment.id };
}

const erasure = async (id: string) => (await api(`/privacy/erasures/${id}`, { role: 'admin' })).body as { status: string; steps: string[] };

/** Nothing of the person anywhere their data was: their partition, the pool, the segment, the erasure record's subject. */
async function expectErased(who: Awaited<ReturnType<typeof someone>>) {
  expect((await api(`/candidates/${who.id}`)).status).toBe(404);
  expect(await partition(`CAND#${who.id}`)).toEqual([]);
  expect(((await api(`/pools/${who.pool}/members`)).body as { items: unknown[] }).items).toEqual([]);
  expect((await partition(`SEG#${who.segment}`)).filter((item) => String(item.SK).includes(who.id))).toEqual([]);
  const [record] = await partition(`ERASURE#${who.id}`);
  expect(record).toMatchObject({ status: 'completed' });
  expect(record).not.toHaveProperty('subject');
  expect(JSON.stringify(await partition(`ERASURE#${who.id}`))).not.toContain(who.email);
}

async function eraseWith(state: string, point: Point) {
  const who = await someone();
  const fn = taskStates(ERASURE).find((s) => s.state === state)!.fn;
  const { why, ...fault } = point;
  await arm({ ...fault, function: fn, state, when: who.id });
  if (state === 'RecordFailure') await arm({ function: fn, state: 'Work', when: who.id, command: 'GetItemCommand', times: 50 });
  try {
    expect((await api(`/candidates/${who.id}`, { method: 'DELETE', role: 'admin' })).status).toBe(204);
    await eventually(async () => expect(['completed', 'failed']).toContain((await erasure(who.id)).status), 45_000);
    for (const f of await fired(who.id)) expect(f.failed, `${f.state} ${f.command ?? ''} fired`).toBeGreaterThan(0);
  } finally {
    await disarm(who.id);
  }
  return who;
}

describe('an erasure killed at each step', () => {
  beforeAll(() => warmUp('/candidates?limit=1', '/pools?limit=1', '/segments?limit=1', '/tasks?limit=1'), 120_000);

  it('has crash points for every Task state of the erasure workflow in the manifest', () => {
    expect(Object.keys(crashPoints).sort()).toEqual(taskStates(ERASURE).map((s) => s.state).sort());
  });

  it.each(crashPoints.Work!.map((point) => [point.why, point] as const))('Work: %s — the erasure completes and leaves nothing behind', async (_why, point) => {
    const who = await eraseWith('Work', point);
    expect(await erasure(who.id)).toMatchObject({ status: 'completed' });
    await expectErased(who);
  }, 90_000);

  it.each(crashPoints.RecordFailure!.map((point) => [point.why, point] as const))('RecordFailure: %s — it ends failed, and erasing again finishes it', async (_why, point) => {
    const who = await eraseWith('RecordFailure', point);
    expect(await erasure(who.id)).toMatchObject({ status: 'failed' });
    expect((await api(`/candidates/${who.id}`, { method: 'DELETE', role: 'admin' })).status).toBe(204);
    await eventually(async () => expect(await erasure(who.id)).toMatchObject({ status: 'completed' }), 45_000);
    await expectErased(who);
  }, 120_000);
});
