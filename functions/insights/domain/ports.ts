import type { DayRange, PoolRows, RollupRow } from './kpis.ts';
import type { Group, Plan, SubjectState } from './rollups.ts';
import type { Clock } from '../../../shared/ids.ts';
export type { Clock };

export interface AnalyticsStore {
  /** What the analytics know of a person now: profile facts, milestones, pool membership. */
  subject(candidateId: string): Promise<SubjectState>;
  /**
   * Applies a plan with its dedupe marker, all or nothing, against the state it was computed from: `duplicate` when the
   * marker exists (applied before), `conflict` when the person's milestones or membership moved, or their profile went,
   * since they were read (read again and replan). `shardKey` spreads the counters (the person's id).
   */
  apply(marker: string, shardKey: string, plan: Plan, state?: SubjectState & { candidateId: string }): Promise<'applied' | 'duplicate' | 'conflict'>;
  /** The day rows of one group within the range, over every shard. */
  rows(group: Group, range: DayRange): Promise<RollupRow[]>;
  /** The pool's running totals by row, summed over the shards. */
  pool(): Promise<PoolRows>;
  jobMeta(jobId: string): Promise<{ firstApplicationAt?: string; filledAt?: string }>;
}

/** What the reports look up by id in the contexts that own it, to answer 404 for an id that is not one. */
export interface Catalogue {
  /** When the campaign was created, or undefined when there is none. */
  campaignCreatedAt(campaignId: string): Promise<string | undefined>;
  jobExists(jobId: string): Promise<boolean>;
  hiringEventExists(hiringEventId: string): Promise<boolean>;
}

/** When a campaign email was delivered (the campaigns context's recipient record): an open within seconds of it is a prefetch. */
export interface Deliveries {
  deliveredAt(mail: { campaignId: string; candidateId: string; shard?: number; step?: number }): Promise<string | undefined>;
}

