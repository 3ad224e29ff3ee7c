import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DeleteItemCommand, DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, afterEach, describe, expect, inject, it } from 'vitest';
import { LOCAL_TABLE } from '../../infra/local/stack.ts';
import { verifyWebhook } from '../../shared/webhook-signature.ts';
import { httpReceiver } from '../../functions/integrations/adapters/webhook-receiver.ts';
import { aCandidateInput } from '../fixtures/builders.ts';
import { api, eventually, firedFaults, local } from './helpers.ts';

/**
 * Outbound webhooks end to end: real HTTP receivers on this machine, the delivery workflow on the local Step Functions
 * (waits compressed 100,000 times: a day passes in under a second). Other test files create people at the same time,
 * so receivers look only at deliveries about the people made here, and the failure tests subscribe to events
 * (untagging) that other files hardly cause.
 */
interface Received {
  headers: Record<string, string | undefined>;
  body: string;
  event: { id: string; type: string; occurredAt: string; data: Record<string, unknown> };
  answered: number;
}

/** A receiver on 127.0.0.1: `answer` decides each response from the request (and how many came for its delivery before). */
async function receiver(answer: (request: Omit<Received, 'answered'>, earlier: number) => number = () => 200) {
  const received: Received[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const headers = Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(',') : value]));
      const incoming = { headers, body, event: JSON.parse(body) as Received['event'] };
      const earlier = received.filter((r) => r.headers['x-talentrelay-delivery'] === headers['x-talentrelay-delivery']).length;
      const status = answer(incoming, earlier);
      received.push({ ...incoming, answered: status });
      response.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/talent-relay`;
  servers.push(server);
  return {
    url,
    received,
    /** What arrived about this person, or with this event id. */
    about: (id: string) => received.filter((r) => r.event.data.candidateId === id || r.event.id === id),
  };
}

const servers: Server[] = [];
const webhookIds: string[] = [];
const dynamo = new DynamoDBClient({ endpoint: inject('dynamoEndpoint'), region: 'eu-west-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });

afterEach(async () => {
  // A removed webhook's deliveries stop: nothing of this file keeps running into the next test.
  for (const id of webhookIds.splice(0)) await api(`/integrations/webhooks/${id}`, { method: 'DELETE', role: 'admin' });
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});
afterAll(() => dynamo.destroy());

const secret = `whsec-${Date.now().toString(36)}-0123456789`;

interface Webhook { id: string; url: string; events: string[]; status: string; version: number }
interface Attempt { attempt: number; at: string; durationMs: number; httpStatus?: number; error?: string; outcome: string; nextRetryAt?: string }
interface Delivery { id: string; eventId: string; eventType: string; status: string; attempts: Attempt[]; redeliveries: number; reason?: string }

async function subscribe(url: string, events: string[]): Promise<Webhook> {
  const response = await api('/integrations/webhooks', { method: 'POST', role: 'admin', body: { url, secret, events, description: 'the test ATS' } });
  expect(response.status).toBe(201);
  const webhook = response.body as Webhook;
  webhookIds.push(webhook.id);
  return webhook;
}

async function aCandidate(tags: string[] = []) {
  const response = await api('/candidates', { method: 'POST', body: aCandidateInput({ tags }) });
  expect(response.status).toBe(201);
  return response.body as { id: string };
}

const untag = async (candidateId: string, tag: string) => expect((await api(`/candidates/${candidateId}/tags/${tag}`, { method: 'DELETE' })).status).toBe(200);

async function deliveryOf(webhookId: string, deliveryId: string): Promise<Delivery> {
  const response = await api(`/integrations/webhooks/${webhookId}/deliveries/${deliveryId}`);
  expect(response.status).toBe(200);
  return response.body as Delivery;
}

describe('outbound webhooks on the local stack', () => {
  it('delivers CandidateCreated to the receiver, signed with the secret, with the event, delivery and user-agent headers', async () => {
    const ats = await receiver();
    const webhook = await subscribe(ats.url, ['CandidateCreated']);
    expect(webhook).toMatchObject({ url: ats.url, events: ['CandidateCreated'], status: 'active', version: 1 });
    const candidate = await aCandidate();
    await eventually(async () => expect(ats.about(candidate.id)).toHaveLength(1));
    const [arrived] = ats.about(candidate.id);
    expect(arrived!.event).toMatchObject({ type: 'CandidateCreated', data: { candidateId: candidate.id, eventId: arrived!.event.id } });
    expect(arrived!.headers).toMatchObject({ 'content-type': 'application/json', 'x-talentrelay-event': 'CandidateCreated', 'user-agent': expect.stringMatching(/^TalentRelay-Webhooks\//) });
    expect(verifyWebhook(arrived!.headers['x-talentrelay-signature'], secret, arrived!.body, Math.floor(Date.now() / 1000))).toBe(true);
    expect(verifyWebhook(arrived!.headers['x-talentrelay-signature'], 'not-the-secret-0123456789', arrived!.body, Math.floor(Date.now() / 1000))).toBe(false);

    const deliveryId = arrived!.headers['x-talentrelay-delivery']!;
    await eventually(async () => {
      expect(await deliveryOf(webhook.id, deliveryId)).toMatchObject({
        id: deliveryId, eventId: arrived!.event.id, eventType: 'CandidateCreated', status: 'delivered', redeliveries: 0,
        attempts: [{ attempt: 1, httpStatus: 200, outcome: 'delivered', durationMs: expect.any(Number), at: expect.any(String) }],
      });
    });
    const listed = await api(`/integrations/webhooks/${webhook.id}/deliveries?status=delivered&limit=200`);
    expect((listed.body as { items: Delivery[] }).items.map((d) => d.id)).toContain(deliveryId);
  });

  it('never shows the secret again: not on create, read, list, change or deliveries', async () => {
    const ats = await receiver();
    const webhook = await subscribe(ats.url, ['CandidateUntagged']);
    const answers = [
      await api(`/integrations/webhooks/${webhook.id}`),
      await api('/integrations/webhooks?limit=200'),
      await api(`/integrations/webhooks/${webhook.id}`, { method: 'PATCH', role: 'admin', body: { description: 'renamed' } }),
      await api(`/integrations/webhooks/${webhook.id}/deliveries`),
    ];
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(JSON.stringify(answer.body)).not.toContain(secret);
      expect(JSON.stringify(answer.body)).not.toMatch(/secret/i);
    }
    expect((answers[1]!.body as { items: Webhook[] }).items.map((w) => w.id)).toContain(webhook.id);
  });

  it('retries a receiver answering 503 with back-off until it recovers: each delivery arrives once, its failed attempts listed', async () => {
    const mine = new Set<string>();
    // Down for this file's people: the first three tries of each of their deliveries fail.
    const ats = await receiver((request, earlier) => (mine.has(String(request.event.data.candidateId)) && earlier < 3 ? 503 : 200));
    const webhook = await subscribe(ats.url, ['CandidateUntagged']);
    const people = [await aCandidate(['remote']), await aCandidate(['remote'])];
    people.forEach((person) => mine.add(person.id));
    for (const person of people) await untag(person.id, 'remote');

    for (const person of people) {
      await eventually(async () => expect(ats.about(person.id).filter((r) => r.answered === 200)).toHaveLength(1));
      const requests = ats.about(person.id);
      expect(requests.map((r) => r.answered)).toStrictEqual([503, 503, 503, 200]);
      const deliveryIds = new Set(requests.map((r) => r.headers['x-talentrelay-delivery']));
      expect(deliveryIds.size).toBe(1);
      await eventually(async () => {
        const delivery = await deliveryOf(webhook.id, [...deliveryIds][0]!);
        expect(delivery.status).toBe('delivered');
        expect(delivery.attempts.map((a) => [a.attempt, a.httpStatus, a.outcome])).toStrictEqual([[1, 503, 'failed'], [2, 503, 'failed'], [3, 503, 'failed'], [4, 200, 'delivered']]);
        // 30 s, then 60 s, then 120 s of back-off (scaled locally, but recorded as scheduled).
        expect(delivery.attempts.slice(0, 3).map((a) => (Date.parse(a.nextRetryAt!) - Date.parse(a.at)) / 1000)).toStrictEqual([30, 60, 120]);
        expect(delivery.attempts[3]!.nextRetryAt).toBeUndefined();
      });
    }
    // Still exactly once, after the workflows ended.
    for (const person of people) expect(ats.about(person.id).filter((r) => r.answered === 200)).toHaveLength(1);
  });

  it('dead-letters a delivery the receiver never takes, after 24 hours of back-off; the retry endpoint then redelivers it once', async () => {
    let recovered = false;
    const mine = new Set<string>();
    const ats = await receiver((request) => (mine.has(String(request.event.data.candidateId)) && !recovered ? 500 : 200));
    const webhook = await subscribe(ats.url, ['CandidateUntagged']);
    const person = await aCandidate(['onsite']);
    mine.add(person.id);
    await untag(person.id, 'onsite');

    await eventually(async () => expect(ats.about(person.id).length).toBeGreaterThan(0));
    const deliveryId = ats.about(person.id)[0]!.headers['x-talentrelay-delivery']!;
    let dead: Delivery | undefined;
    await eventually(async () => {
      dead = await deliveryOf(webhook.id, deliveryId);
      expect(dead.status).toBe('dead-lettered');
    }, 45_000);
    expect(dead!.attempts).toHaveLength(31);
    expect(dead!.attempts.every((a) => a.outcome === 'failed' && a.httpStatus === 500)).toBe(true);
    const backoff = dead!.attempts.reduce((sum, a) => sum + (a.nextRetryAt ? Date.parse(a.nextRetryAt) - Date.parse(a.at) : 0), 0) / 1000;
    expect(backoff).toBeGreaterThanOrEqual(24 * 3600);
    expect(dead!.attempts.at(-1)!.nextRetryAt).toBeUndefined();
    expect(dead!.reason).toMatch(/24 hours/);
    expect(ats.about(person.id)).toHaveLength(31);
    const letters = await api(`/integrations/webhooks/${webhook.id}/deliveries?status=dead-lettered`);
    expect((letters.body as { items: Delivery[] }).items.map((d) => d.id)).toContain(deliveryId);

    recovered = true;
    const retryPath = `/integrations/webhooks/${webhook.id}/deliveries/${deliveryId}/retry`;
    expect((await api(retryPath, { method: 'POST' })).status).toBe(403);
    const retried = await api(retryPath, { method: 'POST', role: 'admin' });
    expect(retried).toMatchObject({ status: 202, body: { id: deliveryId, status: 'retrying', redeliveries: 1 } });
    await eventually(async () => expect(await deliveryOf(webhook.id, deliveryId)).toMatchObject({ status: 'delivered', redeliveries: 1 }));
    const after = await deliveryOf(webhook.id, deliveryId);
    expect(after.attempts).toHaveLength(32);
    expect(after.attempts.at(-1)).toMatchObject({ attempt: 32, httpStatus: 200, outcome: 'delivered' });
    expect(ats.about(person.id).filter((r) => r.answered === 200)).toHaveLength(1);
    // A delivered one is not redelivered.
    expect((await api(retryPath, { method: 'POST', role: 'admin' })).status).toBe(409);
  });

  it('dead-letters, with its reason, a delivery that keeps failing on our side, and redelivers it', async () => {
    const ats = await receiver();
    const webhook = await subscribe(ats.url, ['CandidateUntagged']);
    const person = await aCandidate(['stuck']);
    // Reading the webhook fails on every try the Task's Retry makes (five), so the workflow gives up.
    await local('/_local/faults', { function: 'integrations-webhook-attempt', command: 'GetItemCommand', times: 5 });
    await untag(person.id, 'stuck');
    let dead: Delivery | undefined;
    await eventually(async () => {
      dead = ((await api(`/integrations/webhooks/${webhook.id}/deliveries?status=dead-lettered`)).body as { items: Delivery[] }).items[0];
      expect(dead).toBeDefined();
    });
    expect(dead).toMatchObject({ eventType: 'CandidateUntagged', attempts: [], reason: expect.stringMatching(/on our side/) });
    expect(ats.about(person.id)).toHaveLength(0);
    expect((await firedFaults()).find((fault) => fault.function === 'integrations-webhook-attempt')).toMatchObject({ failed: 5 });

    expect((await api(`/integrations/webhooks/${webhook.id}/deliveries/${dead!.id}/retry`, { method: 'POST', role: 'admin' })).status).toBe(202);
    await eventually(async () => expect(await deliveryOf(webhook.id, dead!.id)).toMatchObject({ status: 'delivered', attempts: [{ attempt: 1, httpStatus: 200 }] }));
    expect(ats.about(person.id)).toHaveLength(1);
  });

  it('disables the webhook when the receiver answers 410 Gone, until it is set active again', async () => {
    const mine = new Set<string>();
    const ats = await receiver((request) => (mine.has(String(request.event.data.candidateId)) ? 410 : 200));
    const webhook = await subscribe(ats.url, ['CandidateUntagged']);
    const person = await aCandidate(['gone']);
    mine.add(person.id);
    await untag(person.id, 'gone');
    await eventually(async () => expect((await api(`/integrations/webhooks/${webhook.id}`)).body).toMatchObject({ status: 'disabled', disabledReason: expect.stringMatching(/410/) }));
    expect(ats.about(person.id)).toHaveLength(1);
    const deliveryId = ats.about(person.id)[0]!.headers['x-talentrelay-delivery']!;
    expect(await deliveryOf(webhook.id, deliveryId)).toMatchObject({ status: 'dead-lettered', attempts: [{ httpStatus: 410, outcome: 'failed' }] });
    const retryPath = `/integrations/webhooks/${webhook.id}/deliveries/${deliveryId}/retry`;
    expect((await api(retryPath, { method: 'POST', role: 'admin' })).status).toBe(409);

    mine.clear();
    expect((await api(`/integrations/webhooks/${webhook.id}`, { method: 'PATCH', role: 'admin', body: { status: 'active' } })).body).not.toHaveProperty('disabledReason');
    expect((await api(retryPath, { method: 'POST', role: 'admin' })).status).toBe(202);
    await eventually(async () => expect(await deliveryOf(webhook.id, deliveryId)).toMatchObject({ status: 'delivered' }));
  });

  it('forgets the kept body of a dead letter once the person it is about is erased; it can no longer be redelivered', async () => {
    const mine = new Set<string>();
    const ats = await receiver((request) => (mine.has(String(request.event.data.candidateId)) ? 500 : 200));
    const webhook = await subscribe(ats.url, ['CandidateUntagged']);
    const person = await aCandidate(['erasable']);
    mine.add(person.id);
    await untag(person.id, 'erasable');
    await eventually(async () => expect(ats.about(person.id).length).toBeGreaterThan(0));
    const deliveryId = ats.about(person.id)[0]!.headers['x-talentrelay-delivery']!;
    const key = { PK: { S: `WEBHOOK#${webhook.id}` }, SK: { S: `DELIVERY#${deliveryId}` } };
    await eventually(async () => {
      const { Item } = await dynamo.send(new GetItemCommand({ TableName: LOCAL_TABLE, Key: key }));
      expect(Item?.status?.S).toBe('dead-lettered');
      expect(Item?.payload?.S).toContain(person.id);
    }, 45_000);

    expect((await api(`/candidates/${person.id}`, { method: 'DELETE', role: 'admin' })).status).toBe(204);
    await eventually(async () => {
      const { Item } = await dynamo.send(new GetItemCommand({ TableName: LOCAL_TABLE, Key: key }));
      expect(Item).toBeDefined();
      expect(Item!.payload).toBeUndefined();
    }, 45_000);
    const retried = await api(`/integrations/webhooks/${webhook.id}/deliveries/${deliveryId}/retry`, { method: 'POST', role: 'admin' });
    expect(retried).toMatchObject({ status: 422, body: { detail: expect.stringMatching(/erased/) } });
  });

  it('delivers a domain event that reaches the bus twice only once', async () => {
    const ats = await receiver();
    const webhook = await subscribe(ats.url, ['CandidateUntagged']);
    const person = await aCandidate(['relocation']);
    await untag(person.id, 'relocation');
    await eventually(async () => expect(ats.about(person.id)).toHaveLength(1));
    const eventId = ats.about(person.id)[0]!.event.id;

    // The outbox entry written again: the stream relay publishes the same event (same id) once more.
    const key = { PK: { S: `EVENT#${eventId}` }, SK: { S: 'EVENT' } };
    const { Item: outbox } = await dynamo.send(new GetItemCommand({ TableName: LOCAL_TABLE, Key: key }));
    expect(outbox).toBeDefined();
    // A second webhook, subscribed after the first delivery, proves the repeated event reached the dispatcher.
    const witness = await receiver();
    await subscribe(witness.url, ['CandidateUntagged']);
    await dynamo.send(new DeleteItemCommand({ TableName: LOCAL_TABLE, Key: key }));
    await dynamo.send(new PutItemCommand({ TableName: LOCAL_TABLE, Item: outbox! }));

    await eventually(async () => expect(witness.about(eventId)).toHaveLength(1));
    await eventually(async () => {
      const { items } = (await api(`/integrations/webhooks/${webhook.id}/deliveries?limit=200`)).body as { items: Delivery[] };
      expect(items.filter((d) => d.eventId === eventId)).toHaveLength(1);
    });
    expect(ats.about(eventId)).toHaveLength(1);
  });

  it('answers 400 naming the field for a bad URL, unknown events, or a missing or short secret', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ url: 'http://ats.example.com/hooks', secret, events: ['CandidateCreated'] }, 'body.url'],
      [{ url: 'https://10.0.0.8/hooks', secret, events: ['CandidateCreated'] }, 'body.url'],
      [{ url: 'https://ats.example.com/hooks', secret, events: ['CandidateCreated', 'CandidateTeleported'] }, 'body.events.1'],
      [{ url: 'https://ats.example.com/hooks', secret, events: [] }, 'body.events'],
      [{ url: 'https://ats.example.com/hooks', events: ['CandidateCreated'] }, 'body.secret'],
      [{ url: 'https://ats.example.com/hooks', secret: 'too-short', events: ['CandidateCreated'] }, 'body.secret'],
    ];
    for (const [body, field] of cases) {
      const response = await api('/integrations/webhooks', { method: 'POST', role: 'admin', body });
      expect(response.status, field).toBe(400);
      expect((response.body as { errors: { path: string }[] }).errors.map((e) => e.path), field).toContain(field);
    }
  });

  it('lets only admins subscribe or change webhooks, and recruiters read them', async () => {
    const ats = await receiver();
    const body = { url: ats.url, secret, events: ['CandidateUntagged'] };
    expect((await api('/integrations/webhooks', { method: 'POST', role: 'recruiter', body })).status).toBe(403);
    const webhook = await subscribe(ats.url, ['CandidateUntagged']);
    expect((await api(`/integrations/webhooks/${webhook.id}`, { role: 'recruiter' })).status).toBe(200);
    expect((await api(`/integrations/webhooks/${webhook.id}`, { role: 'viewer' })).status).toBe(403);
    expect((await api(`/integrations/webhooks/${webhook.id}`, { method: 'PATCH', role: 'recruiter', body: { status: 'paused' } })).status).toBe(403);
    expect((await api(`/integrations/webhooks/${webhook.id}`, { method: 'DELETE', role: 'recruiter' })).status).toBe(403);
  });

  it('sends nothing while paused, delivers again once resumed, and forgets a removed webhook', async () => {
    const ats = await receiver();
    const webhook = await subscribe(ats.url, ['CandidateUntagged']);
    const paused = await api(`/integrations/webhooks/${webhook.id}`, { method: 'PATCH', role: 'admin', body: { status: 'paused' }, headers: { 'if-match': '"1"' } });
    expect(paused).toMatchObject({ status: 200, body: { status: 'paused', version: 2 } });
    // A second, active webhook tells when the untagging has been dispatched (while the first is paused).
    const witness = await receiver();
    await subscribe(witness.url, ['CandidateUntagged']);
    const quiet = await aCandidate(['quiet']);
    await untag(quiet.id, 'quiet');
    await eventually(async () => expect(witness.about(quiet.id)).toHaveLength(1));
    const resumed = await api(`/integrations/webhooks/${webhook.id}`, { method: 'PATCH', role: 'admin', body: { status: 'active', events: ['CandidateUntagged', 'CandidateTagged'] } });
    expect(resumed).toMatchObject({ status: 200, body: { status: 'active', events: ['CandidateTagged', 'CandidateUntagged'], version: 3 } });
    const heard = await aCandidate();
    expect((await api(`/candidates/${heard.id}/tags/heard`, { method: 'PUT' })).status).toBe(200);
    await eventually(async () => expect(ats.about(heard.id).map((r) => r.event.type)).toStrictEqual(['CandidateTagged']));
    expect(ats.about(quiet.id)).toHaveLength(0);

    expect((await api(`/integrations/webhooks/${webhook.id}`, { method: 'DELETE', role: 'admin' })).status).toBe(204);
    expect((await api(`/integrations/webhooks/${webhook.id}`)).status).toBe(404);
    expect((await api(`/integrations/webhooks/${webhook.id}/deliveries`)).status).toBe(404);
  });
});

describe('the HTTP sender of deliveries', () => {
  it('refuses to connect to a host name that resolves to a loopback address, unless loopback receivers are allowed', async () => {
    const ats = await receiver();
    const byName = ats.url.replace('127.0.0.1', 'localhost');
    const strict = await httpReceiver({ allowLoopback: false }).post(byName, '{}', { 'content-type': 'application/json' });
    expect(strict).toMatchObject({ error: expect.stringMatching(/^EREFUSEDADDRESS: localhost resolves to .*private or reserved address/) });
    expect(strict.httpStatus).toBeUndefined();
    expect(ats.received).toHaveLength(0);
    const local = await httpReceiver({ allowLoopback: true }).post(ats.url, '{"id":"e","type":"t","data":{}}', { 'content-type': 'application/json' });
    expect(local).toMatchObject({ httpStatus: 200, durationMs: expect.any(Number) });
  });

  it('gives up on a receiver that does not answer within 10 seconds', async () => {
    const silent = createServer(() => undefined);
    servers.push(silent);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const answer = await httpReceiver({ allowLoopback: true }).post(`http://127.0.0.1:${(silent.address() as AddressInfo).port}/`, '{}', {});
    expect(answer).toMatchObject({ error: 'No answer within 10 s' });
    expect(answer.durationMs).toBeGreaterThanOrEqual(9_900);
  }, 20_000);
});
