import { created, endpoint, httpApi, ok, withVersion } from '../../../shared/http/api.ts';
import { jobs } from '../adapters/services.ts';
import * as api from '../api.ts';
import { shareLinks } from '../domain/share.ts';

const createJob = endpoint(api.createJob, async ({ body, actor }) => {
  const job = await jobs.create(body, actor.sub);
  return created(job, { location: `/jobs/${job.id}`, etag: `"${job.version}"` });
});
const listJobs = endpoint(api.listJobs, async ({ query }) => ok(await jobs.list(query.status, query)));
const getJob = endpoint(api.getJob, async ({ params }) => withVersion(await jobs.get(params.id)));
const updateJob = endpoint(api.updateJob, async ({ params, body, actor, ifMatch }) => withVersion(await jobs.update(params.id, body, actor.sub, ifMatch)));
const publishJob = endpoint(api.publishJob, async ({ params, actor }) => withVersion(await jobs.publish(params.id, actor.sub)));
const closeJob = endpoint(api.closeJob, async ({ params, actor }) => withVersion(await jobs.close(params.id, actor.sub)));
const shareJob = endpoint(api.shareJob, async ({ params, query }) => {
  const job = await jobs.get(params.id);
  return ok({ jobId: job.id, items: shareLinks(job, query) });
});

export const handler = httpApi(createJob, listJobs, getJob, updateJob, publishJob, closeJob, shareJob);
