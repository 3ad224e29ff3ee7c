import type { CampaignCounts, DayRange, RollupRow } from './kpis.ts';
import type { Group, PersonState, Plan } from './rollups.ts';

export interface AnalyticsStore {
  /** What the rollups know of a person (an empty state when nothing yet). */
  person(candidateId: string): Promise<PersonState>;
  /**
   * Applies a plan with the event's dedupe marker, all or nothing: `duplicate` when the event was applied before,
   * `conflict` when another event set one of the plan's milestones first (recompute and try again).
   */
  apply(eventId: string, candidateId: string, plan: Plan): Promise<'applied' | 'duplicate' | 'conflict'>;
  /** The day rows of one group within the range: one Query. */
  rows(group: Group, range: DayRange): Promise<RollupRow[]>;
  /** Running totals of the pool by candidate status. */
  pool(): Promise<Record<string, number>>;
  jobMeta(jobId: string): Promise<{ firstApplicationAt?: string; filledAt?: string }>;
}

/** The campaigns context's counters (its own stats items), read through its adapter. */
export interface CampaignCounters {
  exists(campaignId: string): Promise<boolean>;
  stats(campaignId: string): Promise<CampaignCounts>;
}

export interface Clock {
  now(): string;
}
