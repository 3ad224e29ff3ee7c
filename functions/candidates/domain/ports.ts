import type { DomainEvent } from '../../../events/contract.ts';
import type { Page, PageRequest } from '../../../shared/http/pagination.ts';
import type { Candidate, CandidateFilter, Pool, TimelineEntry } from '../schemas.ts';

/** What the candidates domain needs from the outside world; adapters implement these, tests fake them. */
export interface Clock {
  now(): string;
}

export interface Ids {
  next(prefix: 'cand' | 'pool' | 'tp' | 'evt'): string;
}

export interface CandidateStore {
  get(id: string): Promise<Candidate | undefined>;
  /** Throws Conflict (with `existingId`) when the email is taken. */
  create(candidate: Candidate, events: DomainEvent[]): Promise<void>;
  /** Writes `next` if the stored version is still `previous.version`; otherwise throws StaleVersion. */
  replace(previous: Candidate, next: Candidate, events: DomainEvent[]): Promise<void>;
  list(filter: CandidateFilter, page: PageRequest): Promise<Page<Candidate>>;
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
