import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Fault } from '../../infra/local/faults.ts';
import { aCandidateInput } from '../fixtures/builders.ts';
import { api, arm, disarm, eventually, fired, partition, taskStates, warmUp } from './faults-support.ts';

/**
 * A webhook delivery killed at every Task state of the delivery workflow (from the manifest): on entry, before the
 * receiver is called, and after each write. The retries must end with the delivery recorded once in its right final
 * state and the receiver called once — except when the function dies between the receiver's answer and the record,
 * which no sender can tell from a lost request: then the same delivery (same delivery id, same event) arrives again,
 * which receivers dedupe on, and never as a second, different delivery.
 */
const DELIVERY = 'integrations-webhook-delivery';
type Point = Partial<Fault> & { why: string; repeats?: true };
const onEntry: Point = { kind: 'crash', at: 'request', why: 'dies as it starts' };

const crashPoints: Record<string, Point[]> = {
  Attempt: [
    onEntry,
    { kind: 'crash', at: 'response', command: 'GetItemCommand', why: 'dies after reading the webhook, before calling the receiver' },
    { kind: 'crash', at: 'request', command: 'UpdateItemCommand', why: 'dies after the receiver answered, before recording it', repeats: true },
    { kind: 'crash', at: 'response', command: 'UpdateItemCommand', why: 'dies after recording the delivery, before answering' },
  ],
  GiveUp: [onEntry, { kind: 'crash', at: 'response', command: 'UpdateItemCommand', why: 'dies after dead-lettering the delivery, before answering' }],
};

const servers: Server[] = [];
const webhooks: string[] = [];
afterEach(async () => {
  for (const id of webhooks.splice(0)) await api(`/integrations/webhooks/${id}`, { method: 'DELETE', role: 'admin' });
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** A receiver on 127.0.0.1 that answers 200 and keeps what arrived. */
async function receiver() {
  const received: { delivery: string; eventId: string; candidateId: unknown }[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const event = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { id: string; data: { candidateId?: string } };
      received.push({ delivery: String(request.headers['x-talentrelay-delivery']), eventId: event.id, candidateId: event.data.candidateId });
      response.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`, received };
}

async function deliverWith(state: string, point: Point) {
  const ats = await receiver();
  // Untagging is an event other test files hardly cause: the receiver hears about this test's person only.
  const created = await api('/integrations/webhooks', { method: 'POST', role: 'admin', body: { url: ats.url, secret: `whsec-faults-${Date.now()}-0123456789`, events: ['CandidateUntagged'] } });
  expect(created.status).toBe(201);
  const webhookId = (created.body as { id: string }).id;
  webhooks.push(webhookId);
  const person = (await api('/candidates', { method: 'POST', body: aCandidateInput({ tags: ['faulty'] }) })).body as { id: string };
  const fn = taskStates(DELIVERY).find((s) => s.state === state)!.fn;
  const { why, repeats, ...fault } = point;
  await arm({ ...fault, function: fn, state, when: webhookId });
  // GiveUp runs only when the attempt keeps failing on our side.
  if (state === 'GiveUp') await arm({ function: fn, state: 'Attempt', when: webhookId, command: 'GetItemCommand', times: 50 });
  const final = state === 'GiveUp' ? 'dead-lettered' : 'delivered';
  try {
    expect((await api(`/candidates/${person.id}/tags/faulty`, { method: 'DELETE' })).status).toBe(200);
    await eventually(async () => {
      const items = ((await api(`/integrations/webhooks/${webhookId}/deliveries?limit=10`)).body as { items: { status: string }[] }).items;
      expect(items.map((d) => d.status)).toEqual([final]);
    }, 45_000);
    for (const f of await fired(webhookId)) expect(f.failed, `${f.state} ${f.command ?? ''} fired`).toBeGreaterThan(0);
  } finally {
    await disarm(webhookId);
  }
  const deliveries = (await partition(`WEBHOOK#${webhookId}`)).filter((item) => item.entity === 'delivery');
  expect(deliveries).toHaveLength(1);
  return { ats, person, delivery: deliveries[0]!, repeats };
}

describe('a webhook delivery killed at each step', () => {
  beforeAll(() => warmUp('/integrations/webhooks?limit=1', '/candidates?limit=1'), 120_000);

  it('has crash points for every Task state of the delivery workflow in the manifest', () => {
    expect(Object.keys(crashPoints).sort()).toEqual(taskStates(DELIVERY).map((s) => s.state).sort());
  });

  it.each(crashPoints.Attempt!.map((point) => [point.why, point] as const))('Attempt: %s — delivered and recorded once', async (_why, point) => {
    const { ats, person, delivery, repeats } = await deliverWith('Attempt', point);
    const arrived = ats.received.filter((r) => r.candidateId === person.id);
    expect(new Set(arrived.map((r) => r.delivery))).toEqual(new Set([delivery.id]));
    expect(new Set(arrived.map((r) => r.eventId)).size).toBe(1);
    expect(arrived).toHaveLength(repeats ? 2 : 1);
    expect(delivery).toMatchObject({ status: 'delivered', attempts: [{ attempt: 1, httpStatus: 200, outcome: 'delivered' }] });
  }, 90_000);

  it.each(crashPoints.GiveUp!.map((point) => [point.why, point] as const))('GiveUp: %s — dead-lettered once, never sent', async (_why, point) => {
    const { ats, person, delivery } = await deliverWith('GiveUp', point);
    expect(ats.received.filter((r) => r.candidateId === person.id)).toEqual([]);
    expect(delivery).toMatchObject({ status: 'dead-lettered', reason: expect.stringMatching(/our side/) });
  }, 90_000);
});
