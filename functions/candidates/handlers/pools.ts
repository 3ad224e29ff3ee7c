import { created, endpoint, httpApi, noContent, ok } from '../../../shared/http/api.ts';
import { pools } from '../adapters/services.ts';
import * as api from '../api.ts';

const createPool = endpoint(api.createPool, async ({ body, actor }) => {
  const pool = await pools.create(body, actor.sub);
  return created(pool, { location: `/pools/${pool.id}` });
});

const listPools = endpoint(api.listPools, async ({ query }) => ok(await pools.list(query)));

const getPool = endpoint(api.getPool, async ({ params }) => ok(await pools.get(params.id)));

const addPoolMembers = endpoint(api.addPoolMembers, async ({ params, body, actor }) =>
  ok(await pools.addMembers(params.id, body.candidateIds, actor.sub)),
);

const removePoolMember = endpoint(api.removePoolMember, async ({ params, actor }) => {
  await pools.removeMember(params.id, params.candidateId, actor.sub);
  return noContent();
});

const listPoolMembers = endpoint(api.listPoolMembers, async ({ params, query }) => ok(await pools.members(params.id, query)));

export const handler = httpApi(createPool, listPools, getPool, addPoolMembers, removePoolMember, listPoolMembers);
