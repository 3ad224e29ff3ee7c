import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { config } from '../../../shared/config.ts';
import { documents } from '../../../shared/table/client.ts';
import { transact } from '../../../shared/table/transact.ts';
import type { Engagement } from '../domain/engagement.ts';
import type { EngagementStore } from '../domain/engagement-service.ts';
import { candidateKey } from './entities.ts';

// Engagement: CAND#<id> / ENGAGEMENT holds the score at updatedAt and a version (only this consumer writes it); a
// copy sits on the profile (`engagement`) for reads and segment rules, written in the same transaction, so copies
// follow the version's order. In the candidate's partition, so erasure takes both, and the counted-event markers.
export const engagementKey = (candidateId: string) => ({ PK: `CAND#${candidateId}`, SK: 'ENGAGEMENT' });
// An event counted: CAND#<id> / ENGAGED#<eventId>, kept while EventBridge may still redeliver it (24 h) and then some.
export const countedKey = (candidateId: string, eventId: string) => ({ PK: `CAND#${candidateId}`, SK: `ENGAGED#${eventId}` });
const COUNTED_DAYS = 7;

class Outcome extends Error {
  constructor(readonly outcome: 'duplicate' | 'stale' | 'gone') {
    super(outcome);
  }
}

async function stored(candidateId: string): Promise<{ engagement?: Engagement; version: number }> {
  const { Item } = await documents.send(new GetCommand({ TableName: config.tableName, Key: engagementKey(candidateId), ConsistentRead: true }));
  return Item ? { engagement: { score: Item.score as number, updatedAt: Item.updatedAt as string }, version: Item.version as number } : { version: 0 };
}

export const dynamoEngagementStore: EngagementStore = {
  read: stored,

  async save(signal, next: Engagement, expected) {
    try {
      await transact([
        {
          item: {
            Put: {
              TableName: config.tableName,
              Item: { ...countedKey(signal.candidateId, signal.eventId), entity: 'engagement-counted', kind: signal.kind, expiresAt: Math.floor(Date.now() / 1000) + COUNTED_DAYS * 86_400 },
              ConditionExpression: 'attribute_not_exists(PK)',
            },
          },
          onConditionFailed: () => new Outcome('duplicate'),
        },
        {
          item: {
            Put: {
              TableName: config.tableName,
              Item: { ...engagementKey(signal.candidateId), entity: 'engagement', ...next, version: expected + 1 },
              ...(expected ? { ConditionExpression: 'version = :expected', ExpressionAttributeValues: { ':expected': expected } } : { ConditionExpression: 'attribute_not_exists(PK)' }),
            },
          },
          onConditionFailed: () => new Outcome('stale'),
        },
        {
          item: {
            Update: {
              TableName: config.tableName,
              Key: candidateKey(signal.candidateId),
              UpdateExpression: 'SET engagement = :engagement',
              ConditionExpression: 'attribute_exists(PK)',
              ExpressionAttributeValues: { ':engagement': next },
            },
          },
          onConditionFailed: () => new Outcome('gone'),
        },
      ]);
      return 'saved';
    } catch (error) {
      if (error instanceof Outcome) return error.outcome;
      // Still colliding with another event's transaction after transact's own retries: the service tries again later.
      if (error instanceof TransactionCanceledException && error.CancellationReasons?.some((reason) => reason.Code === 'TransactionConflict')) return 'stale';
      throw error;
    }
  },
};

/**
 * Copies the stored engagement onto the profile again after a profile write put back the copy `seen` (an older
 * one, read before the consumer's last write). Only if the copy is still `seen`: a newer write by the consumer, or
 * another profile write (whose own stream record comes here next), leaves it alone.
 */
export async function restoreEngagementCopy(candidateId: string, seen: Engagement | undefined): Promise<void> {
  const { engagement } = await stored(candidateId);
  if (!engagement || JSON.stringify(engagement) === JSON.stringify(seen)) return;
  try {
    await documents.send(
      new UpdateCommand({
        TableName: config.tableName,
        Key: candidateKey(candidateId),
        UpdateExpression: 'SET engagement = :engagement',
        ConditionExpression: seen ? 'attribute_exists(PK) AND engagement = :seen' : 'attribute_exists(PK) AND attribute_not_exists(engagement)',
        ExpressionAttributeValues: { ':engagement': engagement, ...(seen ? { ':seen': seen } : {}) },
      }),
    );
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
}
