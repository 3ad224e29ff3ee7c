import { NotFound } from '../../../shared/errors.ts';
import type { Job } from '../../syndication/schemas.ts';
import type { CandidateMatches, JobSuggestions } from '../matching-api.ts';
import type { Candidate } from '../schemas.ts';
import { rankCandidates, rankJobs, skillVariants, type MatchJob } from './matching.ts';
import type { Clock } from './ports.ts';

/** What retrieval is asked for: the indexes to read, in order of how much they say about fit. */
export interface CandidateQuery {
  /** Required skills and their synonyms: `SKILL#…` entries. */
  skills: string[];
  /** Where applicants may live: `COUNTRY#…` entries. */
  countries: string[];
  /** Only this pool's members: `POOL#…` entries. */
  pool?: string;
}

export interface MatchingStore {
  job(id: string): Promise<Job | undefined>;
  /** The open jobs (`JOBS#open`): few, so all are scored. */
  openJobs(): Promise<Job[]>;
  /** The bounded candidate set for a job (docs/matching.md: limits); `capped` when an index had more. */
  candidatesFor(query: CandidateQuery): Promise<{ candidates: Candidate[]; capped: boolean }>;
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

/** The indexes that hold the people a job could fit: its skills (with synonyms) and the countries it hires in. */
export function candidateQueryFor(job: MatchJob, pool?: string): CandidateQuery {
  const countries = [...new Set([...(job.location.country ? [job.location.country] : []), ...(job.location.applicantCountries ?? [])])];
  return { skills: [...new Set(job.skills.flatMap(skillVariants))], countries, ...(pool ? { pool } : {}) };
}

export function matchingService({ store, clock }: { store: MatchingStore; clock: Clock }) {
  return {
    async matchesForJob(jobId: string, options: { limit: number; pool?: string }): Promise<CandidateMatches> {
      const [job, open] = await Promise.all([store.job(jobId), store.openJobs()]);
      if (!job) throw new NotFound(`There is no job ${jobId}.`);
      const target = matchJobOf(job);
      const { candidates, capped } = await store.candidatesFor(candidateQueryFor(target, options.pool));
      const ranked = rankCandidates(target, candidates, open.map(matchJobOf), clock.now(), options.limit);
      return {
        jobId,
        items: ranked.map(({ candidate: c, score, reasons }) => ({
          candidateId: c.id, ...(c.firstName ? { firstName: c.firstName } : {}), ...(c.lastName ? { lastName: c.lastName } : {}), ...(c.headline ? { headline: c.headline } : {}), score, reasons,
        })),
        considered: candidates.length,
        capped,
      };
    },

    async suggestionsFor(candidateId: string, limit: number): Promise<JobSuggestions> {
      const [candidate, open] = await Promise.all([store.candidate(candidateId), store.openJobs()]);
      if (!candidate) throw new NotFound(`There is no candidate ${candidateId}.`);
      const ranked = rankJobs(candidate, open.map(matchJobOf), clock.now(), limit);
      return { candidateId, items: ranked.map(({ job, score, reasons }) => ({ jobId: job.id!, title: job.title, url: job.url!, score, reasons })) };
    },
  };
}
