import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { config } from '../../../shared/config.ts';
import { batchGet } from '../../../shared/table/batch.ts';
import { documents } from '../../../shared/table/client.ts';
import { jobFrom, jobKey, jobsWithStatus } from '../../syndication/adapters/entities.ts';
import type { CandidateQuery, MatchingStore } from '../domain/matching-service.ts';
import { dynamoCandidateStore } from './dynamo-candidate-store.ts';
import { ALL_CANDIDATES, candidateFrom, candidateKey, poolEntry, type Item } from './entities.ts';

/**
 * Bounds of the candidate set (docs/matching.md): each index partition is read up to PER_INDEX entries, newest
 * first, in the order skills, countries, newest people; the union stops at MAX_CONSIDERED. Beyond that, pools
 * belong in OpenSearch.
 */
export const PER_INDEX = 200;
export const MAX_CONSIDERED = 500;
/** Newest people, so a job whose skills and countries find few still has someone to rank by text. */
const NEWEST = 100;
/** Index partitions read at once: a job with many skills and synonyms does not burst the table. */
const PARALLEL = 6;

async function idsIn(partition: string, limit: number): Promise<{ ids: string[]; more: boolean }> {
  const ids: string[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const result = await documents.send(
      new QueryCommand({
        TableName: config.tableName,
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :pk',
        ExpressionAttributeValues: { ':pk': partition },
        ProjectionExpression: 'GSI1SK',
        ScanIndexForward: false,
        Limit: limit - ids.length,
        ExclusiveStartKey: startKey,
      }),
    );
    ids.push(...(result.Items ?? []).map((item) => item.GSI1SK as string));
    startKey = result.LastEvaluatedKey;
  } while (startKey && ids.length < limit);
  return { ids, more: startKey !== undefined };
}

export const dynamoMatchingStore: MatchingStore = {
  async job(id) {
    const { Item } = await documents.send(new GetCommand({ TableName: config.tableName, Key: jobKey(id) }));
    return Item ? jobFrom(Item) : undefined;
  },

  async openJobs() {
    const result = await documents.send(
      new QueryCommand({ TableName: config.tableName, IndexName: 'GSI1', KeyConditionExpression: 'GSI1PK = :pk', ExpressionAttributeValues: { ':pk': jobsWithStatus('open') }, Limit: PER_INDEX }),
    );
    return (result.Items ?? []).map(jobFrom);
  },

  async candidatesFor(query: CandidateQuery) {
    const chosen = new Set<string>();
    let capped = false;
    const sources = query.pool
      ? [{ partition: poolEntry('', query.pool).GSI1PK, limit: MAX_CONSIDERED }]
      : [
          ...query.skills.map((skill) => ({ partition: `SKILL#${skill}`, limit: PER_INDEX })),
          ...query.countries.map((country) => ({ partition: `COUNTRY#${country}`, limit: PER_INDEX })),
          { partition: ALL_CANDIDATES, limit: NEWEST, fallback: true },
        ];
    for (let start = 0; start < sources.length && chosen.size < MAX_CONSIDERED; start += PARALLEL) {
      const group = sources.slice(start, start + PARALLEL);
      const found = await Promise.all(group.map((source) => idsIn(source.partition, source.limit)));
      found.forEach(({ ids, more }, i) => {
        if (more && !('fallback' in group[i]!)) capped = true;
        for (const id of ids) {
          if (chosen.size >= MAX_CONSIDERED) return void (capped = true);
          chosen.add(id);
        }
      });
    }
    const candidates = (await batchGet<Item>([...chosen].map(candidateKey))).map(candidateFrom);
    return { candidates, capped };
  },

  candidate: (id) => dynamoCandidateStore.get(id),
};
