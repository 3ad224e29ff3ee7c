import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { config } from '../../../shared/config.ts';
import { documents } from '../../../shared/table/client.ts';
import { partitionPage } from '../../../shared/table/query.ts';
import { outboxPuts } from '../../../shared/table/outbox.ts';
import { transact } from '../../../shared/table/transact.ts';
import type { PoolStore } from '../domain/ports.ts';
import { ALL_POOLS, poolFrom, poolItem, poolKey } from './entities.ts';

export const dynamoPoolStore: PoolStore = {
  async create(pool, events) {
    await transact([
      { item: { Put: { TableName: config.tableName, Item: poolItem(pool), ConditionExpression: 'attribute_not_exists(PK)' } } },
      ...outboxPuts(events).map((item) => ({ item })),
    ]);
  },

  async get(id) {
    const { Item } = await documents.send(new GetCommand({ TableName: config.tableName, Key: poolKey(id) }));
    return Item ? poolFrom(Item) : undefined;
  },

  async list(page) {
    const { items, nextCursor } = await partitionPage({ index: 'GSI1', partition: ALL_POOLS, newestFirst: true }, page);
    return { items: items.map(poolFrom), nextCursor };
  },
};
