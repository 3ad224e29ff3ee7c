import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { config } from '../../../shared/config.ts';
import { batchGet } from '../../../shared/table/batch.ts';
import { documents } from '../../../shared/table/client.ts';
import { conditionally, partitionPage, queryPages } from '../../../shared/table/query.ts';
import { outboxPuts } from '../../../shared/table/outbox.ts';
import { transact } from '../../../shared/table/transact.ts';
import { Conflict } from '../../../shared/errors.ts';
import type { TaskStore } from '../domain/ports.ts';
import { OPEN_TASKS, assigneePartition, digestKey, taskRefKey, taskByAssigneeItem, taskFrom, taskItem, taskKey, type Item } from './entities.ts';

/** Digest markers outlive the day they mark by a week. */
const DIGEST_TTL_SECONDS = 8 * 24 * 60 * 60;

export const dynamoTaskStore: TaskStore = {
  async get(id) {
    const { Item } = await documents.send(new GetCommand({ TableName: config.tableName, Key: taskKey(id) }));
    return Item ? taskFrom(Item) : undefined;
  },

  async save(next, previous, events) {
    await transact([
      {
        item: {
          Put: {
            TableName: config.tableName,
            Item: taskItem(next),
            ...(previous
              ? { ConditionExpression: '#status = :status AND dueAt = :dueAt AND assignee = :assignee', ExpressionAttributeNames: { '#status': 'status' }, ExpressionAttributeValues: { ':status': previous.status, ':dueAt': previous.dueAt, ':assignee': previous.assignee } }
              : { ConditionExpression: 'attribute_not_exists(PK)' }),
          },
        },
        onConditionFailed: () => new Conflict('The task changed while this update was applied. Read it again and retry.'),
      },
      { item: { Put: { TableName: config.tableName, Item: taskByAssigneeItem(next) } } },
      { item: { Put: { TableName: config.tableName, Item: { ...taskRefKey(next.candidateId, next.id), entity: 'task-ref', taskId: next.id } } } },
      ...outboxPuts(events).map((item) => ({ item })),
    ]);
  },

  async list({ assignee, status, dueBefore }, page) {
    const { items, nextCursor } = await partitionPage({ index: 'GSI1', partition: assigneePartition(assignee, status), before: dueBefore }, page);
    const tasks = await batchGet<Item>(items.map((entry) => taskKey(entry.taskId as string)));
    return { items: tasks.map(taskFrom), nextCursor };
  },

  async *dueBefore(before) {
    const pages = queryPages({
      IndexName: 'GSI1',
      KeyConditionExpression: 'GSI1PK = :pk AND GSI1SK < :before',
      ExpressionAttributeValues: { ':pk': OPEN_TASKS, ':before': before },
    });
    for await (const page of pages) yield page.map(taskFrom);
  },

  claimDigest: (day, assignee) =>
    conditionally(() =>
      documents.send(
        new PutCommand({
          TableName: config.tableName,
          Item: { ...digestKey(day, assignee), entity: 'digest', expiresAt: Math.floor(Date.parse(day) / 1000) + DIGEST_TTL_SECONDS },
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      ),
    ),

  async releaseDigest(day, assignee) {
    await documents.send(new DeleteCommand({ TableName: config.tableName, Key: digestKey(day, assignee) }));
  },
};
