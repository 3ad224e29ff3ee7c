import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { logger } from '../../../shared/observability.ts';
import { reindexCandidate } from '../adapters/candidate-index.ts';
import { restoreEngagementCopy } from '../adapters/dynamo-engagement.ts';
import { candidateFrom } from '../adapters/entities.ts';
import { duplicates } from '../adapters/services-duplicates.ts';
import { segments } from '../adapters/services-segments.ts';
import { engagementCopyOverwritten, onlyEngagementChanged, readsEngagement } from '../domain/engagement-copy.ts';
import type { Rule } from '../domain/segment-rule.ts';

const profileOf = (image: Record<string, unknown> | undefined) => (image ? candidateFrom(unmarshall(image as Record<string, AttributeValue>)) : undefined);

/**
 * Profile projections (the event source mapping passes profile records only): the filter index entries,
 * membership of dynamic segments, and suspected duplicate pairs. One consumer for all three keeps
 * the stream at two readers per shard.
 */
export const handler = async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
  const dynamic = await segments.dynamicSegments();
  for (const record of event.Records) {
    try {
      const before = profileOf(record.dynamodb?.OldImage);
      const after = profileOf(record.dynamodb?.NewImage);
      // The engagement consumer's copy (docs/matching.md): only segments reading the score can change.
      if (onlyEngagementChanged(before, after)) {
        await segments.evaluate(after, after!.id, dynamic.filter((segment) => readsEngagement(segment.rule as Rule)));
        continue;
      }
      if (engagementCopyOverwritten(before, after)) await restoreEngagementCopy(after!.id, after!.engagement);
      await reindexCandidate(before, after);
      await segments.evaluate(after, (after ?? before)!.id, dynamic);
      await duplicates.refresh(before, after);
    } catch (error) {
      logger.error('Indexing a candidate failed; retrying from this record', error as Error);
      return { batchItemFailures: [{ itemIdentifier: record.dynamodb!.SequenceNumber! }] };
    }
  }
  return { batchItemFailures: [] };
};
