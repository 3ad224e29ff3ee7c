import { config } from '../../../shared/config.ts';
import { NotFound } from '../../../shared/errors.ts';
import { outboxPuts } from '../../../shared/table/outbox.ts';
import { partitionPage } from '../../../shared/table/query.ts';
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
    const { items, nextCursor } = await partitionPage({ partition: candidateKey(candidateId).PK, beginsWith: TIMELINE_PREFIX, newestFirst: true }, page);
    return { items: items.map(timelineFrom), nextCursor };
  },
};
