import type { Page, PageRequest } from '../../../shared/http/pagination.ts';
import type { Delivery, DeliveryAttempt, DeliveryStatus, Webhook } from '../schemas.ts';
import type { WebhookEventName } from './webhook-events.ts';
import type { Clock } from '../../../shared/ids.ts';
export type { Clock };

/** What the webhooks domain needs from the outside world; adapters implement these, tests fake them. */
export interface WebhookIds {
  webhook(): string;
  /** The same webhook and event always give the same id: a redelivered event maps onto the delivery it already has. */
  delivery(webhookId: string, eventType: string, eventId: string, occurredAt: string): string;
}

/** A webhook as stored: with its signing secret, sealed. */
export interface StoredWebhook extends Webhook {
  sealedSecret: string;
}

export { StaleVersion } from '../../../shared/versioned.ts';

export interface WebhookStore {
  get(id: string): Promise<StoredWebhook | undefined>;
  /** Writes the webhook and, while it is active, its subscriptions (one entry per event type). */
  create(webhook: StoredWebhook): Promise<void>;
  /** Writes `next` if the stored version is still `previous.version` (StaleVersion otherwise), keeping the subscriptions in step. */
  replace(previous: StoredWebhook, next: StoredWebhook): Promise<void>;
  remove(webhook: StoredWebhook): Promise<void>;
  list(page: PageRequest): Promise<Page<Webhook>>;
  /** The active webhooks subscribed to this event type. */
  subscribedTo(eventType: WebhookEventName): Promise<string[]>;
}

/** A delivery as stored: while it has ended without success, with the body that a redelivery sends again. */
export interface StoredDelivery extends Delivery {
  payload?: string;
}

/** What one step of a delivery writes: the attempt made (if any) and where the delivery stands after it. */
export interface DeliveryProgress {
  webhookId: string;
  deliveryId: string;
  eventId: string;
  eventType: string;
  at: string;
  attempt?: DeliveryAttempt;
  status: DeliveryStatus;
  nextRetryAt?: string;
  reason?: string;
  /** Kept while the delivery has ended without success (dead-lettered or cancelled), with the person it is about, if any. */
  payload?: { body: string; candidateId?: string };
}

export interface DeliveryStore {
  get(webhookId: string, deliveryId: string): Promise<StoredDelivery | undefined>;
  list(webhookId: string, status: DeliveryStatus | undefined, page: PageRequest): Promise<Page<Delivery>>;
  /** Records the step; an attempt whose number is recorded already (a retried task) changes nothing. */
  record(progress: DeliveryProgress): Promise<void>;
  /** Moves an ended delivery back to retrying, counting the redelivery; false when it is no longer as read (another redelivery won). */
  claimRedelivery(delivery: StoredDelivery, at: string): Promise<boolean>;
  /** Puts a claimed delivery back as it was, when its redelivery could not be started. */
  releaseRedelivery(delivery: StoredDelivery): Promise<void>;
  /** Drops the kept bodies of ended deliveries about this person (erasure). */
  forgetPayloadsAbout(candidateId: string): Promise<void>;
}

/** Whether a person has been erased (their erasure record stays after the erasure completes). */
export interface ErasedPeople {
  isErased(candidateId: string): Promise<boolean>;
}

export interface Secrets {
  seal(plain: string): Promise<string>;
  open(sealed: string): Promise<string>;
}

/** What a delivery workflow execution carries from step to step. The body travels here, never in the table while in flight. */
export interface DeliveryState {
  webhookId: string;
  deliveryId: string;
  eventId: string;
  eventType: string;
  /** The exact JSON that is sent and signed. */
  body: string;
  /** The person the event is about, so a kept body can be forgotten when they are erased. */
  candidateId?: string;
  /** Attempts made so far, redeliveries included. */
  attempt: number;
  /** Tries in this run of the back-off schedule (a redelivery starts a new run) and the back-off waited in it. */
  tries: number;
  waitedSeconds: number;
  /** Set after a failed try: how long the workflow waits before the next. */
  waitSeconds?: number;
  /** The workflow ends. */
  done?: boolean;
}

export interface DeliveryWorkflow {
  /** Starts the delivery workflow; an execution with this name that exists already is left as it is. */
  start(executionName: string, state: DeliveryState): Promise<void>;
}

export interface ReceiverAnswer {
  httpStatus?: number;
  error?: string;
  durationMs: number;
}

export interface Receiver {
  post(url: string, body: string, headers: Record<string, string>): Promise<ReceiverAnswer>;
}
