import { describe, expect, it } from 'vitest';
import { RETRIEVAL, retrievalPlan, type IndexPartition } from '../../functions/candidates/domain/matching-retrieval.ts';
import { matchJobOf, matchingService, type MatchingStore } from '../../functions/candidates/domain/matching-service.ts';
import type { Candidate } from '../../functions/candidates/schemas.ts';
import { aCandidate, aJob } from '../fixtures/builders.ts';

const now = '2026-06-01T12:00:00.000Z';
const job = aJob({ id: 'job_01JBACKEND0000000000000000', title: 'Backend Engineer', skills: ['typescript', 'kubernetes'], location: { type: 'onsite', address: { city: 'Berlin', country: 'DE' } } });

/** Ids that sort by age like ULIDs: a larger number is newer. */
const idOf = (n: number) => `cand_01J${String(n).padStart(23, '0')}`;

/**
 * The index as the candidates context keeps it (people per skill, country and pool, newest first), counting every
 * entry and profile read, so a test can check what retrieval costs as well as what it finds.
 */
function pool(people: Candidate[], open = job) {
  const reads = { entries: 0, profiles: 0 };
  const key = (partition: IndexPartition) => (partition.index === 'all' ? 'all' : `${partition.index}:${partition.value}`);
  const partitions = new Map<string, string[]>();
  const file = (k: string, id: string) => partitions.set(k, [...(partitions.get(k) ?? []), id]);
  for (const c of people) {
    file('all', c.id);
    c.skills.forEach((skill) => file(`skill:${skill}`, c.id));
    if (c.location?.country) file(`country:${c.location.country}`, c.id);
    c.pools.forEach((p) => file(`pool:${p}`, c.id));
  }
  const byId = new Map(people.map((c) => [c.id, c]));
  const store: MatchingStore = {
    job: async () => open,
    openJobs: async () => [open],
    async idsIn(partition, limit) {
      const newestFirst = [...(partitions.get(key(partition)) ?? [])].sort().reverse();
      const ids = newestFirst.slice(0, limit);
      reads.entries += ids.length;
      return { ids, more: newestFirst.length > limit };
    },
    async candidates(ids) {
      reads.profiles += ids.length;
      return ids.flatMap((id) => byId.get(id) ?? []);
    },
    candidate: async (id) => byId.get(id),
  };
  return { service: matchingService({ store, clock: { now: () => now } }), reads };
}

describe('which candidates a job is scored against', () => {
  it('finds the person with every required skill even when hundreds of newer people have one of them', async () => {
    const oldFit = aCandidate({ id: idOf(1), skills: ['typescript', 'kubernetes'], location: { country: 'PT' }, status: 'active' });
    const newer = Array.from({ length: 800 }, (_, i) => aCandidate({ id: idOf(100 + i), skills: [i % 2 ? 'typescript' : 'kubernetes'], location: { country: 'PT' } }));
    const { service } = pool([oldFit, ...newer]);
    const { items } = await service.matchesForJob(job.id, { limit: 5 });
    expect(items[0]!.candidateId).toBe(oldFit.id);
  });

  it('scores people the index shows with more of the job’s skills and its country before those with fewer', async () => {
    const both = aCandidate({ id: idOf(1), skills: ['typescript', 'k8s'], location: { country: 'FR' } });
    const skillAndCountry = aCandidate({ id: idOf(2), skills: ['typescript'], location: { country: 'DE' } });
    const crowd = Array.from({ length: 2 * RETRIEVAL.maxScored }, (_, i) => aCandidate({ id: idOf(100 + i), skills: ['typescript'], location: { country: 'FR' } }));
    const { service, reads } = pool([both, skillAndCountry, ...crowd]);
    const result = await service.matchesForJob(job.id, { limit: RETRIEVAL.maxScored });
    const scored = result.items.map((item) => item.candidateId);
    expect(scored).toContain(both.id);
    expect(scored).toContain(skillAndCountry.id);
    expect(result.considered).toBe(RETRIEVAL.maxScored);
    expect(reads.profiles).toBe(RETRIEVAL.maxScored);
    expect(result.capped).toBe(true);
  });

  it('keeps the holder of a rare required skill ahead of a crowd with the common skill and the country, whose partitions were read only in part', async () => {
    const rareJob = aJob({ ...job, skills: ['cobol', 'kubernetes'] });
    // Older than every entry read of the crowded partitions: the index cannot show they have kubernetes or live in DE.
    const rare = aCandidate({ id: idOf(1), skills: ['cobol', 'kubernetes'], location: { country: 'DE' }, status: 'active' });
    const crowd = Array.from({ length: 2 * RETRIEVAL.entriesPerPartition }, (_, i) => aCandidate({ id: idOf(100 + i), skills: ['kubernetes'], location: { country: 'DE' } }));
    const { service } = pool([rare, ...crowd], rareJob);
    const { items } = await service.matchesForJob(rareJob.id, { limit: 1 });
    expect(items[0]!.candidateId).toBe(rare.id);
  });

  it('reads at most the documented number of index entries and profiles, however big the partitions', async () => {
    const crowd = Array.from({ length: 3_000 }, (_, i) => aCandidate({ id: idOf(i), skills: ['typescript', 'ts', 'kubernetes', 'k8s'], location: { country: 'DE' } }));
    const { service, reads } = pool(crowd);
    const result = await service.matchesForJob(job.id, { limit: 20 });
    // typescript, ts, kubernetes, k8s and DE: five partitions sharing the budget.
    expect(retrievalPlan(matchJobOf(job)).perPartition).toBe(Math.min(RETRIEVAL.entriesPerPartition, Math.floor(RETRIEVAL.maxEntries / 5)));
    expect(reads.entries).toBeLessThanOrEqual(RETRIEVAL.maxEntries);
    expect(reads.profiles).toBeLessThanOrEqual(RETRIEVAL.maxScored);
    expect(result.capped).toBe(true);
  });

  it('fills the list with the newest people when the job’s skills and countries find few, so a job with no skills still ranks', async () => {
    const noSkills = aJob({ id: job.id, skills: [], location: { type: 'remote' } });
    const people = Array.from({ length: 5 }, (_, i) => aCandidate({ id: idOf(i), skills: [], headline: i === 0 ? 'Backend engineer' : 'Florist' }));
    const { service } = pool(people, noSkills);
    const result = await service.matchesForJob(noSkills.id, { limit: 5 });
    expect(result.considered).toBe(5);
    expect(result.capped).toBe(false);
    expect(result.items[0]!.candidateId).toBe(idOf(0));
  });

  it('considers only the members of the pool asked for', async () => {
    const member = aCandidate({ id: idOf(1), skills: ['typescript'], pools: ['pool_01JPOOL000000000000000000'] });
    const outsider = aCandidate({ id: idOf(2), skills: ['typescript', 'kubernetes'] });
    const { service } = pool([member, outsider]);
    const result = await service.matchesForJob(job.id, { limit: 5, pool: 'pool_01JPOOL000000000000000000' });
    expect(result.items.map((item) => item.candidateId)).toEqual([member.id]);
  });
});
