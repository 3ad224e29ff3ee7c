import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { config } from '../../../shared/config.ts';
import { decodeCursor, encodeCursor } from '../../../shared/http/pagination.ts';
import { documents } from '../../../shared/table/client.ts';
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
    const result = await documents.send(
      new QueryCommand({
        TableName: config.tableName,
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :pk',
        ExpressionAttributeValues: { ':pk': ALL_POOLS },
        ScanIndexForward: false,
        Limit: page.limit,
        ExclusiveStartKey: decodeCursor(page.cursor, { GSI1PK: ALL_POOLS }),
      }),
    );
    return { items: (result.Items ?? []).map(poolFrom), nextCursor: encodeCursor(result.LastEvaluatedKey as never) };
  },
};
