import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { config } from '../../../shared/config.ts';
import { NotFound } from '../../../shared/errors.ts';
import { decodeCursor, encodeCursor } from '../../../shared/http/pagination.ts';
import { documents } from '../../../shared/table/client.ts';
import { outboxPuts } from '../../../shared/table/outbox.ts';
import { transact } from '../../../shared/table/transact.ts';
import type { TimelineStore } from '../domain/ports.ts';
import { TIMELINE_PREFIX, candidateKey, timelineFrom, timelineItem } from './entities.ts';

/** Marks a write that found its entry already there: a redelivered event, nothing to do. */
class AlreadyRecorded extends Error {}

export const dynamoTimelineStore: TimelineStore = {
  async add(entry, events) {
    try {
      await transact([
        {
          item: { ConditionCheck: { TableName: config.tableName, Key: candidateKey(entry.candidateId), ConditionExpression: 'attribute_exists(PK)' } },
          onConditionFailed: () => new NotFound(`There is no candidate ${entry.candidateId}.`),
        },
        {
          item: { Put: { TableName: config.tableName, Item: timelineItem(entry), ConditionExpression: 'attribute_not_exists(PK)' } },
          onConditionFailed: () => new AlreadyRecorded(),
        },
        ...outboxPuts(events).map((item) => ({ item })),
      ]);
    } catch (error) {
      if (!(error instanceof AlreadyRecorded)) throw error;
    }
  },

  async list(candidateId, page) {
    const { PK } = candidateKey(candidateId);
    const result = await documents.send(
      new QueryCommand({
        TableName: config.tableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: { ':pk': PK, ':prefix': TIMELINE_PREFIX },
        ScanIndexForward: false,
        Limit: page.limit,
        ExclusiveStartKey: decodeCursor(page.cursor, { PK }),
      }),
    );
    return { items: (result.Items ?? []).map(timelineFrom), nextCursor: encodeCursor(result.LastEvaluatedKey as never) };
  },
};
