import { clock, derivedId, newId } from '../../../shared/ids.ts';
import { openSecret, sealSecret } from '../../../shared/signing.ts';
import { startWorkflow } from '../../../shared/workflows.ts';
import { DELIVERY_WORKFLOW } from '../api.ts';
import { deliveryService } from '../domain/delivery-service.ts';
import type { DeliveryWorkflow, WebhookIds } from '../domain/webhook-ports.ts';
import { webhookService } from '../domain/webhook-service.ts';
import type { UrlPolicy } from '../domain/webhook-url.ts';
import { httpReceiver } from './webhook-receiver.ts';
import { dynamoDeliveryStore, dynamoWebhookStore } from './webhook-store.ts';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { config } from '../../../shared/config.ts';
import { documents } from '../../../shared/table/client.ts';
import { erasureKey } from '../../privacy/adapters/erasure-key.ts';

/** Loopback receivers are for the local stack only, which alone sets this variable. */
const policy: UrlPolicy = {
  get allowLoopback() {
    return process.env.WEBHOOKS_ALLOW_LOOPBACK === '1';
  },
};

const ids: WebhookIds = {
  webhook: () => newId('wh'),
  delivery: (webhookId, eventType, eventId, occurredAt) => derivedId('dlv', occurredAt, `${webhookId}:${eventType}:${eventId}`),
};
const secrets = { seal: sealSecret, open: openSecret };
const workflow: DeliveryWorkflow = { start: (name, state) => startWorkflow(DELIVERY_WORKFLOW, name, { ...state }) };
const stores = { webhooks: dynamoWebhookStore, deliveries: dynamoDeliveryStore };

export const webhooks = webhookService({ ...stores, workflow, secrets, clock, ids, policy });
const erased = {
  isErased: async (candidateId: string) => (await documents.send(new GetCommand({ TableName: config.tableName, Key: erasureKey(candidateId), ProjectionExpression: 'PK' }))).Item !== undefined,
};
export const deliveries = deliveryService({ ...stores, workflow, receiver: httpReceiver(policy), secrets, clock, ids, policy, erased });
