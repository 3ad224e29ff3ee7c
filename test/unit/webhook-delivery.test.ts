import { describe, expect, it } from 'vitest';
import { InvalidInput } from '../../shared/errors.ts';
import { verifyWebhook } from '../../shared/webhook-signature.ts';
import { backoffSeconds, retrySchedule, RETRY_WINDOW_SECONDS } from '../../functions/integrations/domain/delivery-schedule.ts';
import { deliveryService, type PublishedEvent } from '../../functions/integrations/domain/delivery-service.ts';
import type {
  DeliveryProgress, DeliveryState, DeliveryStore, ReceiverAnswer, StoredDelivery, StoredWebhook, WebhookStore,
} from '../../functions/integrations/domain/webhook-ports.ts';
import { webhookService } from '../../functions/integrations/domain/webhook-service.ts';
import type { CreateWebhook } from '../../functions/integrations/schemas.ts';

const NOW = '2026-11-26T02:00:00.000Z';
const secret = 'a-receiver-secret-0123456789';

/** In-memory stores and recording fakes for the ports; `answers` are the receiver's, in order (the last repeats). */
function world(options: { answers?: ReceiverAnswer[]; allowLoopback?: boolean } = {}) {
  const webhooks = new Map<string, StoredWebhook>();
  const deliveries = new Map<string, StoredDelivery & { attemptCount?: number }>();
  const started: { name: string; state: DeliveryState }[] = [];
  const erasedPeople = new Set<string>();
  const sent: { url: string; body: string; headers: Record<string, string> }[] = [];
  const answers = [...(options.answers ?? [{ httpStatus: 200, durationMs: 12 }])];
  let seq = 0;
  const webhookStore: WebhookStore = {
    get: async (id) => webhooks.get(id),
    create: async (webhook) => void webhooks.set(webhook.id, webhook),
    replace: async (_previous, next) => void webhooks.set(next.id, next),
    remove: async (webhook) => void webhooks.delete(webhook.id),
    list: async () => ({ items: [...webhooks.values()] }),
    subscribedTo: async (eventType) => [...webhooks.values()].filter((w) => w.status === 'active' && w.events.includes(eventType)).map((w) => w.id),
  };
  const deliveryStore: DeliveryStore = {
    get: async (webhookId, deliveryId) => deliveries.get(`${webhookId}/${deliveryId}`),
    list: async () => ({ items: [...deliveries.values()] }),
    async record(step: DeliveryProgress) {
      const key = `${step.webhookId}/${step.deliveryId}`;
      const current = deliveries.get(key);
      if (step.attempt && (current?.attemptCount ?? 0) >= step.attempt.attempt) return;
      const { payload, nextRetryAt, reason, ...kept } = current ?? ({} as StoredDelivery);
      deliveries.set(key, {
        ...kept, id: step.deliveryId, webhookId: step.webhookId, eventId: step.eventId, eventType: step.eventType as StoredDelivery['eventType'],
        status: step.status, attempts: [...(current?.attempts ?? []), ...(step.attempt ? [step.attempt] : [])], redeliveries: current?.redeliveries ?? 0,
        createdAt: current?.createdAt ?? step.at, updatedAt: step.at, ...(step.attempt ? { attemptCount: step.attempt.attempt } : { attemptCount: current?.attemptCount }),
        ...(step.nextRetryAt ? { nextRetryAt: step.nextRetryAt } : {}), ...(step.reason ? { reason: step.reason } : {}), ...(step.payload ? { payload: step.payload.body } : {}),
      });
    },
    async claimRedelivery(delivery) {
      const key = `${delivery.webhookId}/${delivery.id}`;
      const current = deliveries.get(key)!;
      if (current.status !== delivery.status || current.redeliveries !== delivery.redeliveries) return false;
      deliveries.set(key, { ...current, status: 'retrying', redeliveries: current.redeliveries + 1 });
      return true;
    },
    releaseRedelivery: async (delivery) => void deliveries.set(`${delivery.webhookId}/${delivery.id}`, delivery),
    async forgetPayloadsAbout(candidateId) {
      for (const [key, delivery] of deliveries) {
        if (delivery.payload && JSON.parse(delivery.payload).data.candidateId === candidateId) {
          const { payload, ...rest } = delivery;
          deliveries.set(key, rest);
        }
      }
    },
  };
  const deps = {
    webhooks: webhookStore,
    deliveries: deliveryStore,
    workflow: { start: async (name: string, state: DeliveryState) => void started.push({ name, state }) },
    receiver: {
      post: async (url: string, body: string, headers: Record<string, string>) => {
        sent.push({ url, body, headers });
        return answers.length > 1 ? answers.shift()! : answers[0]!;
      },
    },
    secrets: { seal: async (plain: string) => `sealed:${plain}`, open: async (sealed: string) => sealed.replace(/^sealed:/, '') },
    clock: { now: () => NOW },
    ids: { webhook: () => `wh_${String(++seq).padStart(26, '0')}`, delivery: (webhookId: string, type: string, eventId: string) => `dlv_${webhookId}_${type}_${eventId}` },
    policy: { allowLoopback: options.allowLoopback ?? false },
    erased: { isErased: async (candidateId: string) => erasedPeople.has(candidateId) },
  };
  return { webhooks, deliveries, started, sent, erasedPeople, service: webhookService(deps), delivery: deliveryService(deps) };
}

const subscription = (overrides: Partial<CreateWebhook> = {}): CreateWebhook => ({ url: 'https://ats.example.com/hooks', secret, events: ['CandidateCreated'], ...overrides });
const candidateCreated = (eventId = 'evt_1', candidateId = 'cand_1'): PublishedEvent => ({
  detailType: 'CandidateCreated',
  detail: { eventId, occurredAt: NOW, actor: 'recruiter-1', candidateId, status: 'active' },
});

/** Runs a delivery workflow as the state machine would: attempt, and again while not done. */
async function runWorkflow(w: ReturnType<typeof world>, state: DeliveryState) {
  let current = state;
  for (let steps = 0; !current.done; steps++) {
    if (steps > 100) throw new Error('the delivery never ended');
    current = await w.delivery.attempt(current);
  }
  return current;
}

describe('the retry schedule', () => {
  it('waits 30 s after the first failure, doubling up to an hour between tries', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 20].map(backoffSeconds)).toStrictEqual([30, 60, 120, 240, 480, 960, 1920, 3600, 3600, 3600]);
  });

  it('keeps trying for at least 24 hours of back-off, and not much longer', () => {
    const waits = retrySchedule();
    const total = waits.reduce((sum, wait) => sum + wait, 0);
    expect(total).toBeGreaterThanOrEqual(RETRY_WINDOW_SECONDS);
    expect(total - waits.at(-1)!).toBeLessThan(RETRY_WINDOW_SECONDS);
    expect(waits.length + 1).toBe(31);
  });
});

describe('dispatching a domain event', () => {
  it('starts one delivery per active webhook subscribed to the event, named by webhook and event', async () => {
    const w = world();
    const wanted = await w.service.create(subscription());
    await w.service.create(subscription({ events: ['JobPublished'] }));
    const paused = await w.service.create(subscription());
    await w.service.update(paused.id, { status: 'paused' });
    await w.delivery.dispatch(candidateCreated());
    expect(w.started.map(({ name, state }) => [name, state.webhookId])).toStrictEqual([[`dlv_${wanted.id}_CandidateCreated_evt_1`, wanted.id]]);
  });

  it('puts the event id, type, time and detail in the body', async () => {
    const w = world();
    await w.service.create(subscription());
    await w.delivery.dispatch(candidateCreated());
    expect(JSON.parse(w.started[0]!.state.body)).toStrictEqual({ id: 'evt_1', type: 'CandidateCreated', occurredAt: NOW, data: candidateCreated().detail });
  });

  it('asks for the same execution name when the same event is delivered again', async () => {
    const w = world();
    await w.service.create(subscription());
    await w.delivery.dispatch(candidateCreated());
    await w.delivery.dispatch(candidateCreated());
    expect(new Set(w.started.map(({ name }) => name)).size).toBe(1);
  });
});

describe('one attempt of a delivery', () => {
  async function startedDelivery(w: ReturnType<typeof world>) {
    await w.service.create(subscription());
    await w.delivery.dispatch(candidateCreated());
    return w.started.at(-1)!.state;
  }

  it('posts the body signed with the webhook secret, with the event, delivery and user-agent headers', async () => {
    const w = world();
    const state = await startedDelivery(w);
    await w.delivery.attempt(state);
    const [request] = w.sent;
    expect(request!.headers).toMatchObject({ 'content-type': 'application/json', 'x-talentrelay-event': 'CandidateCreated', 'x-talentrelay-delivery': state.deliveryId });
    expect(request!.headers['user-agent']).toMatch(/^TalentRelay-Webhooks\//);
    expect(verifyWebhook(request!.headers['x-talentrelay-signature'], secret, request!.body, Date.parse(NOW) / 1000)).toBe(true);
  });

  it('records a 2xx as delivered and ends', async () => {
    const w = world({ answers: [{ httpStatus: 204, durationMs: 40 }] });
    const state = await startedDelivery(w);
    expect(await w.delivery.attempt(state)).toMatchObject({ done: true, attempt: 1 });
    const [delivery] = w.deliveries.values();
    expect(delivery).toMatchObject({ status: 'delivered', attempts: [{ attempt: 1, httpStatus: 204, durationMs: 40, outcome: 'delivered' }] });
    expect(delivery!.payload).toBeUndefined();
  });

  it('records a 503 with the next retry time and asks the workflow to wait the back-off', async () => {
    const w = world({ answers: [{ httpStatus: 503, durationMs: 5 }] });
    const next = await w.delivery.attempt(await startedDelivery(w));
    expect(next).toMatchObject({ done: false, waitSeconds: 30, waitedSeconds: 30, tries: 1 });
    expect([...w.deliveries.values()][0]).toMatchObject({
      status: 'retrying', nextRetryAt: '2026-11-26T02:00:30.000Z', attempts: [{ httpStatus: 503, outcome: 'failed', nextRetryAt: '2026-11-26T02:00:30.000Z' }],
    });
  });

  it('records a timeout or refused connection as a failed attempt with its error', async () => {
    const w = world({ answers: [{ error: 'No answer within 10 s', durationMs: 10_000 }] });
    await w.delivery.attempt(await startedDelivery(w));
    expect([...w.deliveries.values()][0]!.attempts[0]).toMatchObject({ error: 'No answer within 10 s', outcome: 'failed' });
  });

  it('dead-letters after 24 hours of failures, keeping the body for a redelivery', async () => {
    const w = world({ answers: [{ httpStatus: 500, durationMs: 5 }] });
    const state = await startedDelivery(w);
    const end = await runWorkflow(w, state);
    const delivery = [...w.deliveries.values()][0]!;
    expect(end.waitedSeconds).toBeGreaterThanOrEqual(RETRY_WINDOW_SECONDS);
    expect(delivery).toMatchObject({ status: 'dead-lettered', payload: state.body });
    expect(delivery.attempts).toHaveLength(31);
    expect(delivery.attempts.map((attempt) => attempt.attempt)).toStrictEqual(Array.from({ length: 31 }, (_, i) => i + 1));
  });

  it('disables the webhook when the receiver answers 410 Gone, and dead-letters the delivery', async () => {
    const w = world({ answers: [{ httpStatus: 410, durationMs: 5 }] });
    const state = await startedDelivery(w);
    expect(await w.delivery.attempt(state)).toMatchObject({ done: true });
    expect(w.webhooks.get(state.webhookId)).toMatchObject({ status: 'disabled', disabledReason: expect.stringMatching(/410/) });
    expect([...w.deliveries.values()][0]).toMatchObject({ status: 'dead-lettered' });
  });

  it('cancels, without sending, a delivery whose webhook was paused meanwhile', async () => {
    const w = world();
    const state = await startedDelivery(w);
    await w.service.update(state.webhookId, { status: 'paused' });
    expect(await w.delivery.attempt(state)).toMatchObject({ done: true });
    expect(w.sent).toHaveLength(0);
    expect([...w.deliveries.values()][0]).toMatchObject({ status: 'cancelled', reason: 'The webhook is paused.' });
  });

  it('ends, without sending or recording, a delivery whose webhook was removed', async () => {
    const w = world();
    const state = await startedDelivery(w);
    await w.service.remove(state.webhookId);
    expect(await w.delivery.attempt(state)).toMatchObject({ done: true });
    expect(w.sent).toHaveLength(0);
    expect(w.deliveries.size).toBe(0);
  });

  it('refuses at send time a URL the policy no longer allows', async () => {
    const w = world({ allowLoopback: true });
    await w.service.create(subscription({ url: 'http://127.0.0.1:9/hook' }));
    await w.delivery.dispatch(candidateCreated());
    const strict = world({ allowLoopback: false });
    for (const [id, webhook] of w.webhooks) strict.webhooks.set(id, webhook);
    await strict.delivery.attempt(w.started[0]!.state);
    expect(strict.sent).toHaveLength(0);
    expect([...strict.deliveries.values()][0]!.attempts[0]!.error).toMatch(/https/);
  });
});

describe('managing webhooks', () => {
  it('never returns the secret, and stores it sealed', async () => {
    const w = world();
    const created = await w.service.create(subscription());
    expect(JSON.stringify(created)).not.toContain(secret);
    expect(JSON.stringify(await w.service.get(created.id))).not.toContain(secret);
    expect(w.webhooks.get(created.id)!.sealedSecret).toBe(`sealed:${secret}`);
  });

  it('refuses a non-https URL in AWS, naming the field', async () => {
    const w = world();
    const refusal = await w.service.create(subscription({ url: 'http://ats.example.com/hooks' })).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(InvalidInput);
    expect((refusal as InvalidInput).errors).toStrictEqual([{ path: 'body.url', message: 'must be an https:// URL' }]);
  });

  it('redelivers a dead-lettered delivery once, with a fresh schedule and the attempts counting on', async () => {
    const w = world({ answers: [{ httpStatus: 500, durationMs: 5 }] });
    await w.service.create(subscription());
    await w.delivery.dispatch(candidateCreated());
    const first = w.started[0]!;
    await runWorkflow(w, first.state);
    const again = await w.service.redeliver(first.state.webhookId, first.state.deliveryId);
    expect(again).toMatchObject({ status: 'retrying', redeliveries: 1 });
    expect(w.started.at(-1)).toMatchObject({ name: `${first.state.deliveryId}-1`, state: { attempt: 31, tries: 0, waitedSeconds: 0, body: first.state.body } });
    await expect(w.service.redeliver(first.state.webhookId, first.state.deliveryId)).rejects.toMatchObject({ status: 409 });
  });

  it('refuses to redeliver a delivered one, or one whose webhook is paused', async () => {
    const w = world();
    await w.service.create(subscription());
    await w.delivery.dispatch(candidateCreated());
    const { state } = w.started[0]!;
    await runWorkflow(w, state);
    await expect(w.service.redeliver(state.webhookId, state.deliveryId)).rejects.toMatchObject({ status: 409, message: expect.stringMatching(/delivered/) });
    await w.service.update(state.webhookId, { status: 'paused' });
    await expect(w.service.redeliver(state.webhookId, state.deliveryId)).rejects.toMatchObject({ status: 409, message: expect.stringMatching(/paused/) });
  });

  it('forgets the kept body of a dead letter when the person it is about is erased, after which it cannot be redelivered', async () => {
    const w = world({ answers: [{ httpStatus: 500, durationMs: 5 }] });
    await w.service.create(subscription({ events: ['CandidateCreated'] }));
    await w.delivery.dispatch(candidateCreated('evt_1', 'cand_gone'));
    const { state } = w.started[0]!;
    await runWorkflow(w, state);
    await w.delivery.dispatch({ detailType: 'CandidateErased', detail: { eventId: 'evt_2', occurredAt: NOW, actor: 'admin', candidateId: 'cand_gone', reason: 'admin' } });
    expect([...w.deliveries.values()][0]!.payload).toBeUndefined();
    await expect(w.service.redeliver(state.webhookId, state.deliveryId)).rejects.toMatchObject({ status: 422 });
  });

  it('keeps no body when a delivery about a person erased meanwhile is dead-lettered', async () => {
    const w = world({ answers: [{ httpStatus: 500, durationMs: 5 }] });
    await w.service.create(subscription({ events: ['CandidateCreated'] }));
    await w.delivery.dispatch(candidateCreated('evt_1', 'cand_gone'));
    w.erasedPeople.add('cand_gone');
    await runWorkflow(w, w.started[0]!.state);
    expect([...w.deliveries.values()][0]).toMatchObject({ status: 'dead-lettered' });
    expect([...w.deliveries.values()][0]!.payload).toBeUndefined();
  });
});
