import type { Group } from '../domain/rollups.ts';

type Key = { PK: string; SK: string };

/**
 * Rollups: ANALYTICS#<group> / <yyyy-mm-dd>#<dimension>, counters added with ADD; a range read is one Query per group
 * (SK BETWEEN '<from>#' AND '<to>#\uffff'). Per-job facts: ANALYTICS#job#<id> / META; the pool: ANALYTICS#pool / STATUS#<status>.
 */
export const rollupKey = (group: Group, row: string): Key => ({ PK: `ANALYTICS#${group}`, SK: row });
export const groupPartition = (group: Group) => `ANALYTICS#${group}`;

/** An applied event's marker, kept two weeks (longer than EventBridge retries and the outbox relay redeliver). */
export const seenKey = (eventId: string): Key => ({ PK: `ANALYTICS#SEEN#${eventId}`, SK: 'SEEN' });
export const SEEN_DAYS = 14;

/** A person's milestones and attribution, in their partition so erasing them removes it. */
export const personKey = (candidateId: string): Key => ({ PK: `CAND#${candidateId}`, SK: 'ANALYTICS' });
/** Milestone flags are attributes named `f:<flag>`. */
export const FLAG_PREFIX = 'f:';
