import { beforeAll, describe, expect, it } from 'vitest';
import type { Fault } from '../../infra/local/faults.ts';
import { api, arm, disarm, eventually, fired, mailCounts, marker, partition, people, poolOf, taskStates, template, warmUp } from './faults-support.ts';

/**
 * A one-shot send killed at every Task state of its workflow (taken from the manifest, so a new state fails the
 * coverage test until it has crash points here): on entry, and right after each write it makes has succeeded,
 * the classic cause of duplicates. The workflow's retries must end with each person mailed once, nobody lost, no
 * claim left behind, and the campaign in the right state.
 */
const SEND = 'campaigns-send';
type Point = Partial<Fault> & { why: string };
const onEntry: Point = { kind: 'crash', at: 'request', why: 'dies as it starts' };
const after = (command: string, why: string, service: Fault['service'] = 'dynamodb'): Point => ({ kind: 'crash', at: 'response', command, service, why });

const crashPoints: Record<string, Point[]> = {
  Plan: [onEntry, after('BatchWriteItemCommand', 'dies after writing the recipients, before moving the plan on'), after('TransactWriteItemsCommand', 'dies after moving the plan on, before answering')],
  SendChunk: [
    onEntry,
    after('UpdateItemCommand', 'dies holding a claim'),
    { kind: 'service', at: 'response', command: 'UpdateItemCommand', error: 'InternalServerError', why: 'a claim is written but its answer lost, and the SDK retries it' },
    after('SendBulkEmailCommand', 'dies after SES accepted the batch, before recording it', 'sesv2'),
    after('TransactWriteItemsCommand', 'dies after settling the batch, before answering'),
  ],
  Finish: [onEntry, after('TransactWriteItemsCommand', 'dies after marking the campaign sent, before answering')],
  RecordFailure: [onEntry, after('TransactWriteItemsCommand', 'dies after marking the campaign failed, before answering')],
};

const AUDIENCE = 12;

async function sendWith(state: string, point: Point) {
  const tag = marker();
  const audience = await people(tag, AUDIENCE);
  const poolId = await poolOf(audience.map((p) => p.id));
  const created = await api('/campaigns', { method: 'POST', body: { name: `Faults ${tag}`, kind: 'one-shot', audience: { poolId }, templateId: await template() } });
  expect(created.status).toBe(201);
  const id = (created.body as { id: string }).id;
  const fn = taskStates(SEND).find((s) => s.state === state)!.fn;
  const { why, ...fault } = point;
  await arm({ ...fault, function: fn, state, when: id });
  // RecordFailure runs only when retries run out: Finish fails on every try first.
  if (state === 'RecordFailure') await arm({ function: fn, state: 'Finish', when: id, command: 'TransactWriteItemsCommand', times: 20 });
  try {
    expect((await api(`/campaigns/${id}/launch`, { method: 'POST' })).status).toBe(200);
    const outcome = state === 'RecordFailure' ? 'failed' : 'sent';
    await eventually(async () => expect((await api(`/campaigns/${id}`)).body).toMatchObject({ status: outcome }), 45_000);
    for (const fault of await fired(id)) expect(fault.failed, `${fault.state} ${fault.command ?? ''} fired`).toBeGreaterThan(0);
    return { id, tag, audience };
  } finally {
    await disarm(id);
  }
}

/** Once everyone is sent: each person got one email, every recipient settled as sent, no claim held, planning done. */
async function expectSentOnce({ id, tag, audience }: Awaited<ReturnType<typeof sendWith>>) {
  const counts = await mailCounts(tag, audience.map((p) => p.email));
  expect(counts).toEqual(Object.fromEntries(audience.map((p) => [p.email, 1])));
  const items = await partition(`CAMP#${id}`);
  const recipients = items.filter((item) => String(item.SK).startsWith('R#'));
  expect(recipients).toHaveLength(AUDIENCE);
  expect(recipients.filter((r) => r.claimToken !== undefined || r.status === 'pending' || r.status === 'claimed' || !r.messageId)).toEqual([]);
  expect(items.find((item) => item.SK === 'PLAN')).toMatchObject({ done: true, planned: AUDIENCE });
  await eventually(async () => expect((await api(`/campaigns/${id}/stats`)).body).toMatchObject({ targeted: AUDIENCE, sent: AUDIENCE }));
}

describe('a one-shot send killed at each step', () => {
  beforeAll(() => warmUp('/candidates?limit=1', '/pools?limit=1', '/templates?limit=1', '/campaigns?limit=1'), 120_000);

  it('has crash points for every Task state of the send workflow in the manifest', () => {
    expect(Object.keys(crashPoints).sort()).toEqual(taskStates(SEND).map((s) => s.state).sort());
  });

  const cases = Object.entries(crashPoints).flatMap(([state, points]) => points.map((point) => [state, point.why, point] as const));
  it.each(cases)('%s: %s — everyone is mailed exactly once and nothing is left claimed', async (state, _why, point) => {
    const sent = await sendWith(state, point);
    await expectSentOnce(sent);
    if (state === 'RecordFailure') expect((await api(`/campaigns/${sent.id}`)).body).toMatchObject({ status: 'failed', failure: expect.any(String) });
  }, 90_000);
});
