import * as z from 'zod';
import { PageQuery, pageOf } from '../../shared/http/pagination.ts';
import { webhookEventNames } from './domain/webhook-events.ts';

const ulid = '[0-9A-HJKMNP-TV-Z]{26}';
export const WebhookId = z.string().regex(new RegExp(`^wh_${ulid}$`), 'not a webhook id');
export const DeliveryId = z.string().regex(new RegExp(`^dlv_${ulid}$`), 'not a delivery id');

export const WebhookEvent = z.enum(webhookEventNames, { error: `not an event a webhook can subscribe to (one of ${webhookEventNames.join(', ')})` });
const events = z.array(WebhookEvent).min(1).max(webhookEventNames.length).transform((names) => [...new Set(names)].sort());
/** The receiver's endpoint; where it may point is checked by the domain (webhook-url.ts). */
const url = z.string().trim().min(1).max(2000);
/** Shared with the receiver, who verifies signatures with it; never returned once stored. */
const secret = z.string().min(16, 'at least 16 characters').max(256);
const description = z.string().trim().min(1).max(200);

export const webhookStatuses = ['active', 'paused', 'disabled'] as const;

export const CreateWebhook = z.strictObject({ url, secret, events, description: description.optional() });
export type CreateWebhook = z.output<typeof CreateWebhook>;

/** `status: active` resumes a paused webhook or one a receiver's 410 disabled; `secret` rotates the signing secret. */
export const UpdateWebhook = z
  .strictObject({
    url: url.optional(),
    secret: secret.optional(),
    events: events.optional(),
    status: z.enum(['active', 'paused']).optional(),
    description: description.nullable().optional(),
  })
  .refine((patch) => Object.values(patch).some((value) => value !== undefined), { message: 'nothing to change' });
export type UpdateWebhook = z.output<typeof UpdateWebhook>;

export const Webhook = z.object({
  id: WebhookId,
  url: z.string(),
  events: z.array(WebhookEvent),
  status: z.enum(webhookStatuses),
  description: z.string().optional(),
  /** Why the webhook was disabled (its receiver answered 410 Gone). */
  disabledReason: z.string().optional(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  version: z.number().int(),
});
export type Webhook = z.output<typeof Webhook>;
export const WebhookPage = pageOf(Webhook);

export const deliveryStatuses = ['retrying', 'delivered', 'dead-lettered', 'cancelled'] as const;
export type DeliveryStatus = (typeof deliveryStatuses)[number];

export const DeliveryAttempt = z.object({
  /** 1 for the first try; counting goes on across redeliveries. */
  attempt: z.number().int(),
  at: z.iso.datetime(),
  durationMs: z.number().int(),
  /** The receiver's HTTP status, when it answered. */
  httpStatus: z.number().int().optional(),
  /** Why the attempt failed without an answer (timeout, refused connection, refused address). */
  error: z.string().optional(),
  outcome: z.enum(['delivered', 'failed']),
  /** When the next attempt is due, after a failed one that will be retried. */
  nextRetryAt: z.iso.datetime().optional(),
});
export type DeliveryAttempt = z.output<typeof DeliveryAttempt>;

export const Delivery = z.object({
  id: DeliveryId,
  webhookId: WebhookId,
  eventId: z.string(),
  eventType: WebhookEvent,
  /** retrying (first attempt included), delivered, dead-lettered (gave up after 24 hours, or the receiver answered 410), cancelled (the webhook was paused or disabled meanwhile). */
  status: z.enum(deliveryStatuses),
  attempts: z.array(DeliveryAttempt),
  nextRetryAt: z.iso.datetime().optional(),
  /** Why the delivery stopped, when it did without success. */
  reason: z.string().optional(),
  /** How often it was redelivered by hand. */
  redeliveries: z.number().int(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type Delivery = z.output<typeof Delivery>;
export const DeliveryPage = pageOf(Delivery);

export const ListDeliveriesQuery = PageQuery.extend({ status: z.enum(deliveryStatuses).optional() }).strict();
