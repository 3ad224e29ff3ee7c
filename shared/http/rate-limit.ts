import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { config } from '../config.ts';
import { logger } from '../observability.ts';
import { hashIdentifier } from '../signing.ts';
import { documents } from '../table/client.ts';

/** Counting windows: ten seconds, so a burst is absorbed and a script is stopped within one. */
const WINDOW_SECONDS = 10;

/**
 * Per-client limits for public routes. API Gateway's route throttling counts all callers together, so one script
 * could lock every applicant out; this counts per client address (salted hash, kept a minute) in the table: one conditional
 * update per request. Answers the seconds to wait, or 0 when the request may pass.
 */
export async function takeRequest(route: string, clientAddress: string, limit: { rps: number; burst: number }): Promise<number> {
  const now = Math.floor(Date.now() / 1000);
  const window = now - (now % WINDOW_SECONDS);
  // Salted: an address (personal data) cannot be recovered from the key by trying all of them.
  const client = (await hashIdentifier(clientAddress)).slice(0, 32);
  try {
    await documents.send(
      new UpdateCommand({
        TableName: config.tableName,
        Key: { PK: `RATE#${route}#${client}`, SK: String(window) },
        UpdateExpression: 'ADD #n :one SET expiresAt = :ttl',
        ConditionExpression: 'attribute_not_exists(#n) OR #n < :max',
        ExpressionAttributeNames: { '#n': 'count' },
        ExpressionAttributeValues: { ':one': 1, ':ttl': window + 60, ':max': limit.burst + limit.rps * WINDOW_SECONDS },
      }),
    );
    return 0;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return Math.max(1, window + WINDOW_SECONDS - now);
    // A throttled or failing table must not lock the public out: API Gateway's route ceiling still holds.
    logger.warn('Rate limit not counted', { route, error: (error as Error).message });
    return 0;
  }
}
