import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { config } from '../../../shared/config.ts';
import { batchGet } from '../../../shared/table/batch.ts';
import { documents } from '../../../shared/table/client.ts';
import { jobFrom, jobKey } from '../../syndication/adapters/entities.ts';
import { openJobs } from '../../syndication/adapters/open-jobs.ts';
import type { IndexPartition } from '../domain/matching-retrieval.ts';
import type { MatchingStore } from '../domain/matching-service.ts';
import { dynamoCandidateStore } from './dynamo-candidate-store.ts';
import { ALL_CANDIDATES, candidateFrom, candidateKey, poolEntry, type Item } from './entities.ts';

/** The GSI1 partition of an index the matching retrieval reads (the indexer's entries, data-model pattern 7). */
function gsi1Partition(partition: IndexPartition): string {
  switch (partition.index) {
    case 'skill':
      return `SKILL#${partition.value}`;
    case 'country':
      return `COUNTRY#${partition.value}`;
    case 'pool':
      return poolEntry('', partition.value).GSI1PK;
    case 'all':
      return ALL_CANDIDATES;
  }
}

export const dynamoMatchingStore: MatchingStore = {
  async job(id) {
    const { Item } = await documents.send(new GetCommand({ TableName: config.tableName, Key: jobKey(id) }));
    return Item ? jobFrom(Item) : undefined;
  },

  openJobs,

  /** Newest first, the sort key only: index entries are ~200 bytes, so 1,000 cost about 25 read units (eventually consistent). */
  async idsIn(partition, limit) {
    const ids: string[] = [];
    let startKey: Record<string, unknown> | undefined;
    while (ids.length < limit) {
      const result = await documents.send(
        new QueryCommand({
          TableName: config.tableName,
          IndexName: 'GSI1',
          KeyConditionExpression: 'GSI1PK = :pk',
          ExpressionAttributeValues: { ':pk': gsi1Partition(partition) },
          ProjectionExpression: 'GSI1SK',
          ScanIndexForward: false,
          Limit: limit - ids.length,
          ExclusiveStartKey: startKey,
        }),
      );
      ids.push(...(result.Items ?? []).map((item) => item.GSI1SK as string));
      startKey = result.LastEvaluatedKey;
      if (!startKey) break;
    }
    return { ids, more: startKey !== undefined };
  },

  async candidates(ids) {
    return (await batchGet<Item>(ids.map(candidateKey))).map(candidateFrom);
  },

  candidate: (id) => dynamoCandidateStore.get(id),
};
