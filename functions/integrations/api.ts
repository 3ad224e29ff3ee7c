import * as z from 'zod';
import { route } from '../../shared/http/route.ts';
import { PageQuery } from '../../shared/http/pagination.ts';
import { CreateWebhook, Delivery, DeliveryId, DeliveryPage, ListDeliveriesQuery, UpdateWebhook, Webhook, WebhookId, WebhookPage } from './schemas.ts';

const tag = 'integrations';
/** The Step Functions workflow that carries one delivery through its attempts. */
export const DELIVERY_WORKFLOW = 'integrations-webhook-delivery';
const WebhookById = z.strictObject({ id: WebhookId });
const DeliveryById = z.strictObject({ id: WebhookId, deliveryId: DeliveryId });

// Writes hold the signing secret and decide where data leaves the system: admin. Reads (never the secret): recruiters.
export const createWebhook = route({
  method: 'POST', path: '/integrations/webhooks', access: 'admin', tag,
  summary: 'Subscribe a receiver to domain events; deliveries are signed with the secret (X-TalentRelay-Signature), which is never shown again',
  body: CreateWebhook, response: Webhook, status: 201, idempotent: true,
});
export const listWebhooks = route({ method: 'GET', path: '/integrations/webhooks', access: 'recruiter', tag, summary: 'List webhooks, newest first', query: PageQuery.strict(), response: WebhookPage });
export const getWebhook = route({ method: 'GET', path: '/integrations/webhooks/{id}', access: 'recruiter', tag, summary: 'Read a webhook (ETag carries the version)', params: WebhookById, response: Webhook });
export const updateWebhook = route({
  method: 'PATCH', path: '/integrations/webhooks/{id}', access: 'admin', tag,
  summary: 'Change the URL, events or description, rotate the secret, pause (`status: paused`) or resume (`status: active`)',
  params: WebhookById, body: UpdateWebhook, response: Webhook, conditional: true,
});
export const deleteWebhook = route({
  method: 'DELETE', path: '/integrations/webhooks/{id}', access: 'admin', tag, summary: 'Remove a webhook; its deliveries under way stop at their next attempt', params: WebhookById, status: 204,
});
export const listDeliveries = route({
  method: 'GET', path: '/integrations/webhooks/{id}/deliveries', access: 'recruiter', tag,
  summary: 'Deliveries, newest event first, each with its attempts (time, HTTP status or error, duration, next retry); ?status=dead-lettered lists the dead letters',
  params: WebhookById, query: ListDeliveriesQuery, response: DeliveryPage,
});
export const getDelivery = route({
  method: 'GET', path: '/integrations/webhooks/{id}/deliveries/{deliveryId}', access: 'recruiter', tag, summary: 'One delivery and its attempts',
  params: DeliveryById, response: Delivery,
});
export const redeliver = route({
  method: 'POST', path: '/integrations/webhooks/{id}/deliveries/{deliveryId}/retry', access: 'admin', tag,
  summary: 'Send a dead-lettered or cancelled delivery again, with a new 24-hour retry schedule',
  params: DeliveryById, response: Delivery, status: 202, idempotent: true,
});
