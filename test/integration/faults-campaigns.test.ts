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

/**
 * A worker dies with claims in hand, in a campaign sent 14 days ahead. Its retry must leave those claims alone while
 * their attempt may still be running or SES's SEND event for them may still come (the worker's timeout plus a margin),
 * send the rest of the shard, and come back for them: sent once if SES never had them, settled from the SEND event if
 * it had. The local stack waits from its real clock to the time a Wait names, 100,000 times faster: the hold of a
 * claim made at a send time 14 days ahead lasts about 12 s here, long enough to see that nobody takes it over.
 */
describe('claims of a worker that died, while they are young', () => {
  /** A campaign sent 14 days ahead, with a fault armed on its workers. */
  async function scheduledSend(point: Point) {
    const tag = marker();
    const audience = await people(tag, AUDIENCE);
    const poolId = await poolOf(audience.map((p) => p.id));
    const sendAt = new Date(Date.now() + 14 * 86_400_000).toISOString();
    const created = await api('/campaigns', { method: 'POST', body: { name: `Faults ${tag}`, kind: 'one-shot', audience: { poolId }, templateId: await template(), sendAt } });
    expect(created.status).toBe(201);
    const id = (created.body as { id: string }).id;
    const { why, ...fault } = point;
    await arm({ ...fault, function: taskStates(SEND).find((s) => s.state === 'SendChunk')!.fn, state: 'SendChunk', when: id });
    return { id, tag, audience };
  }

  /** Runs a scheduled send with a fault, `during` it, and proves everyone was mailed once in the end. */
  async function sentOnce(point: Point, during?: (sent: Awaited<ReturnType<typeof scheduledSend>>) => Promise<void>) {
    const sent = await scheduledSend(point);
    try {
      expect((await api(`/campaigns/${sent.id}/launch`, { method: 'POST' })).status).toBe(200);
      await during?.(sent);
      await eventually(async () => expect((await api(`/campaigns/${sent.id}`)).body).toMatchObject({ status: 'sent' }), 60_000);
      for (const f of await fired(sent.id)) expect(f.failed, `${f.state} ${f.command ?? ''} fired`).toBeGreaterThan(0);
    } finally {
      await disarm(sent.id);
    }
    await expectSentOnce(sent);
  }

  it('a worker dies holding its claims: the retry sends everyone else and leaves those until they are old, then sends them once', async () => {
    await sentOnce(after('UpdateItemCommand', 'dies holding a claim'), async (sent) => {
      const emailOf = new Map(sent.audience.map((p) => [p.id, p.email]));
      /** Everyone but the dead worker's claims is mailed; those are still its own, stamped and unmailed. */
      async function heldClaims() {
        const recipients = (await partition(`CAMP#${sent.id}`)).filter((item) => String(item.SK).startsWith('R#'));
        const counts = await mailCounts(sent.tag, sent.audience.map((p) => p.email));
        const claims = recipients.filter((r) => r.claimToken !== undefined);
        expect(recipients).toHaveLength(AUDIENCE);
        expect(claims.length).toBeGreaterThan(0);
        for (const r of recipients) {
          const held = r.claimToken !== undefined;
          expect([r.messageId, counts[emailOf.get(String(r.candidateId))!]]).toEqual(held ? [undefined, 0] : [expect.any(String), 1]);
          if (held) expect(r.claimedAt).toEqual(expect.any(String));
        }
        return claims.map((r) => [r.SK, r.claimToken, r.claimedAt]);
      }
      // Held, not a batch in flight: the same claims, untouched, a second later, while the campaign is still sending.
      await eventually(async () => {
        const seen = await heldClaims();
        await new Promise((resolve) => setTimeout(resolve, 1000));
        expect(await heldClaims()).toEqual(seen);
      }, 60_000);
      expect((await api(`/campaigns/${sent.id}`)).body).toMatchObject({ status: 'sending' });
    });
  }, 150_000);

  it('a worker dies after SES accepted its batch: whether its SEND events come before the retry or while it waits, the batch is settled, never resent', async () => {
    await sentOnce(after('SendBulkEmailCommand', 'dies after SES accepted the batch, before recording it', 'sesv2'));
  }, 150_000);
});
