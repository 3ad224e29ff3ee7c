import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { config } from '../../../shared/config.ts';
import { documents } from '../../../shared/table/client.ts';
import { conditionally, queryPages } from '../../../shared/table/query.ts';
import { suppressionKey } from '../../campaigns/adapters/entities.ts';
import { ASK_AGAIN_AFTER_DAYS, type RenewalAsks } from '../domain/consent-service.ts';

/**
 * The granted consents by month of expiry, sorted by expiry: entries the candidates stream indexer keeps
 * (`privacyEntries` in functions/candidates/adapters/candidate-index.ts), GSI1SK `<expiresAt>#<purpose>#<candidateId>`.
 */
const expiryPartition = (month: string) => `CONSENTEXP#${month}`;

/**
 * When the person was last asked to renew: CAND#<id> / CONSENT_RENEWAL. In their own partition, so their erasure
 * removes it; TTL removes it once it no longer holds back another ask.
 */
const askKey = (candidateId: string) => ({ PK: `CAND#${candidateId}`, SK: 'CONSENT_RENEWAL' });
const ASK_TTL_SECONDS = (ASK_AGAIN_AFTER_DAYS + 1) * 86_400;

/** The months from one time's to another's, `yyyy-mm`: the expiry partitions a window spans (two, or three). */
export function monthsBetween(from: string, to: string): string[] {
  const months: string[] = [];
  const cursor = new Date(`${from.slice(0, 7)}-01T00:00:00.000Z`);
  while (cursor.toISOString().slice(0, 7) <= to.slice(0, 7)) {
    months.push(cursor.toISOString().slice(0, 7));
    cursor.setUTCMonth(cursor.getUTCMonth() + 1);
  }
  return months;
}

export const dynamoRenewalAsks: RenewalAsks = {
  async *expiring(from, to) {
    for (const month of monthsBetween(from, to)) {
      // '~' sorts after '#': an expiry exactly at `to` is still in the window.
      const pages = queryPages({
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :pk AND GSI1SK BETWEEN :from AND :to',
        ExpressionAttributeValues: { ':pk': expiryPartition(month), ':from': from, ':to': `${to}~` },
      });
      for await (const items of pages) yield items.map((item) => String(item.GSI1SK).split('#').at(-1)!);
    }
  },

  claim: (candidateId, at, since) =>
    conditionally(() =>
      documents.send(
        new PutCommand({
          TableName: config.tableName,
          Item: { ...askKey(candidateId), entity: 'consent-renewal', candidateId, askedAt: at, expiresAt: Math.floor(Date.parse(at) / 1000) + ASK_TTL_SECONDS },
          // TTL deletes late (up to days): the time asked decides, not whether the item is still there.
          ConditionExpression: 'attribute_not_exists(PK) OR askedAt < :since',
          ExpressionAttributeValues: { ':since': since },
        }),
      ),
    ),

  async release(candidateId, at) {
    await conditionally(() =>
      documents.send(
        new DeleteCommand({ TableName: config.tableName, Key: askKey(candidateId), ConditionExpression: 'askedAt = :at', ExpressionAttributeValues: { ':at': at } }),
      ),
    );
  },

  async suppressed(email) {
    const { Item } = await documents.send(new GetCommand({ TableName: config.tableName, Key: suppressionKey(email), ProjectionExpression: 'PK' }));
    return Item !== undefined;
  },
};
