import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { config } from '../../../shared/config.ts';
import { logger } from '../../../shared/observability.ts';

const eventBridge = new EventBridgeClient({});

/** PutEvents takes at most 10 entries a call. */
const PUT_EVENTS_LIMIT = 10;

interface Stored {
  source: string;
  detailType: string;
  detail: unknown;
}

/** Each outbox item holds the events of one write; each becomes a bus entry that remembers its record. */
function entriesOf(record: DynamoDBRecord): { sequence: string; entry: PutEventsRequestEntry }[] {
  const item = unmarshall(record.dynamodb?.NewImage as Record<string, AttributeValue>) as { PK?: string; events?: Stored[] };
  // Another item that happens to use the outbox's sort key would fail every retry and stall the stream: skip it.
  if (!Array.isArray(item.events)) {
    logger.error('An item under the outbox sort key holds no events; skipped', { pk: item.PK });
    return [];
  }
  return item.events.map((event) => ({
    sequence: record.dynamodb!.SequenceNumber!,
    entry: { EventBusName: config.eventBusName, Source: event.source, DetailType: event.detailType, Detail: JSON.stringify(event.detail) },
  }));
}

/**
 * Relays outbox entries (the event source mapping filters the stream to them) onto the bus. On a failure the
 * batch is retried from the first record not published; consumers dedupe on the event id.
 */
export const handler = async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
  const entries = event.Records.flatMap(entriesOf);
  for (let start = 0; start < entries.length; start += PUT_EVENTS_LIMIT) {
    const batch = entries.slice(start, start + PUT_EVENTS_LIMIT);
    try {
      const result = await eventBridge.send(new PutEventsCommand({ Entries: batch.map((b) => b.entry) }));
      const failed = result.Entries?.findIndex((entry) => entry.ErrorCode) ?? -1;
      if ((result.FailedEntryCount ?? 0) > 0 && failed >= 0) {
        logger.warn('Some events were not published; retrying from their record', { error: result.Entries?.[failed]?.ErrorCode });
        return { batchItemFailures: [{ itemIdentifier: batch[failed]!.sequence }] };
      }
    } catch (error) {
      logger.error('Publishing events failed; retrying from the batch\'s first record', error as Error);
      return { batchItemFailures: [{ itemIdentifier: batch[0]!.sequence }] };
    }
  }
  return { batchItemFailures: [] };
};
