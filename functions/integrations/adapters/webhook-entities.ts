/**
 * Keys, index attributes and (de)serialisation of webhooks, their subscriptions and their deliveries, in one place.
 * Everything of a webhook lives in its partition, so reading one webhook's deliveries is one Query.
 */
import type { Delivery, DeliveryStatus, Webhook } from '../schemas.ts';
import type { StoredDelivery, StoredWebhook } from '../domain/webhook-ports.ts';

type Item = Record<string, unknown>;

const strip = <T>(item: Item): T => {
  const { PK, SK, GSI1PK, GSI1SK, GSI2PK, GSI2SK, entity, expiresAt, attemptCount, ...rest } = item;
  return rest as T;
};

// Webhook: WEBHOOK#<id> / WEBHOOK; GSI1 lists every webhook.
export const webhookPartition = (id: string) => `WEBHOOK#${id}`;
export const webhookKey = (id: string) => ({ PK: webhookPartition(id), SK: 'WEBHOOK' });
export const ALL_WEBHOOKS = 'WEBHOOKS';
export const webhookItem = (webhook: StoredWebhook): Item => ({ ...webhookKey(webhook.id), GSI1PK: ALL_WEBHOOKS, GSI1SK: webhook.id, entity: 'webhook', ...webhook });
export const storedWebhookFrom = (item: Item): StoredWebhook => strip<StoredWebhook>(item);
export const webhookFrom = (item: Item): Webhook => {
  const { sealedSecret, ...webhook } = storedWebhookFrom(item);
  return webhook;
};

// Subscription: one per event type of an active webhook; GSI2 answers "which webhooks want this event".
export const subscriptionKey = (webhookId: string, eventType: string) => ({ PK: webhookPartition(webhookId), SK: `SUB#${eventType}` });
export const subscribersOf = (eventType: string) => `WEBHOOKSUB#${eventType}`;
export const subscriptionItem = (webhookId: string, eventType: string): Item => ({
  ...subscriptionKey(webhookId, eventType), GSI2PK: subscribersOf(eventType), GSI2SK: webhookId, entity: 'webhook-subscription', webhookId, eventType,
});
/** The subscriptions a webhook in this state holds: one per event while active, none otherwise. */
export const subscriptionsOf = (webhook: Pick<Webhook, 'id' | 'status' | 'events'>) => (webhook.status === 'active' ? webhook.events : []);

// Delivery: WEBHOOK#<id> / DELIVERY#<deliveryId>, its attempts inside; GSI1 by webhook and status; while it keeps an
// ended delivery's body about a person, GSI2 finds it by that person for erasure. TTL removes it 30 days after its last step.
export const DELIVERY_PREFIX = 'DELIVERY#';
export const deliveryKey = (webhookId: string, deliveryId: string) => ({ PK: webhookPartition(webhookId), SK: `${DELIVERY_PREFIX}${deliveryId}` });
export const deliveriesWithStatus = (webhookId: string, status: DeliveryStatus) => `WHDELIVERIES#${webhookId}#${status}`;
export const keptPayloadsAbout = (candidateId: string) => `WHPAYLOAD#${candidateId}`;
export const DELIVERY_TTL_SECONDS = 30 * 86_400;
export const storedDeliveryFrom = (item: Item): StoredDelivery => {
  const delivery = strip<StoredDelivery & { redeliveries?: number; attempts?: Delivery['attempts'] }>(item);
  return { ...delivery, attempts: delivery.attempts ?? [], redeliveries: delivery.redeliveries ?? 0 };
};
export const deliveryFrom = (item: Item): Delivery => {
  const { payload, ...delivery } = storedDeliveryFrom(item);
  return delivery;
};
