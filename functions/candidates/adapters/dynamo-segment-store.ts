import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { config } from '../../../shared/config.ts';
import { batchGet } from '../../../shared/table/batch.ts';
import { documents } from '../../../shared/table/client.ts';
import { conditionally, partitionPage, queryAll } from '../../../shared/table/query.ts';
import { outboxPuts } from '../../../shared/table/outbox.ts';
import { transact } from '../../../shared/table/transact.ts';
import { StaleVersion, type SegmentStore } from '../domain/ports.ts';
import {
  ALL_SEGMENTS, MEMBER_PREFIX, candidateCountKey, candidateFrom, candidateKey, memberItem, memberKey, segmentFrom, segmentItem, segmentKey, type Item,
} from './entities.ts';

/** Marks a membership write that found nothing to do (already a member, or already gone). */
class Unchanged extends Error {}

const publicSegment = ({ backfillCursor, backfillRun, ...segment }: ReturnType<typeof segmentFrom>) => segment;

async function membership(segmentId: string, delta: 1 | -1, write: 'Put' | 'Delete', candidateId: string, events: Parameters<typeof outboxPuts>[0]) {
  try {
    await transact([
      {
        item:
          write === 'Put'
            ? { Put: { TableName: config.tableName, Item: memberItem(segmentId, candidateId), ConditionExpression: 'attribute_not_exists(PK)' } }
            : { Delete: { TableName: config.tableName, Key: memberKey(segmentId, candidateId), ConditionExpression: 'attribute_exists(PK)' } },
        onConditionFailed: () => new Unchanged(),
      },
      {
        // A segment deleted meanwhile takes no new members.
        item: { Update: { TableName: config.tableName, Key: segmentKey(segmentId), UpdateExpression: 'ADD memberCount :delta', ConditionExpression: 'attribute_exists(PK)', ExpressionAttributeValues: { ':delta': delta } } },
        onConditionFailed: () => new Unchanged(),
      },
      ...outboxPuts(events).map((item) => ({ item })),
    ]);
    return true;
  } catch (error) {
    if (error instanceof Unchanged) return false;
    throw error;
  }
}

export const dynamoSegmentStore: SegmentStore = {
  async create(segment) {
    await documents.send(new PutCommand({ TableName: config.tableName, Item: segmentItem(segment), ConditionExpression: 'attribute_not_exists(PK)' }));
  },

  createIfAbsent: (segment) =>
    conditionally(() => documents.send(new PutCommand({ TableName: config.tableName, Item: segmentItem(segment), ConditionExpression: 'attribute_not_exists(PK)' }))),

  async get(id) {
    const { Item } = await documents.send(new GetCommand({ TableName: config.tableName, Key: segmentKey(id), ConsistentRead: true }));
    return Item ? segmentFrom(Item) : undefined;
  },

  async list(page) {
    const { items, nextCursor } = await partitionPage({ index: 'GSI1', partition: ALL_SEGMENTS, newestFirst: true }, page);
    return { items: items.map((item) => publicSegment(segmentFrom(item))), nextCursor };
  },

  async replace(previous, next) {
    const replaced = await conditionally(() =>
      documents.send(
        new PutCommand({ TableName: config.tableName, Item: segmentItem(next), ConditionExpression: 'version = :expected', ExpressionAttributeValues: { ':expected': previous.version } }),
      ),
    );
    if (!replaced) throw new StaleVersion(previous.id);
  },

  async advanceBackfill(id, expected, changes) {
    const entries = Object.entries(changes).filter(([, value]) => value !== undefined);
    const removed = Object.entries(changes).filter(([, value]) => value === undefined).map(([field]) => field);
    const names = Object.fromEntries([...entries.map(([field], i) => [`#s${i}`, field]), ...removed.map((field, i) => [`#r${i}`, field])]);
    return conditionally(() =>
      documents.send(
        new UpdateCommand({
          TableName: config.tableName,
          Key: segmentKey(id),
          UpdateExpression: [
            entries.length ? `SET ${entries.map((_, i) => `#s${i} = :s${i}`).join(', ')}` : '',
            removed.length ? `REMOVE ${removed.map((_, i) => `#r${i}`).join(', ')}` : '',
          ].join(' '),
          ConditionExpression: expected.cursor
            ? 'backfillRun = :run AND backfillCursor = :cursor'
            : 'backfillRun = :run AND attribute_not_exists(backfillCursor)',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: {
            ':run': expected.run,
            ...(expected.cursor ? { ':cursor': expected.cursor } : {}),
            ...Object.fromEntries(entries.map(([, value], i) => [`:s${i}`, value])),
          },
        }),
      ),
    );
  },

  async dynamicSegments() {
    const items = await queryAll({
      IndexName: 'GSI1',
      KeyConditionExpression: 'GSI1PK = :pk',
      FilterExpression: 'kind = :dynamic',
      ExpressionAttributeValues: { ':pk': ALL_SEGMENTS, ':dynamic': 'dynamic' },
    });
    return items.map(segmentFrom);
  },

  join: (segmentId, candidateId, event) => membership(segmentId, 1, 'Put', candidateId, [event]),
  leave: (segmentId, candidateId, event) => membership(segmentId, -1, 'Delete', candidateId, [event]),

  async segmentsOf(candidateId) {
    const items = await queryAll({
      IndexName: 'GSI1',
      KeyConditionExpression: 'GSI1PK = :pk',
      ExpressionAttributeValues: { ':pk': `CANDSEGS#${candidateId}` },
      ProjectionExpression: 'segmentId',
    });
    return new Set(items.map((item) => item.segmentId as string));
  },

  async membersAmong(segmentId, candidateIds) {
    const found = await batchGet<Item>(candidateIds.map((id) => memberKey(segmentId, id)));
    return new Set(found.map((item) => item.candidateId as string));
  },

  async members(segmentId, page) {
    const { items, nextCursor } = await partitionPage({ partition: segmentKey(segmentId).PK, beginsWith: MEMBER_PREFIX }, page);
    const profiles = await batchGet<Item>(items.map((item) => candidateKey(item.candidateId as string)));
    return { items: profiles.map(candidateFrom), nextCursor };
  },

  async candidateCount() {
    const { Item } = await documents.send(new GetCommand({ TableName: config.tableName, Key: candidateCountKey() }));
    return Number(Item?.count ?? 0);
  },
};
