import { endpoint, httpApi, noContent, ok, withVersion } from '../../../shared/http/api.ts';
import { segments } from '../adapters/services-segments.ts';
import * as api from '../api.ts';

const createSegment = endpoint(api.createSegment, async ({ body, actor }) => {
  const segment = await segments.create(body, actor.sub);
  return { ...withVersion(segment, 201), headers: { etag: `"${segment.version}"`, location: `/segments/${segment.id}` } };
});
const listSegments = endpoint(api.listSegments, async ({ query }) => ok(await segments.list(query)));
const getSegment = endpoint(api.getSegment, async ({ params }) => withVersion(await segments.get(params.id)));
const updateSegment = endpoint(api.updateSegment, async ({ params, body, ifMatch }) => withVersion(await segments.update(params.id, body, ifMatch)));
const previewSegment = endpoint(api.previewSegment, async ({ body }) => ok(await segments.preview(body.rule, body.sampleSize)));
const listSegmentMembers = endpoint(api.listSegmentMembers, async ({ params, query }) => ok(await segments.members(params.id, query)));
const addSegmentMembers = endpoint(api.addSegmentMembers, async ({ params, body }) => ok(await segments.addMembers(params.id, body.candidateIds)));
const removeSegmentMember = endpoint(api.removeSegmentMember, async ({ params }) => {
  await segments.removeMember(params.id, params.candidateId);
  return noContent();
});

export const handler = httpApi(createSegment, listSegments, getSegment, updateSegment, previewSegment, listSegmentMembers, addSegmentMembers, removeSegmentMember);
