/**
 * Keys, index attributes and (de)serialisation of the candidates context's items, in one place.
 * The access patterns they serve are listed in docs/data-model.md.
 */
import type { Application, Candidate, CandidateFilter, Pool, Task, TimelineEntry } from '../schemas.ts';
import type { ImportRecord, RowError, SegmentRecord } from '../domain/ports.ts';
import { searchable } from '../domain/candidate.ts';

export type Item = Record<string, unknown>;
export type Key = { PK: string; SK: string };

const strip = <T>(item: Item): T => {
  const { PK, SK, GSI1PK, GSI1SK, entity, expiresAt, ...rest } = item;
  return rest as T;
};

// Candidate profile: CAND#<id> / PROFILE, listed newest first in GSI1 under CANDIDATES.
export const PROFILE_SK = 'PROFILE';
export const candidateKey = (id: string): Key => ({ PK: `CAND#${id}`, SK: PROFILE_SK });
export const ALL_CANDIDATES = 'CANDIDATES';
export const candidateItem = (c: Candidate): Item => ({ ...candidateKey(c.id), GSI1PK: ALL_CANDIDATES, GSI1SK: c.id, entity: 'candidate', ...c });
export const candidateFrom = (item: Item): Candidate => {
  const candidate = strip<Candidate>(item);
  return { ...candidate, applications: candidate.applications ?? [] };
};

// Where a merged-away candidate went: CAND#<id> / MERGED, until the merge is undone.
export const tombstoneKey = (id: string): Key => ({ PK: `CAND#${id}`, SK: 'MERGED' });

// Uniqueness guard for an email, written in the same transaction as the candidate.
export const emailGuardKey = (email: string): Key => ({ PK: `EMAIL#${email}`, SK: 'EMAIL' });

/**
 * Index entries: one small item per value a candidate can be filtered by, in the candidate's own partition,
 * inverted through GSI1 so each filter is a Query (`TAG#java` → candidate ids, newest first). Pool membership
 * entries are written with the membership itself; the others are derived from the profile by the stream indexer,
 * so writing a candidate stays a small transaction.
 */
export interface IndexEntry {
  GSI1PK: string;
  GSI1SK: string;
}

export const poolEntry = (candidateId: string, poolId: string): IndexEntry => ({ GSI1PK: `POOL#${poolId}`, GSI1SK: candidateId });

export const indexEntryKey = (candidateId: string, entry: IndexEntry): Key => ({
  PK: `CAND#${candidateId}`,
  SK: `IDX#${entry.GSI1PK}#${entry.GSI1SK}`,
});
export const indexEntryItem = (candidateId: string, entry: IndexEntry): Item => ({ ...indexEntryKey(candidateId, entry), ...entry, candidateId });

export const entryId = (entry: IndexEntry) => `${entry.GSI1PK}#${entry.GSI1SK}`;

/** The index Query that narrows a filter best; the rest of the filter is checked on the candidates it returns. */
export function narrowestIndex(filter: CandidateFilter): { GSI1PK: string; prefix?: string; newestFirst: boolean } {
  if (filter.pool) return { GSI1PK: `POOL#${filter.pool}`, newestFirst: true };
  if (filter.tag) return { GSI1PK: `TAG#${filter.tag}`, newestFirst: true };
  if (filter.skill) return { GSI1PK: `SKILL#${filter.skill}`, newestFirst: true };
  const q = filter.q ? searchable(filter.q) : '';
  if (q) return { GSI1PK: `TERM#${[...q][0]}`, prefix: q, newestFirst: false };
  if (filter.country) return { GSI1PK: `COUNTRY#${filter.country}`, newestFirst: true };
  if (filter.status) return { GSI1PK: `STATUS#${filter.status}`, newestFirst: true };
  return { GSI1PK: ALL_CANDIDATES, newestFirst: true };
}

// Pool: POOL#<id> / POOL, listed newest first in GSI1 under POOLS; memberCount is kept by atomic ADD.
export const poolKey = (id: string): Key => ({ PK: `POOL#${id}`, SK: 'POOL' });
export const ALL_POOLS = 'POOLS';
export const poolItem = (p: Pool): Item => ({ ...poolKey(p.id), GSI1PK: ALL_POOLS, GSI1SK: p.id, entity: 'pool', ...p });
export const poolFrom = (item: Item): Pool => strip<Pool>(item);

// Timeline entry: in the candidate's partition, sorted by when it happened.
export const TIMELINE_PREFIX = 'TL#';
export const timelineKey = (e: Pick<TimelineEntry, 'candidateId' | 'occurredAt' | 'id'>): Key => ({
  PK: `CAND#${e.candidateId}`,
  SK: `${TIMELINE_PREFIX}${e.occurredAt}#${e.id}`,
});
export const timelineItem = (e: TimelineEntry): Item => ({ ...timelineKey(e), entity: 'timeline', ...e });
export const timelineFrom = (item: Item): TimelineEntry => strip<TimelineEntry>(item);

// Import job: IMPORT#<id> / IMPORT, with its failed rows beside it (ERR#<line>, in line order).
export const importKey = (id: string): Key => ({ PK: `IMPORT#${id}`, SK: 'IMPORT' });
export const importItem = (job: ImportRecord): Item => ({ ...importKey(job.id), entity: 'import', ...job });
export const importFrom = (item: Item): ImportRecord => strip<ImportRecord>(item);
export const IMPORT_ERROR_PREFIX = 'ERR#';
/** Failed rows hold what the file said about people who are not candidates: kept 30 days to fix and re-import. */
const IMPORT_ERROR_DAYS = 30;
export const importErrorItem = (importId: string, error: RowError): Item => ({
  PK: `IMPORT#${importId}`,
  SK: `${IMPORT_ERROR_PREFIX}${String(error.line).padStart(10, '0')}`,
  entity: 'import-error',
  ...error,
  expiresAt: Math.floor(Date.now() / 1000) + IMPORT_ERROR_DAYS * 86_400,
});

// Application: APP#<id> / APPLICATION, listed per candidate (newest first) through GSI1.
export const applicationKey = (id: string): Key => ({ PK: `APP#${id}`, SK: 'APPLICATION' });
export const applicationItem = (a: Application): Item => ({ ...applicationKey(a.id), GSI1PK: `CANDAPPS#${a.candidateId}`, GSI1SK: a.id, entity: 'application', ...a });
export const applicationFrom = (item: Item): Application => strip<Application>(item);

// Task: TASK#<id> / TASK, in GSI1 by due date among all open tasks (the digest); a second item, TASK#<id> / BY,
// puts it in GSI1 under its assignee and status, by due date (GET /tasks).
export const taskKey = (id: string): Key => ({ PK: `TASK#${id}`, SK: 'TASK' });
export const taskByAssigneeKey = (id: string): Key => ({ PK: `TASK#${id}`, SK: 'BY' });
export const OPEN_TASKS = 'TASKS#open';
export const assigneePartition = (assignee: string, status: Task['status']) => `ASSIGNEE#${assignee}#${status}`;
export const taskItem = (t: Task): Item => ({
  ...taskKey(t.id),
  ...(t.status === 'open' ? { GSI1PK: OPEN_TASKS, GSI1SK: `${t.dueAt}#${t.id}` } : {}),
  entity: 'task',
  ...t,
});
export const taskByAssigneeItem = (t: Task): Item => ({ ...taskByAssigneeKey(t.id), GSI1PK: assigneePartition(t.assignee, t.status), GSI1SK: `${t.dueAt}#${t.id}`, taskId: t.id });
export const taskFrom = (item: Item): Task => strip<Task>(item);
export const digestKey = (day: string, assignee: string): Key => ({ PK: `DIGEST#${day}`, SK: assignee });

// Segment: SEG#<id> / SEGMENT, listed newest first in GSI1 under SEGMENTS. Its members sit in its partition
// (MEMBER#<candidateId>), and each is in GSI1 under the candidate (CANDSEGS#<candidateId>): a candidate's segments.
export const segmentKey = (id: string): Key => ({ PK: `SEG#${id}`, SK: 'SEGMENT' });
export const ALL_SEGMENTS = 'SEGMENTS';
export const segmentItem = (s: SegmentRecord): Item => ({ ...segmentKey(s.id), GSI1PK: ALL_SEGMENTS, GSI1SK: s.id, entity: 'segment', ...s });
export const segmentFrom = (item: Item): SegmentRecord => strip<SegmentRecord>(item);
export const MEMBER_PREFIX = 'MEMBER#';
export const memberKey = (segmentId: string, candidateId: string): Key => ({ PK: `SEG#${segmentId}`, SK: `${MEMBER_PREFIX}${candidateId}` });
export const memberItem = (segmentId: string, candidateId: string): Item => ({
  ...memberKey(segmentId, candidateId),
  GSI1PK: `CANDSEGS#${candidateId}`,
  GSI1SK: segmentId,
  entity: 'segment-member',
  segmentId,
  candidateId,
});

// How many candidates there are: moved in the same transactions that create and remove them.
export const candidateCountKey = (): Key => ({ PK: 'STATS', SK: 'CANDIDATES' });

// Suspected duplicate pair: DUP#<a>~<b> / PAIR, in GSI1 under DUPLICATES#<status>, surest first.
export const pairKey = (id: string): Key => ({ PK: `DUP#${id}`, SK: 'PAIR' });
export const pairPartition = (status: 'open' | 'dismissed') => `DUPLICATES#${status}`;
export const pairRank = (score: number, id: string) => `${String(100 - score).padStart(3, '0')}#${id}`;

// A candidate's tasks, found from the candidate: CAND#<id> / TASKREF#<taskId>.
export const TASKREF_PREFIX = 'TASKREF#';
export const taskRefKey = (candidateId: string, taskId: string): Key => ({ PK: `CAND#${candidateId}`, SK: `${TASKREF_PREFIX}${taskId}` });

// Merge record: MERGE#<id> / MERGE, kept 30 days for undo.
export const mergeKey = (id: string): Key => ({ PK: `MERGE#${id}`, SK: 'MERGE' });
