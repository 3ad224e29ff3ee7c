import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { config } from '../../../shared/config.ts';
import { logger } from '../../../shared/observability.ts';

const eventBridge = new EventBridgeClient({});

/** PutEvents takes at most 10 entries a call. */
const PUT_EVENTS_LIMIT = 10;

function entryOf(record: DynamoDBRecord): PutEventsRequestEntry {
  const item = unmarshall(record.dynamodb?.NewImage as Record<string, AttributeValue>);
  return { EventBusName: config.eventBusName, Source: item.source, DetailType: item.detailType, Detail: JSON.stringify(item.detail) };
}

/**
 * Relays outbox entries (the event source mapping filters the stream to them) onto the bus. On a failure the
 * batch is retried from the first record not published; consumers dedupe on the event id.
 */
export const handler = async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
  const records = event.Records;
  for (let start = 0; start < records.length; start += PUT_EVENTS_LIMIT) {
    const batch = records.slice(start, start + PUT_EVENTS_LIMIT);
    try {
      const result = await eventBridge.send(new PutEventsCommand({ Entries: batch.map(entryOf) }));
      const failed = result.Entries?.findIndex((entry) => entry.ErrorCode) ?? -1;
      if ((result.FailedEntryCount ?? 0) > 0 && failed >= 0) {
        logger.warn('Some events were not published; retrying from the first', { error: result.Entries?.[failed]?.ErrorCode });
        return { batchItemFailures: [{ itemIdentifier: batch[failed]!.dynamodb!.SequenceNumber! }] };
      }
    } catch (error) {
      logger.error('Publishing events failed; retrying the batch', error as Error);
      return { batchItemFailures: [{ itemIdentifier: batch[0]!.dynamodb!.SequenceNumber! }] };
    }
  }
  return { batchItemFailures: [] };
};
