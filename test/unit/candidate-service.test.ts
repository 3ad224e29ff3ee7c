import { describe, expect, it } from 'vitest';
import { candidateService } from '../../functions/candidates/domain/candidate-service.ts';
import { poolService } from '../../functions/candidates/domain/pool-service.ts';
import { timelineService } from '../../functions/candidates/domain/timeline-service.ts';
import { StaleVersion } from '../../functions/candidates/domain/ports.ts';
import { Conflict, InvalidInput, PreconditionFailed } from '../../shared/errors.ts';
import { inMemoryStores } from '../fixtures/in-memory-stores.ts';

function setup() {
  const stores = inMemoryStores();
  const candidates = candidateService({ candidates: stores.candidateStore, clock: stores.clock, ids: stores.ids });
  const pools = poolService({ pools: stores.poolStore, candidates, clock: stores.clock, ids: stores.ids });
  const timeline = timelineService({ timeline: stores.timelineStore, clock: stores.clock, ids: stores.ids });
  return { ...stores, service: candidates, pools, timelineService: timeline };
}

describe('the candidate service', () => {
  it('publishes CandidateCreated and one CandidateTagged per initial tag', async () => {
    const { service, published } = setup();
    const candidate = await service.create({ email: 'ada@example.com', tags: ['java', 'remote'] }, 'user-1');
    expect(published.map((e) => e.detailType)).toEqual(['CandidateCreated', 'CandidateTagged', 'CandidateTagged']);
    expect(published[0]!.detail).toMatchObject({ candidateId: candidate.id, actor: 'user-1', status: 'passive' });
  });

  it('refuses an update whose If-Match is not the current version, with the current version', async () => {
    const { service } = setup();
    const { id } = await service.create({ email: 'ada@example.com' }, 'u');
    await expect(service.update(id, { firstName: 'Ada' }, 'u', 7)).rejects.toThrow(PreconditionFailed);
  });

  it('re-applies a change when another writer got in first and no version was pinned', async () => {
    const stores = setup();
    const { id } = await stores.service.create({ email: 'ada@example.com' }, 'u');
    const replace = stores.candidateStore.replace;
    let collisions = 1;
    stores.candidateStore.replace = async (...args) => {
      if (collisions-- > 0) throw new StaleVersion(id);
      return replace(...args);
    };
    const updated = await stores.service.update(id, { headline: 'Staff engineer' }, 'u');
    expect(updated.headline).toBe('Staff engineer');
  });

  it('gives up with 409 after repeated concurrent writes', async () => {
    const stores = setup();
    const { id } = await stores.service.create({ email: 'ada@example.com' }, 'u');
    stores.candidateStore.replace = async () => {
      throw new StaleVersion(id);
    };
    await expect(stores.service.tag(id, 'java', 'u')).rejects.toThrow(Conflict);
  });

  it('reports the status change on CandidateUpdated', async () => {
    const { service, published } = setup();
    const { id } = await service.create({ email: 'ada@example.com' }, 'u');
    await service.update(id, { status: 'active' }, 'u');
    expect(published.at(-1)!.detail).toMatchObject({ changed: ['status'], statusFrom: 'passive', statusTo: 'active' });
  });
});

describe('pools', () => {
  it('adds known candidates, and reports members and unknown ids apart', async () => {
    const { service, pools } = setup();
    const pool = await pools.create({ name: 'Frontend' }, 'u');
    const a = await service.create({ email: 'a@example.com' }, 'u');
    const b = await service.create({ email: 'b@example.com' }, 'u');
    await pools.addMembers(pool.id, [a.id], 'u');
    const missing = 'cand_01JZZZZZZZZZZZZZZZZZZZZZZZ';
    expect(await pools.addMembers(pool.id, [a.id, b.id, missing], 'u')).toEqual({ added: [b.id], alreadyMembers: [a.id], notFound: [missing] });
  });

  it('adds a candidate changed while the others joined: read again, with that change kept', async () => {
    const stores = setup();
    const pool = await stores.pools.create({ name: 'Frontend' }, 'u');
    const a = await stores.service.create({ email: 'a@example.com' }, 'u');
    const b = await stores.service.create({ email: 'b@example.com' }, 'u');
    const getMany = stores.candidateStore.getMany;
    stores.candidateStore.getMany = async (ids) => {
      const read = await getMany(ids);
      await stores.service.tag(b.id, 'java', 'someone else');
      return read;
    };
    expect(await stores.pools.addMembers(pool.id, [a.id, b.id], 'u')).toEqual({ added: [a.id, b.id], alreadyMembers: [], notFound: [] });
    expect(stores.candidates.get(b.id)).toMatchObject({ pools: [pool.id], tags: ['java'] });
    expect(stores.published.filter((e) => e.detailType === 'CandidateAddedToPool').map((e) => e.detail.candidateId)).toEqual([a.id, b.id]);
  });
});

describe('the timeline', () => {
  it('refuses a touchpoint dated in the future', async () => {
    const { service, timelineService } = setup();
    const { id } = await service.create({ email: 'a@example.com' }, 'u');
    await expect(timelineService.logTouchpoint(id, { type: 'call', occurredAt: '2027-01-01T00:00:00Z' }, 'u')).rejects.toThrow(InvalidInput);
  });

  it('records an event once however often it is delivered', async () => {
    const { service, timelineService, timeline, published } = setup();
    await service.create({ email: 'a@example.com' }, 'u');
    const created = published[0] as never;
    await timelineService.recordActivity(created);
    await timelineService.recordActivity(created);
    expect(timeline.filter((e) => e.kind === 'activity')).toHaveLength(1);
    expect(timeline[0]).toMatchObject({ type: 'created', summary: 'Added to the talent pool (source: manual)' });
  });
});
