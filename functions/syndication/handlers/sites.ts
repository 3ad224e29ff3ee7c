import { created, endpoint, httpApi, ok, withVersion } from '../../../shared/http/api.ts';
import { sites } from '../adapters/services-publishing.ts';
import * as api from '../api.ts';

const createSite = endpoint(api.createSite, async ({ body, actor }) => {
  const site = await sites.create(body, actor.sub);
  return created(site, { location: `/sites/${site.id}`, etag: `"${site.version}"` });
});
const listSites = endpoint(api.listSites, async ({ query }) => ok(await sites.list(query)));
const getSite = endpoint(api.getSite, async ({ params }) => withVersion(await sites.get(params.id)));
const updateSite = endpoint(api.updateSite, async ({ params, body, actor, ifMatch }) => withVersion(await sites.update(params.id, body, actor.sub, ifMatch)));
const publishSite = endpoint(api.publishSite, async ({ params, actor }) => withVersion(await sites.publish(params.id, actor.sub)));
const unpublishSite = endpoint(api.unpublishSite, async ({ params, actor }) => withVersion(await sites.unpublish(params.id, actor.sub)));

export const handler = httpApi(createSite, listSites, getSite, updateSite, publishSite, unpublishSite);
