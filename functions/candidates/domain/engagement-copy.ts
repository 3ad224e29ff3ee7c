import type { Candidate } from '../schemas.ts';
import type { Rule } from './segment-rule.ts';

/**
 * The profile carries a copy of the engagement score (`engagement`) so lists, segment rules and matching read one
 * item per person; the truth is CAND#<id> / ENGAGEMENT, written only by the engagement consumer (docs/matching.md).
 * Every copy change is a profile change on the table's stream; these decide what the profile indexer does with it.
 */

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const withoutCopy = ({ engagement, ...rest }: Candidate) => rest;

/**
 * Whether only the copy moved (the consumer's write): then the index entries and duplicate pairs cannot have
 * changed, and only segments whose rule reads the score need evaluating.
 */
export function onlyEngagementChanged(before: Candidate | undefined, after: Candidate | undefined): boolean {
  return Boolean(before && after) && !same(before!.engagement, after!.engagement) && same(withoutCopy(before!), withoutCopy(after!));
}

/**
 * Whether a profile write put back another copy along with its own changes: a read-modify-write of the profile
 * (an edit, a tag, a consent) that raced the consumer writes the copy it read, which is older. The truth must
 * then be copied again.
 */
export function engagementCopyOverwritten(before: Candidate | undefined, after: Candidate | undefined): boolean {
  return Boolean(before && after) && !same(before!.engagement, after!.engagement) && !same(withoutCopy(before!), withoutCopy(after!));
}

/** Whether a segment rule reads the engagement score. */
export function readsEngagement(rule: Rule): boolean {
  if ('all' in rule) return rule.all.some(readsEngagement);
  if ('any' in rule) return rule.any.some(readsEngagement);
  if ('not' in rule) return readsEngagement(rule.not);
  return rule.field === 'engagementScore';
}
