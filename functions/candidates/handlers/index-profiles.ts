import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { logger } from '../../../shared/observability.ts';
import { reindexCandidate } from '../adapters/candidate-index.ts';
import { candidateFrom } from '../adapters/entities.ts';

const profileOf = (image: Record<string, unknown> | undefined) => (image ? candidateFrom(unmarshall(image as Record<string, AttributeValue>)) : undefined);

/** Keeps index entries in step with profiles (the event source mapping passes profile records only). */
export const handler = async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
  for (const record of event.Records) {
    try {
      await reindexCandidate(profileOf(record.dynamodb?.OldImage), profileOf(record.dynamodb?.NewImage));
    } catch (error) {
      logger.error('Indexing a candidate failed; retrying from this record', error as Error);
      return { batchItemFailures: [{ itemIdentifier: record.dynamodb!.SequenceNumber! }] };
    }
  }
  return { batchItemFailures: [] };
};
