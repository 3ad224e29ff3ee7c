import type { DomainEvent } from '../../events/contract.ts';
import { config } from '../config.ts';

/** Outbox entries live a day: long enough for the stream relay and its retries, then TTL removes them. */
const OUTBOX_TTL_SECONDS = 24 * 60 * 60;

export const OUTBOX_SK = 'EVENT';

/**
 * Domain events are written in the same transaction as the change they describe (transactional outbox);
 * the table stream carries them to the event bus, so a change is never saved without its event, or the reverse.
 */
export function outboxPuts(events: DomainEvent[]) {
  return events.map((event) => ({
    Put: {
      TableName: config.tableName,
      Item: {
        PK: `EVENT#${event.detail.eventId}`,
        SK: OUTBOX_SK,
        source: event.source,
        detailType: event.detailType,
        detail: event.detail,
        expiresAt: Math.floor(Date.parse(event.detail.occurredAt) / 1000) + OUTBOX_TTL_SECONDS,
      },
      ConditionExpression: 'attribute_not_exists(PK)',
    },
  }));
}
