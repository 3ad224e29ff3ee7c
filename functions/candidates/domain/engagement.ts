/**
 * Engagement: how much a person has been doing with us lately, as one number that halves every HALF_LIFE_DAYS.
 * Each event adds its weight at the time it happened; the stored value is the score at `updatedAt`, so the value
 * now is `score × ½^(days since updatedAt / HALF_LIFE_DAYS)` with no history to re-read. docs/matching.md.
 */

export const HALF_LIFE_DAYS = 30;

/** What each kind of event adds, at the moment it happened. Machine opens never get here (campaigns filters them). */
export const engagementWeights = {
  opened: 1,
  clicked: 3,
  replied: 8,
  applied: 10,
  attended: 8,
} as const;
export type EngagementKind = keyof typeof engagementWeights;

export interface Engagement {
  /** The score at `updatedAt`. */
  score: number;
  updatedAt: string;
}

const DAY_MS = 86_400_000;
const decay = (fromIso: string, toIso: string) => 0.5 ** ((Date.parse(toIso) - Date.parse(fromIso)) / DAY_MS / HALF_LIFE_DAYS);
const round = (value: number) => Math.round(value * 10_000) / 10_000;

/** The score at `now` (0 for nobody yet); a time before `updatedAt` answers the stored score. */
export function engagementAt(engagement: Engagement | undefined, now: string): number {
  if (!engagement) return 0;
  return Date.parse(now) <= Date.parse(engagement.updatedAt) ? engagement.score : round(engagement.score * decay(engagement.updatedAt, now));
}

/**
 * Adds one event. Events arrive in any order: a later one moves `updatedAt` forward (decaying what was there), an
 * earlier one adds its weight as decayed to `updatedAt`. Either way the result equals summing every event's decayed
 * weight, so order does not change the score.
 */
export function addEngagement(engagement: Engagement | undefined, kind: EngagementKind, occurredAt: string): Engagement {
  const weight = engagementWeights[kind];
  const at = new Date(occurredAt).toISOString();
  if (!engagement) return { score: weight, updatedAt: at };
  if (Date.parse(at) >= Date.parse(engagement.updatedAt)) return { score: round(engagementAt(engagement, at) + weight), updatedAt: at };
  return { score: round(engagement.score + weight * decay(occurredAt, engagement.updatedAt)), updatedAt: engagement.updatedAt };
}
