import { created, endpoint, httpApi, noContent, ok, withVersion } from '../../../shared/http/api.ts';
import { webhooks } from '../adapters/webhook-services.ts';
import * as api from '../api.ts';

const createWebhook = endpoint(api.createWebhook, async ({ body }) => {
  const webhook = await webhooks.create(body);
  return created(webhook, { location: `/integrations/webhooks/${webhook.id}`, etag: `"${webhook.version}"` });
});
const listWebhooks = endpoint(api.listWebhooks, async ({ query }) => ok(await webhooks.list(query)));
const getWebhook = endpoint(api.getWebhook, async ({ params }) => withVersion(await webhooks.get(params.id)));
const updateWebhook = endpoint(api.updateWebhook, async ({ params, body, ifMatch }) => withVersion(await webhooks.update(params.id, body, ifMatch)));
const deleteWebhook = endpoint(api.deleteWebhook, async ({ params }) => {
  await webhooks.remove(params.id);
  return noContent();
});
const listDeliveries = endpoint(api.listDeliveries, async ({ params, query }) => ok(await webhooks.deliveries(params.id, query.status, query)));
const getDelivery = endpoint(api.getDelivery, async ({ params }) => ok(await webhooks.delivery(params.id, params.deliveryId)));
const redeliver = endpoint(api.redeliver, async ({ params }) => ({ status: 202, body: await webhooks.redeliver(params.id, params.deliveryId) }));

export const handler = httpApi(createWebhook, listWebhooks, getWebhook, updateWebhook, deleteWebhook, listDeliveries, getDelivery, redeliver);
