import { DeleteCommand, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { config } from '../../../shared/config.ts';
import { documents } from '../../../shared/table/client.ts';
import { conditionally, partitionPage, queryAll } from '../../../shared/table/query.ts';
import type { DuplicatePair, DuplicateStore } from '../domain/ports.ts';
import { pairKey, pairPartition, pairRank, type Item } from './entities.ts';

const pairFrom = (item: Item): DuplicatePair => ({
  id: item.id as string,
  candidateIds: item.candidateIds as [string, string],
  score: item.score as number,
  reasons: item.reasons as string[],
  status: item.status as DuplicatePair['status'],
  updatedAt: item.updatedAt as string,
});

export const dynamoDuplicateStore: DuplicateStore = {
  async sharing(keys, except) {
    const found = new Set<string>();
    for (const key of keys) {
      const entries = await queryAll({ IndexName: 'GSI1', KeyConditionExpression: 'GSI1PK = :pk', ExpressionAttributeValues: { ':pk': `DUPKEY#${key}` } });
      for (const entry of entries) if (entry.candidateId !== except) found.add(entry.candidateId as string);
    }
    return [...found];
  },

  async upsert(pair) {
    // A dismissed pair keeps its status and its place in the dismissed list; an open one moves by its new score.
    await documents.send(
      new UpdateCommand({
        TableName: config.tableName,
        Key: pairKey(pair.id),
        UpdateExpression:
          'SET id = :id, candidateIds = :ids, score = :score, reasons = :reasons, updatedAt = :at, entity = :entity, ' +
          '#status = if_not_exists(#status, :open), GSI1PK = if_not_exists(GSI1PK, :openList), GSI1SK = :rank',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':id': pair.id, ':ids': pair.candidateIds, ':score': pair.score, ':reasons': pair.reasons, ':at': pair.updatedAt,
          ':entity': 'duplicate-pair', ':open': 'open', ':openList': pairPartition('open'), ':rank': pairRank(pair.score, pair.id),
        },
      }),
    );
  },

  async remove(pairId) {
    await conditionally(() =>
      documents.send(
        new DeleteCommand({
          TableName: config.tableName,
          Key: pairKey(pairId),
          ConditionExpression: '#status = :open',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':open': 'open' },
        }),
      ),
    );
  },

  async get(pairId) {
    const { Item } = await documents.send(new GetCommand({ TableName: config.tableName, Key: pairKey(pairId) }));
    return Item ? pairFrom(Item) : undefined;
  },

  async dismiss(pairId, at) {
    await documents.send(
      new UpdateCommand({
        TableName: config.tableName,
        Key: pairKey(pairId),
        UpdateExpression: 'SET #status = :dismissed, GSI1PK = :list, updatedAt = :at',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':dismissed': 'dismissed', ':list': pairPartition('dismissed'), ':at': at },
      }),
    );
  },

  async listOpen(page) {
    const { items, nextCursor } = await partitionPage({ index: 'GSI1', partition: pairPartition('open') }, page);
    return { items: items.map(pairFrom), nextCursor };
  },
};
