import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { config } from '../../../shared/config.ts';
import { Conflict } from '../../../shared/errors.ts';
import { documents } from '../../../shared/table/client.ts';
import { conditionally, partitionPage, queryAll } from '../../../shared/table/query.ts';
import { transact, type TransactAction } from '../../../shared/table/transact.ts';
import { StaleVersion, type DeliveryProgress, type DeliveryStore, type StoredWebhook, type WebhookStore } from '../domain/webhook-ports.ts';
import {
  ALL_WEBHOOKS, DELIVERY_PREFIX, DELIVERY_TTL_SECONDS, deliveriesWithStatus, deliveryFrom, deliveryKey, keptPayloadsAbout, storedDeliveryFrom,
  storedWebhookFrom, subscribersOf, subscriptionItem, subscriptionKey, subscriptionsOf, webhookFrom, webhookItem, webhookKey, webhookPartition,
} from './webhook-entities.ts';

const TableName = () => config.tableName;
// Strongly consistent: a delivery acts on the webhook as it was last saved (paused, disabled, rotated secret).
const get = async (Key: Record<string, string>) => (await documents.send(new GetCommand({ TableName: TableName(), Key, ConsistentRead: true }))).Item;

const putSubscription = (webhookId: string, eventType: string): TransactAction => ({ item: { Put: { TableName: TableName(), Item: subscriptionItem(webhookId, eventType) } } });
const deleteSubscription = (webhookId: string, eventType: string): TransactAction => ({ item: { Delete: { TableName: TableName(), Key: subscriptionKey(webhookId, eventType) } } });

export const dynamoWebhookStore: WebhookStore = {
  async get(id) {
    const item = await get(webhookKey(id));
    return item ? storedWebhookFrom(item) : undefined;
  },
  async create(webhook) {
    await transact([
      {
        item: { Put: { TableName: TableName(), Item: webhookItem(webhook), ConditionExpression: 'attribute_not_exists(PK)' } },
        onConditionFailed: () => new Conflict(`The webhook ${webhook.id} already exists.`),
      },
      ...subscriptionsOf(webhook).map((eventType) => putSubscription(webhook.id, eventType)),
    ]);
  },
  async replace(previous: StoredWebhook, next: StoredWebhook) {
    const before = new Set(subscriptionsOf(previous));
    const after = new Set(subscriptionsOf(next));
    await transact([
      {
        item: { Put: { TableName: TableName(), Item: webhookItem(next), ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': previous.version } } },
        onConditionFailed: () => new StaleVersion(),
      },
      ...[...before].filter((eventType) => !after.has(eventType)).map((eventType) => deleteSubscription(next.id, eventType)),
      ...[...after].filter((eventType) => !before.has(eventType)).map((eventType) => putSubscription(next.id, eventType)),
    ]);
  },
  async remove(webhook) {
    // Its deliveries stay until their TTL, unreachable once the webhook is gone.
    await transact([
      { item: { Delete: { TableName: TableName(), Key: webhookKey(webhook.id) } } },
      ...subscriptionsOf(webhook).map((eventType) => deleteSubscription(webhook.id, eventType)),
    ]);
  },
  async list(page) {
    const { items, nextCursor } = await partitionPage({ index: 'GSI1', partition: ALL_WEBHOOKS, newestFirst: true }, page);
    return { items: items.map(webhookFrom), nextCursor };
  },
  async subscribedTo(eventType) {
    const items = await queryAll({ IndexName: 'GSI2', KeyConditionExpression: 'GSI2PK = :pk', ExpressionAttributeValues: { ':pk': subscribersOf(eventType) } });
    return items.map((item) => String(item.webhookId));
  },
};

/**
 * The UpdateItem that records one step of a delivery: creates the record on its first step, appends the attempt.
 * Every attribute name goes through a placeholder, so none can collide with DynamoDB's reserved words.
 */
function recordUpdate(step: DeliveryProgress) {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const set: string[] = [];
  const remove: string[] = [];
  const name = (field: string) => ((names[`#${field}`] = field), `#${field}`);
  const value = (field: string, given: unknown) => ((values[`:${field}`] = given), `:${field}`);
  const assign = (field: string, given: unknown) => set.push(`${name(field)} = ${value(field, given)}`);
  const assignOnce = (field: string, given: unknown) => set.push(`${name(field)} = if_not_exists(${name(field)}, ${value(field, given)})`);

  assign('id', step.deliveryId);
  assign('webhookId', step.webhookId);
  assignOnce('eventId', step.eventId);
  assignOnce('eventType', step.eventType);
  assignOnce('createdAt', step.at);
  assignOnce('redeliveries', 0);
  assign('updatedAt', step.at);
  assign('status', step.status);
  assign('GSI1PK', deliveriesWithStatus(step.webhookId, step.status));
  assign('GSI1SK', step.deliveryId);
  assign('entity', 'delivery');
  assign('expiresAt', Math.floor(Date.parse(step.at) / 1000) + DELIVERY_TTL_SECONDS);
  if (step.attempt) {
    set.push(`${name('attempts')} = list_append(if_not_exists(${name('attempts')}, ${value('none', [])}), ${value('attempt', [step.attempt])})`);
    assign('attemptCount', step.attempt.attempt);
  }
  for (const [field, given] of [['nextRetryAt', step.nextRetryAt], ['reason', step.reason]] as const) {
    if (given === undefined) remove.push(name(field));
    else assign(field, given);
  }
  if (step.payload) {
    assign('payload', step.payload.body);
    if (step.payload.candidateId) {
      assign('GSI2PK', keptPayloadsAbout(step.payload.candidateId));
      assign('GSI2SK', step.deliveryId);
    }
  } else remove.push(name('payload'), name('GSI2PK'), name('GSI2SK'));
  return {
    TableName: TableName(),
    Key: deliveryKey(step.webhookId, step.deliveryId),
    UpdateExpression: `SET ${set.join(', ')}${remove.length ? ` REMOVE ${remove.join(', ')}` : ''}`,
    // A retried task records its attempt once; a retry that ends the delivery still records how it ended.
    ...(step.attempt ? { ConditionExpression: `attribute_not_exists(#attemptCount) OR #attemptCount < :attemptCount OR (#attemptCount = :attemptCount AND #status = ${value('retrying', 'retrying')})` } : {}),
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
}

export const dynamoDeliveryStore: DeliveryStore = {
  async get(webhookId, deliveryId) {
    const item = await get(deliveryKey(webhookId, deliveryId));
    return item ? storedDeliveryFrom(item) : undefined;
  },
  async list(webhookId, status, page) {
    const { items, nextCursor } = await partitionPage(
      status
        ? { index: 'GSI1', partition: deliveriesWithStatus(webhookId, status), newestFirst: true }
        : { partition: webhookPartition(webhookId), beginsWith: DELIVERY_PREFIX, newestFirst: true },
      page,
    );
    return { items: items.map(deliveryFrom), nextCursor };
  },
  async record(step) {
    await conditionally(() => documents.send(new UpdateCommand(recordUpdate(step))));
  },
  async claimRedelivery(delivery, at) {
    return conditionally(() =>
      documents.send(
        new UpdateCommand({
          TableName: TableName(),
          Key: deliveryKey(delivery.webhookId, delivery.id),
          UpdateExpression: 'SET #status = :retrying, GSI1PK = :byStatus, redeliveries = :next, updatedAt = :at REMOVE nextRetryAt, #reason',
          ConditionExpression: '#status = :was AND redeliveries = :count',
          ExpressionAttributeNames: { '#status': 'status', '#reason': 'reason' },
          ExpressionAttributeValues: {
            ':retrying': 'retrying', ':byStatus': deliveriesWithStatus(delivery.webhookId, 'retrying'), ':next': delivery.redeliveries + 1, ':at': at,
            ':was': delivery.status, ':count': delivery.redeliveries,
          },
        }),
      ),
    );
  },
  async releaseRedelivery(delivery) {
    await documents.send(
      new UpdateCommand({
        TableName: TableName(),
        Key: deliveryKey(delivery.webhookId, delivery.id),
        UpdateExpression: `SET #status = :was, GSI1PK = :byStatus, redeliveries = :count, updatedAt = :at${delivery.reason ? ', #reason = :reason' : ''}`,
        ExpressionAttributeNames: { '#status': 'status', ...(delivery.reason ? { '#reason': 'reason' } : {}) },
        ExpressionAttributeValues: {
          ':was': delivery.status, ':byStatus': deliveriesWithStatus(delivery.webhookId, delivery.status), ':count': delivery.redeliveries,
          ':at': delivery.updatedAt, ...(delivery.reason ? { ':reason': delivery.reason } : {}),
        },
      }),
    );
  },
  async forgetPayloadsAbout(candidateId) {
    const kept = await queryAll({ IndexName: 'GSI2', KeyConditionExpression: 'GSI2PK = :pk', ExpressionAttributeValues: { ':pk': keptPayloadsAbout(candidateId) } });
    for (const item of kept) {
      // Gone already (TTL, a webhook removed): nothing to forget.
      await conditionally(() =>
        documents.send(
          new UpdateCommand({
            TableName: TableName(), Key: { PK: item.PK, SK: item.SK }, UpdateExpression: 'REMOVE #payload, GSI2PK, GSI2SK',
            ConditionExpression: 'attribute_exists(PK)', ExpressionAttributeNames: { '#payload': 'payload' },
          }),
        ),
      );
    }
  },
};
