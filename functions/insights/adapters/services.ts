import { dynamoCampaignStore } from '../../campaigns/adapters/dynamo-campaign-store.ts';
import { clock } from '../../../shared/ids.ts';
import { analyticsService } from '../domain/analytics-service.ts';
import { dynamoAnalyticsStore } from './dynamo-analytics-store.ts';

/** Campaign counts come from the campaigns context's own stats items, not counted twice. */
const campaigns = {
  exists: async (id: string) => (await dynamoCampaignStore.get(id)) !== undefined,
  stats: (id: string) => dynamoCampaignStore.stats(id),
};

export const analytics = analyticsService({ store: dynamoAnalyticsStore, campaigns, clock });
