import type { DomainEvent } from '../../../events/contract.ts';
import type { Page, PageRequest } from '../../../shared/http/pagination.ts';
import type { Application, Candidate, CandidateFilter, ImportJob, Pool, Segment, Task, TimelineEntry } from '../schemas.ts';
import type { Clock, Ids as ContextIds } from '../../../shared/ids.ts';
export type { Clock };

/** What the candidates domain needs from the outside world; adapters implement these, tests fake them. */
export type Ids = ContextIds<'cand' | 'pool' | 'tp' | 'evt' | 'imp' | 'app' | 'task' | 'seg' | 'mrg'>;

export interface CandidateStore {
  get(id: string): Promise<Candidate | undefined>;
  /** Throws Conflict (with `existingId`) when the email is taken. */
  create(candidate: Candidate, events: DomainEvent[]): Promise<void>;
  /** Writes `next` if the stored version is still `previous.version`; otherwise throws StaleVersion. */
  replace(previous: Candidate, next: Candidate, events: DomainEvent[]): Promise<void>;
  /** The profiles of those ids that exist, in any order. */
  getMany(ids: string[]): Promise<Candidate[]>;
  /**
   * Many candidates join one pool in a few writes, not one each; as `replace`, each `next` is written only if the
   * stored version is still `previous.version`. Answers the ids whose version had moved (nothing written for them).
   * Throws NotFound when the pool is gone.
   */
  joinPool(poolId: string, joins: { previous: Candidate; next: Candidate; events: DomainEvent[] }[]): Promise<string[]>;
  list(filter: CandidateFilter, page: PageRequest): Promise<Page<Candidate>>;
  /** Creates all or none; throws Conflict when any email is taken or any id exists. */
  createAll(batch: { candidate: Candidate; events: DomainEvent[] }[]): Promise<void>;
  /** Sets `lastActivityAt` if it is later than the stored one (no version change); nothing for an unknown id. */
  touch(id: string, at: string): Promise<void>;
  /** Where a merged-away candidate went. */
  tombstone(id: string): Promise<{ mergedInto: string; mergeId: string } | undefined>;
  /** The candidate holding each of these (normalised) emails. */
  idsByEmail(emails: string[]): Promise<Map<string, string>>;
}

/** People erased at their own request, recognised by a salted hash of their address (the tombstone). */
export interface ErasedPeople {
  /** Which of these addresses belong to someone erased. */
  among(emails: string[]): Promise<Set<string>>;
  /** They came back of their own accord (a sign-up, an application): the tombstone goes. */
  forget(email: string): Promise<void>;
}

export interface ImportStore {
  create(job: ImportRecord): Promise<void>;
  get(id: string): Promise<ImportRecord | undefined>;
  /**
   * Applies `changes` and adds `counts` if the job's checkpoint is still `expectedLine`; false when another run
   * got there first. Counters move only with the checkpoint, so a replayed batch is never counted twice.
   */
  advance(id: string, expectedLine: number, changes: Partial<ImportRecord>, counts?: Partial<ImportCounts>): Promise<boolean>;
  /** Records failed rows; recording the same line again overwrites it. */
  addErrors(id: string, errors: RowError[]): Promise<void>;
  errors(id: string): AsyncIterable<RowError[]>;
}

export interface ImportCounts {
  processed: number;
  created: number;
  updated: number;
  skipped: number;
  failed: number;
}

/** The job as stored: what clients see, and where processing stands. */
export interface ImportRecord extends ImportJob {
  /** Byte offset (CSV) or element index (JSON) of the next row to read. */
  offset: number;
  /** The file line (CSV) or element number (JSON) of the last row done; 0 before the first. */
  line: number;
  header?: string[];
  delimiter?: string;
}

export interface RowError {
  line: number;
  reason: string;
  /** The row as it was in the file: its CSV values, or the JSON element. */
  row: string[] | string;
}

/** A CSV row with where it ends in the file, so processing can resume right after it. */
export interface CsvRow {
  values: string[];
  line: number;
  endOffset: number;
}

export interface CsvLayout {
  header: string[];
  delimiter: string;
  /** Where the first data row starts, and on which line. */
  dataOffset: number;
  headerLine: number;
  /** Data rows in the file. */
  rows: number;
}

export interface ImportFiles {
  /** Stores a file sent in the request body. */
  put(importId: string, body: string, format: 'csv' | 'json'): Promise<void>;
  /** A presigned URL a client uploads the file to. */
  uploadUrl(importId: string, format: 'csv' | 'json', maxBytes: number): Promise<{ url: string; headers: Record<string, string>; expiresAt: string }>;
  size(importId: string): Promise<number | undefined>;
  /** Reads a CSV file's header and delimiter and counts its rows; throws ImportFileError when it cannot. */
  csvLayout(importId: string): Promise<CsvLayout>;
  csvRows(importId: string, from: { offset: number; line: number; delimiter: string }): AsyncIterable<CsvRow>;
  json(importId: string): Promise<unknown>;
  /** Deletes the file once its import completed. */
  remove(importId: string): Promise<void>;
}

/** The file as a whole cannot be imported (encoding, empty, no header…): the import fails with this message. */
export class ImportFileError extends Error {}

export interface Workflows {
  /** Starts the named workflow once per execution name; starting it again is a no-op. */
  start(workflow: string, executionName: string, input: Record<string, unknown>): Promise<void>;
}

export interface ApplicationStore {
  get(id: string): Promise<Application | undefined>;
  /**
   * Writes the application (new, or still at `previous.version`) and the candidate's profile (still at
   * `candidate.previous.version`) with the events, all or nothing; throws StaleVersion when either moved.
   */
  save(next: Application, previous: Application | undefined, candidate: { previous: Candidate; next: Candidate }, events: DomainEvent[]): Promise<void>;
}

export interface TaskStore {
  get(id: string): Promise<Task | undefined>;
  /** Creates or replaces the task (still as `previous` was), keeping its assignee and due-date index entries in step. */
  save(next: Task, previous: Task | undefined, events: DomainEvent[]): Promise<void>;
  list(query: { assignee: string; status: 'open' | 'done'; dueBefore?: string }, page: PageRequest): Promise<Page<Task>>;
  /** Open tasks due before the time, of every assignee (the daily digest). */
  dueBefore(before: string): AsyncIterable<Task[]>;
  /** Marks the digest of this day and assignee as sent; false if it already was. */
  claimDigest(day: string, assignee: string): Promise<boolean>;
  releaseDigest(day: string, assignee: string): Promise<void>;
}

export interface Mailer {
  send(message: { to: string; subject: string; text: string; html: string }): Promise<void>;
}

/** The segment as stored: with where its backfill stands. */
export interface SegmentRecord extends Segment {
  /** The candidates-list cursor the backfill continues from, and which run of it this is. */
  backfillCursor?: string;
  backfillRun?: string;
}

export interface SegmentStore {
  create(segment: SegmentRecord): Promise<void>;
  /** Creates the segment unless one with its id exists; answers whether it did (built-in segments). */
  createIfAbsent(segment: SegmentRecord): Promise<boolean>;
  get(id: string): Promise<SegmentRecord | undefined>;
  list(page: PageRequest): Promise<Page<Segment>>;
  /** Replaces the segment if it is still at `previous.version`; throws StaleVersion otherwise. */
  replace(previous: SegmentRecord, next: SegmentRecord): Promise<void>;
  /** Applies backfill progress if the run and cursor are still as expected; false when another run moved on. */
  advanceBackfill(id: string, expected: { run: string; cursor?: string }, changes: Partial<SegmentRecord>): Promise<boolean>;
  /** Every dynamic segment: what each candidate change is evaluated against. */
  dynamicSegments(): Promise<SegmentRecord[]>;
  /** Makes the candidate a member, with the count and the event, if not one yet; answers whether it changed. */
  join(segmentId: string, candidateId: string, event: DomainEvent): Promise<boolean>;
  leave(segmentId: string, candidateId: string, event: DomainEvent): Promise<boolean>;
  /** The segments a candidate is in. */
  segmentsOf(candidateId: string): Promise<Set<string>>;
  /** Which of these candidates are members of the segment. */
  membersAmong(segmentId: string, candidateIds: string[]): Promise<Set<string>>;
  members(segmentId: string, page: PageRequest): Promise<Page<Candidate>>;
  candidateCount(): Promise<number>;
}

export interface DuplicatePair {
  /** `<candidateId>~<candidateId>`, the smaller id first. */
  id: string;
  candidateIds: [string, string];
  score: number;
  reasons: string[];
  status: 'open' | 'dismissed';
  updatedAt: string;
}

export interface DuplicateStore {
  /** Other candidates filed under any of these match keys. */
  sharing(keys: string[], except: string): Promise<string[]>;
  /** Creates or refreshes a suspected pair; a dismissed pair stays dismissed. */
  upsert(pair: Omit<DuplicatePair, 'status'>): Promise<void>;
  /** Forgets an open pair that no longer matches (a dismissal is kept). */
  remove(pairId: string): Promise<void>;
  get(pairId: string): Promise<DuplicatePair | undefined>;
  dismiss(pairId: string, at: string): Promise<void>;
  listOpen(page: PageRequest): Promise<Page<DuplicatePair>>;
}

/** What pointed at the merged-away candidate and was moved to the survivor (an undo moves it back). */
export interface Moved {
  applications: string[];
  tasks: string[];
  staticSegments: string[];
  /** Static segments the survivor was already in: the merged-away membership was dropped. */
  droppedSegments: string[];
}

export interface MergeRecord {
  id: string;
  survivorId: string;
  mergedId: string;
  before: { survivor: Candidate; merged: Candidate };
  after: Candidate;
  moved: Moved;
  status: 'merged' | 'undone';
  createdAt: string;
  createdBy: string;
  undoneAt?: string;
}

export interface MergeStore {
  get(id: string): Promise<MergeRecord | undefined>;
  /** Applications and tasks of a candidate. */
  references(candidateId: string): Promise<{ applications: string[]; tasks: string[] }>;
  /**
   * Carries out a merge: moves timeline entries, applications and tasks, then in one transaction writes the
   * survivor, removes the merged-away profile behind a tombstone, re-points both email guards and pool entries,
   * and stores the merge record. Throws StaleVersion if either profile changed since it was read.
   */
  merge(record: MergeRecord, events: DomainEvent[]): Promise<void>;
  /** Moves what still points at the merged-away candidate (idempotent): finishes a merge that was interrupted. */
  finishMoves(record: MergeRecord): Promise<void>;
  /** The exact reverse, if the survivor is still as the merge left it; throws StaleVersion otherwise. */
  undo(record: MergeRecord, current: Candidate, at: string, events: DomainEvent[]): Promise<void>;
}

export interface PoolStore {
  create(pool: Pool, events: DomainEvent[]): Promise<void>;
  get(id: string): Promise<Pool | undefined>;
  list(page: PageRequest): Promise<Page<Pool>>;
}

export interface TimelineStore {
  /** Adds an entry once: adding the same entry id again is a no-op. Throws NotFound if the candidate is unknown. */
  add(entry: TimelineEntry, events: DomainEvent[]): Promise<void>;
  list(candidateId: string, page: PageRequest): Promise<Page<TimelineEntry>>;
}

/** Another writer changed the record between our read and our write. */
export class StaleVersion extends Error {
  constructor(readonly id: string) {
    super(`Candidate ${id} changed while it was being updated.`);
  }
}
