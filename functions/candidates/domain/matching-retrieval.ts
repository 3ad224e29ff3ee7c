import { POINTS, type MatchJob } from '../../../shared/matching/fit.ts';
import { skillVariants } from '../../../shared/matching/skills.ts';

/**
 * Which pool candidates GET /jobs/{id}/matches scores, without scanning the pool (docs/matching.md, "Which candidates
 * are considered"). The candidates context's index entries say who has a skill, lives in a country or belongs to a
 * pool; reading them keys only is cheap, reading profiles is not. So the entries of every partition the job cares
 * about are read (bounded), each person is given the points the index alone proves (a required skill, the country),
 * and only the best MAX_SCORED profiles are read and scored in full.
 */

/** An index partition: people with a skill, living in a country, in a pool, or everyone (newest first). */
export type IndexPartition = { index: 'skill' | 'country' | 'pool'; value: string } | { index: 'all' };

export const RETRIEVAL = {
  /** Entries read from one skill or country partition at most, newest first. */
  entriesPerPartition: 1_000,
  /** Entries read from all skill and country partitions together: a job with many skills reads fewer of each. */
  maxEntries: 6_000,
  /** Members read from the pool of `?pool=`, newest first. */
  poolEntries: 4_000,
  /** Profiles read and scored at most. */
  maxScored: 300,
  /** Index partitions read at once, so a job with many skills does not burst the table. */
  parallel: 6,
} as const;

/** A partition whose entries are evidence of fit, worth the criteria points it proves before the profile is read. */
interface EvidenceSource {
  partition: IndexPartition;
  /** `skill:<required skill>` (synonyms share it: a person filed under two has the skill once) or `country`. */
  evidence: string;
}

export interface RetrievalPlan {
  evidence: EvidenceSource[];
  /** Entries read from each evidence partition. */
  perPartition: number;
  /** The pool that bounds who is considered, when asked. */
  pool?: IndexPartition;
}

export function retrievalPlan(job: MatchJob, pool?: string): RetrievalPlan {
  const skills = [...new Set(job.skills.map((skill) => skill.toLowerCase()))];
  const countries = [...new Set([...(job.location.country ? [job.location.country] : []), ...(job.location.applicantCountries ?? [])])];
  const evidence: EvidenceSource[] = [
    ...skills.flatMap((skill) => skillVariants(skill).map((value) => ({ partition: { index: 'skill' as const, value }, evidence: `skill:${skill}` }))),
    ...countries.map((value) => ({ partition: { index: 'country' as const, value }, evidence: 'country' })),
  ];
  const perPartition = evidence.length ? Math.min(RETRIEVAL.entriesPerPartition, Math.floor(RETRIEVAL.maxEntries / evidence.length)) : 0;
  return { evidence, perPartition, ...(pool ? { pool: { index: 'pool', value: pool } } : {}) };
}

/** What reading one partition gave: ids newest first, and whether it holds more than were read. */
export interface PartitionRead {
  ids: string[];
  more: boolean;
}

/**
 * The people to read and score, best evidence first (the points they may have, then the points proven, then newest),
 * at most MAX_SCORED. `capped` when
 * someone with evidence may have been left out: a partition held more than was read, or more people had evidence
 * than are scored. `newest` (everyone, newest first) fills the list when evidence finds fewer; with a pool, its
 * members are the only ones considered.
 */
export function shortlist(plan: RetrievalPlan, reads: readonly PartitionRead[], members?: PartitionRead, newest?: PartitionRead): { ids: string[]; capped: boolean } {
  const found = new Map<string, Set<string>>();
  plan.evidence.forEach((source, i) => {
    for (const id of reads[i]?.ids ?? []) found.set(id, (found.get(id) ?? new Set()).add(source.evidence));
  });
  const pointsFor = (held: ReadonlySet<string>) => {
    const skills = [...held].filter((evidence) => evidence !== 'country').length * POINTS.skill;
    return Math.min(skills, POINTS.skillMax) + (held.has('country') ? POINTS.country : 0);
  };
  const pointsOf = (id: string) => pointsFor(found.get(id) ?? new Set());
  // A partition read only in part may hold anyone it did not list: its points are possible for all (an upper bound,
  // as in threshold retrieval). Ranking by that bound keeps a rare skill's holder ahead of a crowd that has only the
  // common skills, however old their common entries are.
  const partial = new Set(plan.evidence.filter((_, i) => reads[i]?.more).map((source) => source.evidence));
  const possibleOf = (id: string) => pointsFor(new Set([...(found.get(id) ?? []), ...partial]));
  const universe = members ? members.ids : [...found.keys()];
  const ranked = [...new Set(universe)].sort((a, b) => possibleOf(b) - possibleOf(a) || pointsOf(b) - pointsOf(a) || b.localeCompare(a));
  const withEvidence = ranked.filter((id) => pointsOf(id) > 0).length;
  const ids = ranked.slice(0, RETRIEVAL.maxScored);
  if (!members) for (const id of newest?.ids ?? []) if (ids.length < RETRIEVAL.maxScored && !found.has(id)) ids.push(id);
  const capped =
    reads.some((read) => read.more) ||
    withEvidence > RETRIEVAL.maxScored ||
    (members ? members.more || members.ids.length > RETRIEVAL.maxScored : !plan.evidence.length && Boolean(newest?.more));
  return { ids, capped };
}
