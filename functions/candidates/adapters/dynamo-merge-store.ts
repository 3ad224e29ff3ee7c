import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { config } from '../../../shared/config.ts';
import { batchWrite } from '../../../shared/table/batch.ts';
import { documents } from '../../../shared/table/client.ts';
import { conditionally, queryAll } from '../../../shared/table/query.ts';
import { outboxPuts } from '../../../shared/table/outbox.ts';
import { transact, type TransactAction } from '../../../shared/table/transact.ts';
import { StaleVersion, type MergeRecord, type MergeStore } from '../domain/ports.ts';
import {
  TASKREF_PREFIX, TIMELINE_PREFIX, applicationKey, candidateCountKey, candidateItem, candidateKey, emailGuardKey, indexEntryItem, indexEntryKey, mergeKey,
  poolEntry, poolKey, taskKey, taskRefKey, tombstoneKey,
} from './entities.ts';

const UNDO_TTL_SECONDS = 30 * 24 * 60 * 60;
const TableName = () => config.tableName;

const countBy = (delta: number): TransactAction => ({
  item: { Update: { TableName: TableName(), Key: candidateCountKey(), UpdateExpression: 'ADD #count :d', ExpressionAttributeNames: { '#count': 'count' }, ExpressionAttributeValues: { ':d': delta } } },
});
const poolCount = (poolId: string, delta: number): TransactAction => ({
  item: { Update: { TableName: TableName(), Key: poolKey(poolId), UpdateExpression: 'ADD memberCount :d', ExpressionAttributeValues: { ':d': delta } } },
});
const putEntry = (candidateId: string, poolId: string): TransactAction => ({ item: { Put: { TableName: TableName(), Item: indexEntryItem(candidateId, poolEntry(candidateId, poolId)) } } });
const deleteEntry = (candidateId: string, poolId: string): TransactAction => ({ item: { Delete: { TableName: TableName(), Key: indexEntryKey(candidateId, poolEntry(candidateId, poolId)) } } });

/**
 * Moves what points at one candidate to another: timeline entries (copied to the other partition, marked with the
 * merge, then deleted), applications and tasks (re-pointed). Idempotent, so an interrupted move can run again.
 */
async function moveReferences(record: MergeRecord, direction: 'merge' | 'undo') {
  const [from, to] = direction === 'merge' ? [record.mergedId, record.survivorId] : [record.survivorId, record.mergedId];
  const entries = await queryAll({
    KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
    ExpressionAttributeValues: { ':pk': candidateKey(from).PK, ':prefix': TIMELINE_PREFIX, ...(direction === 'undo' ? { ':merge': record.id } : {}) },
    ...(direction === 'undo' ? { FilterExpression: 'mergeId = :merge' } : {}),
  });
  const moved = entries.map(({ mergeId, mergedFrom, ...entry }) => ({
    ...entry,
    PK: candidateKey(to).PK,
    candidateId: to,
    ...(direction === 'merge' ? { mergeId: record.id, mergedFrom: from } : {}),
  }));
  await batchWrite(moved.map((Item) => ({ PutRequest: { Item } })));
  await batchWrite(entries.map((entry) => ({ DeleteRequest: { Key: { PK: entry.PK, SK: entry.SK } } })));

  for (const id of record.moved.applications) {
    await conditionally(() =>
      documents.send(
        new UpdateCommand({
          TableName: TableName(),
          Key: applicationKey(id),
          UpdateExpression: 'SET candidateId = :to, GSI1PK = :list',
          ConditionExpression: 'candidateId = :from',
          ExpressionAttributeValues: { ':to': to, ':from': from, ':list': `CANDAPPS#${to}` },
        }),
      ),
    );
  }
  for (const id of record.moved.tasks) {
    await conditionally(() =>
      documents.send(new UpdateCommand({ TableName: TableName(), Key: taskKey(id), UpdateExpression: 'SET candidateId = :to', ConditionExpression: 'candidateId = :from', ExpressionAttributeValues: { ':to': to, ':from': from } })),
    );
    await batchWrite([
      { PutRequest: { Item: { ...taskRefKey(to, id), entity: 'task-ref', taskId: id } } },
      { DeleteRequest: { Key: taskRefKey(from, id) } },
    ]);
  }
}

export const dynamoMergeStore: MergeStore = {
  async get(id) {
    const { Item } = await documents.send(new GetCommand({ TableName: TableName(), Key: mergeKey(id), ConsistentRead: true }));
    if (!Item) return undefined;
    const { PK, SK, entity, expiresAt, ...record } = Item;
    return record as MergeRecord;
  },

  async references(candidateId) {
    const [applications, tasks] = await Promise.all([
      queryAll({ IndexName: 'GSI1', KeyConditionExpression: 'GSI1PK = :pk', ExpressionAttributeValues: { ':pk': `CANDAPPS#${candidateId}` } }),
      queryAll({ KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)', ExpressionAttributeValues: { ':pk': candidateKey(candidateId).PK, ':prefix': TASKREF_PREFIX } }),
    ]);
    return { applications: applications.map((a) => a.id as string), tasks: tasks.map((t) => t.taskId as string) };
  },

  async merge(record, events) {
    const { survivor, merged } = record.before;
    const stale = () => new StaleVersion(record.survivorId);
    await transact([
      { item: { Put: { TableName: TableName(), Item: candidateItem(record.after), ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': survivor.version } } }, onConditionFailed: stale },
      { item: { Delete: { TableName: TableName(), Key: candidateKey(merged.id), ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': merged.version } } }, onConditionFailed: stale },
      { item: { Put: { TableName: TableName(), Item: { ...tombstoneKey(merged.id), entity: 'tombstone', mergedInto: survivor.id, mergeId: record.id } } } },
      // The merged-away email now reaches the survivor, so an import or a sign-up with it finds them.
      { item: { Put: { TableName: TableName(), Item: { ...emailGuardKey(merged.email), candidateId: survivor.id } } } },
      ...merged.pools.flatMap((poolId) => [deleteEntry(merged.id, poolId), survivor.pools.includes(poolId) ? poolCount(poolId, -1) : putEntry(survivor.id, poolId)]),
      countBy(-1),
      { item: { Put: { TableName: TableName(), Item: { ...mergeKey(record.id), entity: 'merge', ...record, expiresAt: Math.floor(Date.parse(record.createdAt) / 1000) + UNDO_TTL_SECONDS } } } },
      ...outboxPuts(events).map((item) => ({ item })),
    ]);
    await moveReferences(record, 'merge');
  },

  finishMoves: (record) => moveReferences(record, 'merge'),

  async undo(record, current, at, events) {
    const { survivor, merged } = record.before;
    const stale = () => new StaleVersion(record.survivorId);
    await transact([
      // Both records as they were; the survivor's version moves on, so copies read before the undo are stale.
      {
        item: { Put: { TableName: TableName(), Item: candidateItem({ ...survivor, version: current.version + 1 }), ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': current.version } } },
        onConditionFailed: stale,
      },
      { item: { Put: { TableName: TableName(), Item: candidateItem(merged), ConditionExpression: 'attribute_not_exists(PK)' } }, onConditionFailed: stale },
      { item: { Delete: { TableName: TableName(), Key: tombstoneKey(merged.id) } } },
      { item: { Put: { TableName: TableName(), Item: { ...emailGuardKey(merged.email), candidateId: merged.id } } } },
      ...merged.pools.flatMap((poolId) => [putEntry(merged.id, poolId), survivor.pools.includes(poolId) ? poolCount(poolId, 1) : deleteEntry(survivor.id, poolId)]),
      countBy(1),
      {
        item: {
          Update: {
            TableName: TableName(),
            Key: mergeKey(record.id),
            UpdateExpression: 'SET #status = :undone, undoneAt = :at',
            ConditionExpression: '#status = :merged',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':undone': 'undone', ':merged': 'merged', ':at': at },
          },
        },
        onConditionFailed: stale,
      },
      ...outboxPuts(events).map((item) => ({ item })),
    ]);
    await moveReferences(record, 'undo');
  },
};
