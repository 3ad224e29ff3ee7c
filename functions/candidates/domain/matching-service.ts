import { NotFound } from '../../../shared/errors.ts';
import { rankCandidates, suggestedJobs, withheld, type MatchCandidate, type MatchJob } from '../../../shared/matching/fit.ts';
import type { Job } from '../../syndication/schemas.ts';
import type { CandidateMatches, JobSuggestions } from '../matching-api.ts';
import type { Candidate } from '../schemas.ts';
import { engagementAt } from './engagement.ts';
import { RETRIEVAL, retrievalPlan, shortlist, type IndexPartition, type PartitionRead } from './matching-retrieval.ts';
import type { Clock } from './ports.ts';

export interface MatchingStore {
  job(id: string): Promise<Job | undefined>;
  /** The open jobs (`JOBS#open`): few, so all are scored. */
  openJobs(): Promise<Job[]>;
  /** The candidate ids filed under an index partition, newest first, at most `limit` (keys only: cheap). */
  idsIn(partition: IndexPartition, limit: number): Promise<PartitionRead>;
  /** Profiles by id; ids with no profile are left out. */
  candidates(ids: readonly string[]): Promise<Candidate[]>;
  candidate(id: string): Promise<Candidate | undefined>;
}

/** A syndication job as matching sees it. */
export function matchJobOf(job: Pick<Job, 'id' | 'title' | 'url' | 'description' | 'skills' | 'location'>): MatchJob {
  return {
    id: job.id,
    title: job.title,
    url: job.url,
    description: job.description,
    skills: job.skills,
    location: { type: job.location.type, city: job.location.address?.city, country: job.location.address?.country, applicantCountries: job.location.applicantCountries },
  };
}

/** A profile as matching sees it, its engagement decayed to now. */
export const matchCandidateOf = (c: Candidate, now: string): Omit<Candidate, 'engagement'> & MatchCandidate => ({ ...c, engagement: engagementAt(c.engagement, now) });

/** Runs reads at most `parallel` at a time, answers in order. */
async function inGroups<T, R>(items: readonly T[], parallel: number, read: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let start = 0; start < items.length; start += parallel) results.push(...(await Promise.all(items.slice(start, start + parallel).map(read))));
  return results;
}

export function matchingService({ store, clock }: { store: MatchingStore; clock: Clock }) {
  /** The bounded, best-evidence-first set of people to score for a job (matching-retrieval.ts). */
  async function candidatesFor(job: MatchJob, pool: string | undefined) {
    const plan = retrievalPlan(job, pool);
    const [members, ...reads] = await inGroups([plan.pool, ...plan.evidence.map((source) => source.partition)], RETRIEVAL.parallel, (partition) =>
      partition ? store.idsIn(partition, partition.index === 'pool' ? RETRIEVAL.poolEntries : plan.perPartition) : Promise.resolve(undefined),
    );
    const found = new Set(reads.flatMap((read) => read!.ids)).size;
    const newest = !pool && found < RETRIEVAL.maxScored ? await store.idsIn({ index: 'all' }, RETRIEVAL.maxScored) : undefined;
    const { ids, capped } = shortlist(plan, reads as PartitionRead[], members, newest);
    return { candidates: await store.candidates(ids), capped };
  }

  return {
    async matchesForJob(jobId: string, options: { limit: number; pool?: string }): Promise<CandidateMatches> {
      const [job, open] = await Promise.all([store.job(jobId), store.openJobs()]);
      if (!job) throw new NotFound(`There is no job ${jobId}.`);
      const target = matchJobOf(job);
      const now = clock.now();
      const { candidates, capped } = await candidatesFor(target, options.pool);
      const ranked = rankCandidates(target, candidates.map((c) => matchCandidateOf(c, now)), open.map(matchJobOf), now, options.limit);
      return {
        jobId,
        items: ranked.map(({ candidate: c, score, reasons }) => ({
          candidateId: c.id, ...(c.firstName ? { firstName: c.firstName } : {}), ...(c.lastName ? { lastName: c.lastName } : {}), ...(c.headline ? { headline: c.headline } : {}), score, reasons,
        })),
        considered: candidates.length,
        capped,
      };
    },

    /** The jobs that fit a person, by the same rule as the {{jobSuggestions}} block of their campaign emails. */
    async suggestionsFor(candidateId: string, limit: number): Promise<JobSuggestions> {
      const [candidate, open] = await Promise.all([store.candidate(candidateId), store.openJobs()]);
      if (!candidate) throw new NotFound(`There is no candidate ${candidateId}.`);
      const now = clock.now();
      const person = matchCandidateOf(candidate, now);
      const reason = withheld(person);
      if (reason) return { candidateId, items: [], withheld: reason };
      const ranked = suggestedJobs(person, open.map(matchJobOf), now, limit);
      return { candidateId, items: ranked.map(({ job, score, reasons }) => ({ jobId: job.id!, title: job.title, url: job.url!, score, reasons })) };
    },
  };
}
