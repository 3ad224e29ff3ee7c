import { changeVersioned } from '../../../shared/versioned.ts';
import { signWebhook } from '../../../shared/webhook-signature.ts';
import type { DeliveryAttempt, DeliveryStatus } from '../schemas.ts';
import { nextWait, outcomeOf } from './delivery-schedule.ts';
import type { WebhookEventName } from './webhook-events.ts';
import type {
  Clock, DeliveryProgress, ErasedPeople, DeliveryState, DeliveryStore, DeliveryWorkflow, Receiver, Secrets, StoredWebhook, WebhookIds, WebhookStore,
} from './webhook-ports.ts';
import { refusedUrl, type UrlPolicy } from './webhook-url.ts';

const USER_AGENT = 'TalentRelay-Webhooks/1.0';

/** A domain event as the bus delivers it to the dispatcher. */
export interface PublishedEvent {
  detailType: WebhookEventName;
  detail: { eventId: string; occurredAt: string } & Record<string, unknown>;
}

/** What a receiver gets: the event's id, type and time, and its detail as `data`. */
const deliveryBody = (event: PublishedEvent) =>
  JSON.stringify({ id: event.detail.eventId, type: event.detailType, occurredAt: event.detail.occurredAt, data: event.detail });

const secondsOf = (iso: string) => Math.floor(Date.parse(iso) / 1000);
const plus = (iso: string, seconds: number) => new Date(Date.parse(iso) + seconds * 1000).toISOString();

export function deliveryService(deps: {
  webhooks: WebhookStore;
  deliveries: DeliveryStore;
  workflow: DeliveryWorkflow;
  receiver: Receiver;
  secrets: Secrets;
  clock: Clock;
  ids: WebhookIds;
  policy: UrlPolicy;
  erased: ErasedPeople;
}) {
  const { webhooks, deliveries, workflow, receiver, secrets, clock, ids, policy, erased } = deps;

  /**
   * The delivery's record after this step. The body is kept only when it ends without success, for a redelivery, and
   * not when its person has been erased meanwhile (the erasure already dropped the bodies kept before).
   */
  const progress = async (state: DeliveryState, at: string, status: DeliveryStatus, extra: Partial<DeliveryProgress> = {}): Promise<DeliveryProgress> => {
    const keep = (status === 'dead-lettered' || status === 'cancelled') && !(state.candidateId && (await erased.isErased(state.candidateId)));
    return {
      webhookId: state.webhookId,
      deliveryId: state.deliveryId,
      eventId: state.eventId,
      eventType: state.eventType,
      at,
      status,
      ...(keep ? { payload: { body: state.body, candidateId: state.candidateId } } : {}),
      ...extra,
    };
  };

  async function tryOnce(webhook: StoredWebhook, state: DeliveryState, number: number, at: string) {
    // The URL rule is checked again at send time: the stored one may predate a stricter policy.
    const refused = refusedUrl(webhook.url, policy);
    if (refused) return { error: `The URL ${refused}.`, durationMs: 0 };
    const secret = await secrets.open(webhook.sealedSecret);
    return receiver.post(webhook.url, state.body, {
      'content-type': 'application/json',
      'user-agent': USER_AGENT,
      'x-talentrelay-signature': signWebhook(secret, state.body, secondsOf(at)),
      'x-talentrelay-event': state.eventType,
      'x-talentrelay-delivery': state.deliveryId,
      'x-talentrelay-attempt': String(number),
    });
  }

  return {
    /** Starts one delivery per active webhook subscribed to the event; a redelivered event finds its deliveries started. */
    async dispatch(event: PublishedEvent): Promise<void> {
      if (event.detailType === 'CandidateErased' && typeof event.detail.candidateId === 'string') {
        await deliveries.forgetPayloadsAbout(event.detail.candidateId);
      }
      const subscribed = await webhooks.subscribedTo(event.detailType);
      const body = deliveryBody(event);
      const candidateId = typeof event.detail.candidateId === 'string' ? event.detail.candidateId : undefined;
      await Promise.all(
        subscribed.map((webhookId) => {
          const deliveryId = ids.delivery(webhookId, event.detailType, event.detail.eventId, event.detail.occurredAt);
          return workflow.start(deliveryId, {
            webhookId, deliveryId, eventId: event.detail.eventId, eventType: event.detailType, body, ...(candidateId ? { candidateId } : {}),
            attempt: 0, tries: 0, waitedSeconds: 0,
          });
        }),
      );
    },

    /** One try of a delivery (the workflow's Task): send, record, and say whether and when to try again. */
    async attempt(state: DeliveryState): Promise<DeliveryState> {
      const webhook = await webhooks.get(state.webhookId);
      // A deleted webhook's deliveries go with it.
      if (!webhook) return { ...state, done: true };
      const at = clock.now();
      if (webhook.status !== 'active') {
        await deliveries.record(await progress(state, at, 'cancelled', { reason: `The webhook is ${webhook.status}.` }));
        return { ...state, done: true };
      }
      const number = state.attempt + 1;
      const tries = state.tries + 1;
      const next = { ...state, attempt: number, tries };
      // A retried Task whose try was already made and recorded (it died before answering): answer from the record
      // rather than calling the receiver again.
      const recorded = await deliveries.get(state.webhookId, state.deliveryId);
      if (recorded?.attempts.some((made) => made.attempt === number)) {
        const wait = recorded.status === 'retrying' ? nextWait(tries, state.waitedSeconds) : undefined;
        return wait === undefined ? { ...next, done: true } : { ...next, waitedSeconds: state.waitedSeconds + wait, waitSeconds: wait, done: false };
      }
      const answer = await tryOnce(webhook, state, number, at);
      const outcome = outcomeOf(answer.httpStatus);
      const attempt: DeliveryAttempt = {
        attempt: number, at, durationMs: Math.round(answer.durationMs), outcome: outcome === 'delivered' ? 'delivered' : 'failed',
        ...(answer.httpStatus !== undefined ? { httpStatus: answer.httpStatus } : {}), ...(answer.error ? { error: answer.error } : {}),
      };
      if (outcome === 'delivered') {
        await deliveries.record(await progress(state, at, 'delivered', { attempt }));
        return { ...next, done: true };
      }
      if (outcome === 'gone') {
        const reason = 'The receiver answered 410 Gone: the webhook is disabled.';
        await deliveries.record(await progress(state, at, 'dead-lettered', { attempt, reason }));
        await disable(webhook, reason);
        return { ...next, done: true };
      }
      const wait = nextWait(tries, state.waitedSeconds);
      if (wait === undefined) {
        await deliveries.record(await progress(state, at, 'dead-lettered', { attempt, reason: `No success after ${number} attempts over 24 hours.` }));
        return { ...next, done: true };
      }
      const nextRetryAt = plus(at, wait);
      await deliveries.record(await progress(state, at, 'retrying', { attempt: { ...attempt, nextRetryAt }, nextRetryAt }));
      return { ...next, waitedSeconds: state.waitedSeconds + wait, waitSeconds: wait, done: false };
    },

    /** The workflow's last resort when a try kept failing on our side: the delivery is dead-lettered, so it can be redelivered. */
    async giveUp(state: DeliveryState): Promise<DeliveryState> {
      await deliveries.record(await progress(state, clock.now(), 'dead-lettered', { reason: 'The delivery failed on our side; redeliver it.' }));
      return { ...state, done: true };
    },
  };

  async function disable(webhook: StoredWebhook, reason: string) {
    // Deleted meanwhile: there is nothing left to disable.
    const get = async () => (await webhooks.get(webhook.id)) ?? { ...webhook, status: 'disabled' as const };
    await changeVersioned('webhook', { get, replace: (current, next) => webhooks.replace(current, next), now: clock.now }, (current, now) => ({
      next: current.status === 'active' ? { ...current, status: 'disabled' as const, disabledReason: reason, updatedAt: now, version: current.version + 1 } : current,
      events: [],
    }));
  }
}
