import { derivedId } from '../../../shared/ids.ts';
import { dynamoCampaignStore } from '../../campaigns/adapters/dynamo-campaign-store.ts';
import { drips } from '../../campaigns/adapters/services-sending.ts';
import { dynamoJobStore } from '../../syndication/adapters/dynamo-stores.ts';
import { jobMatcher } from '../domain/reactivation.ts';
import { SILVER_MEDALISTS } from '../schemas.ts';
import { dynamoReactivationStore } from './dynamo-reactivation-store.ts';
import { dynamoSegmentStore } from './dynamo-segment-store.ts';
import { tasks } from './services-tasks.ts';
import { clock } from './services.ts';

/**
 * The job matcher wired to the table. Jobs and campaigns are read through their own contexts' stores (read only), and
 * a drip enrollment goes through the campaigns context's own enrollment, as a recruiter's would.
 */
export const matcher = jobMatcher({
  store: dynamoReactivationStore,
  jobs: dynamoJobStore,
  silverMedalists: (page) => dynamoSegmentStore.members(SILVER_MEDALISTS, page),
  campaigns: dynamoCampaignStore,
  enroll: async (campaignId, candidateId) => (await drips.enrollByHand(campaignId, [candidateId])).enrolled.length > 0,
  tasks,
  derivedId,
  clock,
});
