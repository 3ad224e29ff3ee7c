import * as z from 'zod';
import { CandidateReplied, EmailActivity } from '../../events/campaigns.ts';
import { ApplicationReceived } from '../../events/candidates.ts';
import { EventAttended } from '../../events/engagement.ts';
import { route } from '../../shared/http/route.ts';
import { criteria, withheldReasons } from '../../shared/matching/fit.ts';
import { JobId } from '../syndication/schemas.ts';
import { CandidateId, PoolId } from './schemas.ts';

/** Route contracts of explainable matching (docs/matching.md). */
const tag = 'matching';
export const MAX_MATCHES = 100;

export const Reason = z.object({
  criterion: z.enum(criteria),
  detail: z.string(),
  /** What this reason adds; a result's reasons add up to its score. */
  points: z.number().int(),
});

export const CandidateMatch = z.object({
  candidateId: CandidateId,
  firstName: z.string().optional(),
  lastName: z.string().optional(),
  headline: z.string().optional(),
  score: z.number().int(),
  reasons: z.array(Reason),
});
export const CandidateMatches = z.object({
  jobId: JobId,
  items: z.array(CandidateMatch),
  /** How many candidates were scored: the bounded set the indexes returned (docs/matching.md). */
  considered: z.number().int(),
  /** Whether the set hit its bound, so someone who fits may not have been considered (narrow it with ?pool=). */
  capped: z.boolean(),
});
export type CandidateMatches = z.output<typeof CandidateMatches>;

export const JobSuggestion = z.object({
  jobId: JobId,
  title: z.string(),
  url: z.string(),
  score: z.number().int(),
  reasons: z.array(Reason),
});
export const JobSuggestions = z.object({
  candidateId: CandidateId,
  items: z.array(JobSuggestion),
  /** Why the list is empty whatever jobs are open: the person must not be approached, or objected to profiling (GDPR Art. 21). */
  withheld: z.enum(withheldReasons).optional(),
});
export type JobSuggestions = z.output<typeof JobSuggestions>;

const limit = (fallback: number) => z.coerce.number().int().min(1).max(MAX_MATCHES).default(fallback);

export const listJobMatches = route({
  method: 'GET', path: '/jobs/{id}/matches', access: 'viewer', tag,
  summary: 'Pool candidates who fit a job, best first, each with the reasons and the points each gave (they add up to the score); ?pool= ranks one pool',
  params: z.strictObject({ id: JobId }),
  query: z.strictObject({ limit: limit(20), pool: PoolId.optional() }),
  response: CandidateMatches,
});

export const listJobSuggestions = route({
  method: 'GET', path: '/candidates/{id}/job-suggestions', access: 'viewer', tag,
  summary: 'The open jobs that fit a candidate (a required skill, or the text of a job listing none), best first, with the same reasons and points as the job\'s matches; the jobs their campaign emails suggest',
  params: z.strictObject({ id: CandidateId }),
  query: z.strictObject({ limit: limit(10) }),
  response: JobSuggestions,
  audit: 'read',
});

/** What the engagement consumer hears (human opens and clicks only: campaigns publishes no machine opens). */
export const engagementSignals = [EmailActivity, CandidateReplied, ApplicationReceived, EventAttended];
