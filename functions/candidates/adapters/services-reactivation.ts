import { dynamoCampaignStore } from '../../campaigns/adapters/dynamo-campaign-store.ts';
import { reactivationSettings } from '../domain/reactivation.ts';
import { dynamoReactivationStore } from './dynamo-reactivation-store.ts';
import { segments } from './services-segments.ts';

/** The reactivation settings wired to the table; campaigns are read through their own context's store (read only). */
export const settings = reactivationSettings({ store: dynamoReactivationStore, campaigns: dynamoCampaignStore, syncSegments: () => segments.syncBuiltIns() });
