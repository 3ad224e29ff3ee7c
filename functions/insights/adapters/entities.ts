import { createHash } from 'node:crypto';
import type { Group } from '../domain/rollups.ts';

type Key = { PK: string; SK: string };

/**
 * Rollups: ANALYTICS#<group>#<shard> / <yyyy-mm-dd>#<dimension>, counters added with ADD. Each person's counters go to
 * one of SHARDS partitions (by their id), so no partition takes every write of an import or a big send; a range read
 * is one Query per shard (SK BETWEEN '<from>#' AND '<to>#\uffff'), summed. Per-job facts: ANALYTICS#job#<id>#<shard> /
 * META; the pool's running totals: ANALYTICS#pool#<shard> / STATUS#<status>, CONSENTED, LAPSE#<day>, RELATIONSHIP, COMMUNITY.
 */
export const SHARDS = 4;
export const shardOf = (key: string) => createHash('sha1').update(key).digest().readUInt32BE(0) % SHARDS;
export const shards = Array.from({ length: SHARDS }, (_, shard) => shard);
export const rollupPartition = (group: Group, shard: number) => `ANALYTICS#${group}#${shard}`;
export const rollupKey = (group: Group, shard: number, row: string): Key => ({ PK: rollupPartition(group, shard), SK: row });

/** An applied event's marker, kept two weeks (longer than EventBridge retries and the outbox relay redeliver). */
export const seenKey = (marker: string): Key => ({ PK: `ANALYTICS#SEEN#${marker}`, SK: 'SEEN' });
export const SEEN_DAYS = 14;

/** A person's milestones and attribution, in their partition so erasing them removes it. */
export const personKey = (candidateId: string): Key => ({ PK: `CAND#${candidateId}`, SK: 'ANALYTICS' });
/** Milestone flags are attributes named `f:<flag>`. */
export const FLAG_PREFIX = 'f:';

/**
 * How a person is counted in the pool's totals (status, consent expiry, creation and latest touch, community):
 * outside their partition, so the CandidateErased event still finds it after the erasure and takes them out of the
 * totals, deleting it. Holds no name, address or free text.
 */
export const memberKey = (candidateId: string): Key => ({ PK: `ANALYTICS#MEMBER#${candidateId}`, SK: 'MEMBER' });
