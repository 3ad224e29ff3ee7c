import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { config } from '../../../shared/config.ts';
import { documents } from '../../../shared/table/client.ts';
import { transact } from '../../../shared/table/transact.ts';
import type { Engagement } from '../domain/engagement.ts';
import type { EngagementStore } from '../domain/engagement-service.ts';
import { candidateKey } from './entities.ts';

// Engagement: CAND#<id> / ENGAGEMENT holds the score at updatedAt and a version (only this consumer writes it); a
// copy sits on the profile (`engagement`) for reads and segment rules. In the candidate's partition, so erasure
// takes both, and the counted-event markers.
export const engagementKey = (candidateId: string) => ({ PK: `CAND#${candidateId}`, SK: 'ENGAGEMENT' });
// An event counted: CAND#<id> / ENGAGED#<eventId>, kept while EventBridge may still redeliver it (24 h) and then some.
export const countedKey = (candidateId: string, eventId: string) => ({ PK: `CAND#${candidateId}`, SK: `ENGAGED#${eventId}` });
const COUNTED_DAYS = 7;

class Outcome extends Error {
  constructor(readonly outcome: 'duplicate' | 'stale' | 'gone') {
    super(outcome);
  }
}

export const dynamoEngagementStore: EngagementStore = {
  async read(candidateId) {
    const { Item } = await documents.send(new GetCommand({ TableName: config.tableName, Key: engagementKey(candidateId), ConsistentRead: true }));
    return Item ? { engagement: { score: Item.score as number, updatedAt: Item.updatedAt as string }, version: Item.version as number } : { version: 0 };
  },

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
      throw error;
    }
  },
};
