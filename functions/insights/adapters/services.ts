import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { config } from '../../../shared/config.ts';
import { clock } from '../../../shared/ids.ts';
import { documents } from '../../../shared/table/client.ts';
import { dynamoCampaignStore } from '../../campaigns/adapters/dynamo-campaign-store.ts';
import { shardOf } from '../../campaigns/domain/shards.ts';
import { hiringEventKey } from '../../engagement/adapters/entities.ts';
import { jobKey } from '../../syndication/adapters/entities.ts';
import { analyticsService } from '../domain/analytics-service.ts';
import type { Catalogue, Deliveries } from '../domain/ports.ts';
import { dynamoAnalyticsStore } from './dynamo-analytics-store.ts';

const exists = async (Key: { PK: string; SK: string }) =>
  (await documents.send(new GetCommand({ TableName: config.tableName, Key, ProjectionExpression: 'PK' }))).Item !== undefined;

/** The items the reports are about, read by key where their contexts keep them. */
const catalogue: Catalogue = {
  campaignCreatedAt: async (id) => (await dynamoCampaignStore.get(id))?.createdAt,
  jobExists: (id) => exists(jobKey(id)),
  hiringEventExists: (id) => exists(hiringEventKey(id)),
};

const deliveries: Deliveries = {
  async deliveredAt({ campaignId, candidateId, shard, step }) {
    return (await dynamoCampaignStore.recipient(campaignId, shard ?? shardOf(candidateId), candidateId, step))?.deliveredAt;
  },
};

export const analytics = analyticsService({ store: dynamoAnalyticsStore, catalogue, deliveries, clock });
