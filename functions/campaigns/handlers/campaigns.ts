import { endpoint, httpApi, ok, withVersion } from '../../../shared/http/api.ts';
import * as api from '../api.ts';
import { campaignService } from '../domain/campaign-service.ts';
import { clock, ids, stores, workflows } from '../adapters/services.ts';

const campaigns = campaignService({ ...stores, workflows, clock, ids });

const createCampaign = endpoint(api.createCampaign, async ({ body }) => {
  const campaign = await campaigns.create(body);
  return { ...withVersion(campaign, 201), headers: { etag: `"${campaign.version}"`, location: `/campaigns/${campaign.id}` } };
});
const listCampaigns = endpoint(api.listCampaigns, async ({ query }) => ok(await campaigns.list(query)));
const getCampaign = endpoint(api.getCampaign, async ({ params }) => withVersion(await campaigns.get(params.id)));
const updateCampaign = endpoint(api.updateCampaign, async ({ params, body, ifMatch }) => withVersion(await campaigns.update(params.id, body, ifMatch)));
const launchCampaign = endpoint(api.launchCampaign, async ({ params, actor }) => withVersion(await campaigns.launch(params.id, actor.sub)));
const pauseCampaign = endpoint(api.pauseCampaign, async ({ params }) => withVersion(await campaigns.pause(params.id)));
const resumeCampaign = endpoint(api.resumeCampaign, async ({ params }) => withVersion(await campaigns.resume(params.id)));
const cancelCampaign = endpoint(api.cancelCampaign, async ({ params }) => withVersion(await campaigns.cancel(params.id)));
const listRecipients = endpoint(api.listRecipients, async ({ params, query: { status, ...page } }) => ok(await campaigns.recipients(params.id, status, page)));
const getCampaignStats = endpoint(api.getCampaignStats, async ({ params }) => ok(await campaigns.stats(params.id)));
const listEnrollments = endpoint(api.listEnrollments, async ({ params, query }) => ok(await campaigns.enrollments(params.id, query)));

export const handler = httpApi(
  createCampaign, listCampaigns, getCampaign, updateCampaign, launchCampaign, pauseCampaign, resumeCampaign, cancelCampaign, listRecipients, getCampaignStats, listEnrollments,
);
