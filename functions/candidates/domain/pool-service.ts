import { NotFound } from '../../../shared/errors.ts';
import type { PageRequest } from '../../../shared/http/pagination.ts';
import type { CreatePool, Pool } from '../schemas.ts';
import type { CandidateService } from './candidate-service.ts';
import type { Clock, Ids, PoolStore } from './ports.ts';

export interface PoolDeps {
  pools: PoolStore;
  candidates: CandidateService;
  clock: Clock;
  ids: Ids;
}

export function poolService({ pools, candidates, clock, ids }: PoolDeps) {
  async function get(id: string): Promise<Pool> {
    const pool = await pools.get(id);
    if (!pool) throw new NotFound(`There is no pool ${id}.`);
    return pool;
  }

  return {
    get,
    list: (page: PageRequest) => pools.list(page),

    async create(input: CreatePool, actor: string): Promise<Pool> {
      const pool: Pool = { id: ids.next('pool'), ...input, memberCount: 0, createdAt: clock.now(), createdBy: actor };
      await pools.create(pool, []);
      return pool;
    },

    /** One unknown id does not fail the others. */
    async addMembers(poolId: string, candidateIds: string[], actor: string) {
      await get(poolId);
      return candidates.addAllToPool(candidateIds, poolId, actor);
    },

    async removeMember(poolId: string, candidateId: string, actor: string): Promise<void> {
      await get(poolId);
      const candidate = await candidates.get(candidateId);
      if (!candidate.pools.includes(poolId)) throw new NotFound(`Candidate ${candidateId} is not in pool ${poolId}.`);
      await candidates.removeFromPool(candidateId, poolId, actor);
    },

    async members(poolId: string, page: PageRequest) {
      await get(poolId);
      return candidates.list({ pool: poolId }, page);
    },
  };
}
