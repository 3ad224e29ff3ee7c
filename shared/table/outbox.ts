import type { DomainEvent } from '../../events/contract.ts';
import { config } from '../config.ts';

/** Outbox entries live a day: long enough for the stream relay and its retries, then TTL removes them. */
const OUTBOX_TTL_SECONDS = 24 * 60 * 60;

export const OUTBOX_SK = 'EVENT';

/**
 * Domain events are written in the same transaction as the change they describe (transactional outbox): one item
 * holding all of the write's events, so a bulk write costs one outbox item, not one per event. The table stream
 * carries it to the event bus, so a change is never saved without its events, or the reverse.
 */
export function outboxPuts(events: DomainEvent[]) {
  if (!events.length) return [];
  return [
    {
      Put: {
        TableName: config.tableName,
        Item: {
          PK: `EVENT#${events[0]!.detail.eventId}`,
          SK: OUTBOX_SK,
          events: events.map(({ source, detailType, detail }) => ({ source, detailType, detail })),
          expiresAt: Math.floor(Date.parse(events[0]!.detail.occurredAt) / 1000) + OUTBOX_TTL_SECONDS,
        },
        ConditionExpression: 'attribute_not_exists(PK)',
      },
    },
  ];
}
