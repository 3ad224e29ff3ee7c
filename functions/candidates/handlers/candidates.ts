import { endpoint, httpApi, ok, withVersion } from '../../../shared/http/api.ts';
import { candidates } from '../adapters/services.ts';
import * as api from '../api.ts';

const createCandidate = endpoint(api.createCandidate, async ({ body, query, actor }) => {
  const { candidate, created } = await candidates.add(body, actor.sub, query.onDuplicate);
  const reply = withVersion(candidate, created ? 201 : 200);
  return { ...reply, headers: { ...reply.headers, location: `/candidates/${candidate.id}` } };
});

const listCandidates = endpoint(api.listCandidates, async ({ query: { limit, cursor, ...filter } }) =>
  ok(await candidates.list(filter, { limit, cursor })),
);

const getCandidate = endpoint(api.getCandidate, async ({ params }) => withVersion(await candidates.get(params.id)));

const updateCandidate = endpoint(api.updateCandidate, async ({ params, body, actor, ifMatch }) =>
  withVersion(await candidates.update(params.id, body, actor.sub, ifMatch)),
);

const tagCandidate = endpoint(api.tagCandidate, async ({ params, actor }) =>
  withVersion(await candidates.tag(params.id, params.tag, actor.sub)),
);

const untagCandidate = endpoint(api.untagCandidate, async ({ params, actor }) =>
  withVersion(await candidates.untag(params.id, params.tag, actor.sub)),
);

export const handler = httpApi(createCandidate, listCandidates, getCandidate, updateCandidate, tagCandidate, untagCandidate);
