import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { config } from '../../../shared/config.ts';
import { documents } from '../../../shared/table/client.ts';
import { conditionally, partitionPage } from '../../../shared/table/query.ts';
import type { PreferenceStore, SuppressionStore } from '../domain/ports.ts';
import type { Preferences } from '../schemas.ts';
import { ALL_SUPPRESSIONS, preferencesKey, suppressionFrom, suppressionItem, suppressionKey } from './entities.ts';

export const dynamoSuppressionStore: SuppressionStore = {
  async get(email) {
    const { Item } = await documents.send(new GetCommand({ TableName: config.tableName, Key: suppressionKey(email) }));
    return Item ? suppressionFrom(Item) : undefined;
  },
  // The first reason stays: a later unsubscribe does not hide that the address bounced.
  add: (suppression) =>
    conditionally(() => documents.send(new PutCommand({ TableName: config.tableName, Item: suppressionItem(suppression), ConditionExpression: 'attribute_not_exists(PK)' }))),
  remove: (email) =>
    conditionally(() => documents.send(new DeleteCommand({ TableName: config.tableName, Key: suppressionKey(email), ConditionExpression: 'attribute_exists(PK)' }))),
  async list(page) {
    const { items, nextCursor } = await partitionPage({ index: 'GSI1', partition: ALL_SUPPRESSIONS, newestFirst: true }, page);
    return { items: items.map(suppressionFrom), nextCursor };
  },
};

export const dynamoPreferenceStore: PreferenceStore = {
  async get(candidateId) {
    const { Item } = await documents.send(new GetCommand({ TableName: config.tableName, Key: preferencesKey(candidateId) }));
    return Item ? { topics: (Item.topics ?? {}) as Preferences['topics'], frequency: (Item.frequency ?? 'any') as Preferences['frequency'] } : undefined;
  },
  // An update, not a put: the last-emailed time behind a frequency limit survives a change of preferences.
  async save(candidateId, preferences, at) {
    await documents.send(
      new UpdateCommand({
        TableName: config.tableName,
        Key: preferencesKey(candidateId),
        UpdateExpression: 'SET entity = :entity, candidateId = :id, topics = :topics, frequency = :frequency, updatedAt = :at',
        ExpressionAttributeValues: { ':entity': 'preferences', ':id': candidateId, ':topics': preferences.topics, ':frequency': preferences.frequency, ':at': at },
      }),
    );
  },
  async touch(candidateIds, at) {
    await Promise.all(
      candidateIds.map((candidateId) =>
        conditionally(() =>
          documents.send(
            new UpdateCommand({
              TableName: config.tableName, Key: preferencesKey(candidateId), UpdateExpression: 'SET lastEmailedAt = :at',
              ConditionExpression: 'attribute_exists(PK)', ExpressionAttributeValues: { ':at': at },
            }),
          ),
        ),
      ),
    );
  },
};
