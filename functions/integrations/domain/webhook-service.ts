import { Conflict, InvalidInput, NotFound, Unprocessable } from '../../../shared/errors.ts';
import type { PageRequest } from '../../../shared/http/pagination.ts';
import { changeVersioned } from '../../../shared/versioned.ts';
import type { CreateWebhook, Delivery, DeliveryStatus, UpdateWebhook, Webhook } from '../schemas.ts';
import type { Clock, DeliveryStore, DeliveryWorkflow, Secrets, StoredDelivery, StoredWebhook, WebhookIds, WebhookStore } from './webhook-ports.ts';
import { refusedUrl, type UrlPolicy } from './webhook-url.ts';

/** The webhook as clients see it: never its secret. */
const publicWebhook = ({ sealedSecret, ...webhook }: StoredWebhook): Webhook => webhook;
const publicDelivery = ({ payload, ...delivery }: StoredDelivery): Delivery => delivery;

/** Deliveries that ended without success; a redelivery sends them again. */
const redeliverable: readonly DeliveryStatus[] = ['dead-lettered', 'cancelled'];

export function webhookService(deps: {
  webhooks: WebhookStore;
  deliveries: DeliveryStore;
  workflow: DeliveryWorkflow;
  secrets: Secrets;
  clock: Clock;
  ids: WebhookIds;
  policy: UrlPolicy;
}) {
  const { webhooks, deliveries, workflow, secrets, clock, ids, policy } = deps;

  const checkUrl = (url: string) => {
    const refused = refusedUrl(url, policy);
    if (refused) throw new InvalidInput(`The webhook URL ${refused}.`, [{ path: 'body.url', message: refused }]);
  };

  async function stored(id: string): Promise<StoredWebhook> {
    const webhook = await webhooks.get(id);
    if (!webhook) throw new NotFound(`There is no webhook ${id}.`);
    return webhook;
  }

  async function delivery(webhookId: string, deliveryId: string): Promise<StoredDelivery> {
    await stored(webhookId);
    const found = await deliveries.get(webhookId, deliveryId);
    if (!found) throw new NotFound(`Webhook ${webhookId} has no delivery ${deliveryId}.`);
    return found;
  }

  return {
    async create(input: CreateWebhook): Promise<Webhook> {
      checkUrl(input.url);
      const now = clock.now();
      const webhook: StoredWebhook = {
        id: ids.webhook(), url: input.url, events: input.events, status: 'active', ...(input.description ? { description: input.description } : {}),
        sealedSecret: await secrets.seal(input.secret), createdAt: now, updatedAt: now, version: 1,
      };
      await webhooks.create(webhook);
      return publicWebhook(webhook);
    },

    list: (page: PageRequest) => webhooks.list(page),
    get: async (id: string) => publicWebhook(await stored(id)),

    async update(id: string, patch: UpdateWebhook, ifMatch?: number): Promise<Webhook> {
      if (patch.url !== undefined) checkUrl(patch.url);
      const sealedSecret = patch.secret === undefined ? undefined : await secrets.seal(patch.secret);
      const { value } = await changeVersioned('webhook', { get: () => stored(id), replace: webhooks.replace, now: clock.now }, (current, now) => {
        const next: StoredWebhook = { ...current };
        if (patch.url !== undefined) next.url = patch.url;
        if (patch.events !== undefined) next.events = patch.events;
        if (sealedSecret !== undefined) next.sealedSecret = sealedSecret;
        if (patch.description === null) delete next.description;
        else if (patch.description !== undefined) next.description = patch.description;
        if (patch.status !== undefined && patch.status !== current.status) {
          next.status = patch.status;
          delete next.disabledReason;
        }
        if (JSON.stringify(next) === JSON.stringify(current)) return { next: current, events: [] };
        return { next: { ...next, updatedAt: now, version: current.version + 1 }, events: [] };
      }, ifMatch);
      return publicWebhook(value);
    },

    remove: async (id: string) => webhooks.remove(await stored(id)),

    async deliveries(webhookId: string, status: DeliveryStatus | undefined, page: PageRequest) {
      await stored(webhookId);
      return deliveries.list(webhookId, status, page);
    },

    delivery: async (webhookId: string, deliveryId: string) => publicDelivery(await delivery(webhookId, deliveryId)),

    /** Sends an ended delivery again, with a fresh 24-hour retry schedule; its attempts keep counting. */
    async redeliver(webhookId: string, deliveryId: string): Promise<Delivery> {
      const webhook = await stored(webhookId);
      if (webhook.status !== 'active') throw new Conflict(`The webhook is ${webhook.status}; set its status to active first.`);
      const ended = await delivery(webhookId, deliveryId);
      if (!redeliverable.includes(ended.status)) throw new Conflict(`The delivery is ${ended.status}; only a dead-lettered or cancelled one can be redelivered.`);
      if (!ended.payload) throw new Unprocessable('The event of this delivery is no longer held (the person it was about was erased).');
      const at = clock.now();
      if (!(await deliveries.claimRedelivery(ended, at))) throw new Conflict('The delivery is being redelivered already.');
      const redeliveries = ended.redeliveries + 1;
      try {
        await workflow.start(`${deliveryId}-${redeliveries}`, {
          webhookId, deliveryId, eventId: ended.eventId, eventType: ended.eventType, body: ended.payload, ...candidateOf(ended.payload),
          attempt: ended.attempts.length, tries: 0, waitedSeconds: 0,
        });
      } catch (error) {
        await deliveries.releaseRedelivery(ended);
        throw error;
      }
      const { nextRetryAt, reason, ...rest } = publicDelivery(ended);
      return { ...rest, status: 'retrying', redeliveries, updatedAt: at };
    },
  };
}

/** The person a kept body is about, so the redelivery can be forgotten with them too. */
function candidateOf(body: string): { candidateId?: string } {
  const candidateId = (JSON.parse(body) as { data?: { candidateId?: unknown } }).data?.candidateId;
  return typeof candidateId === 'string' ? { candidateId } : {};
}
