import type { DomainEvent } from '../../../events/contract.ts';
import type { Page, PageRequest } from '../../../shared/http/pagination.ts';
import type { Job, Site } from '../schemas.ts';
import type { Clock, Ids as ContextIds } from '../../../shared/ids.ts';
export type { Clock };

/** What the syndication domain needs from the outside world; adapters implement these, tests fake them. */
export type Ids = ContextIds<'job' | 'site' | 'sgn' | 'app' | 'evt'>;

export { StaleVersion } from '../../../shared/versioned.ts';

export interface JobStore {
  get(id: string): Promise<Job | undefined>;
  /** Writes the job with its slug and requisition guards; Conflict naming the field when either is taken. */
  create(job: Job, events: DomainEvent[]): Promise<void>;
  /** Writes `next` if the stored version is still `previous.version` (StaleVersion otherwise), moving the requisition guard if it changed. */
  replace(previous: Job, next: Job, events: DomainEvent[]): Promise<void>;
  list(status: Job['status'] | undefined, page: PageRequest): Promise<Page<Job>>;
  /** Every open job, oldest first. */
  open(): Promise<Job[]>;
  /** A counter every job and site write increases: regeneration repeats until it stops moving. */
  changes(): Promise<number>;
}

export interface SiteStore {
  get(id: string): Promise<Site | undefined>;
  bySlug(slug: string): Promise<Site | undefined>;
  create(site: Site, events: DomainEvent[]): Promise<void>;
  replace(previous: Site, next: Site, events: DomainEvent[]): Promise<void>;
  list(page: PageRequest): Promise<Page<Site>>;
  published(): Promise<Site[]>;
}

/** The public bucket behind the CDN: static files, and their cached copies dropped after a change. */
export interface SiteFiles {
  put(key: string, body: string, contentType: string): Promise<void>;
  invalidate(paths: string[]): Promise<void>;
}

export interface PendingSignup {
  id: string;
  siteId: string;
  email: string;
  firstName: string;
  lastName: string;
  profile: Record<string, unknown>;
  utm?: Record<string, string>;
  createdAt: string;
}

export interface SignupStore {
  /** Stores the pending sign-up; false (nothing stored) when the same address signed up to the site within the hour. */
  save(signup: PendingSignup, expiresAt: string): Promise<boolean>;
  /** The pending sign-up, unless it expired or was confirmed already (then `done` with whom it made). */
  claim(id: string): Promise<{ signup: PendingSignup } | { done: true } | undefined>;
  finish(id: string, candidateId: string, events: DomainEvent[]): Promise<void>;
}

export interface Mailer {
  send(message: { to: string; subject: string; text: string; html: string }): Promise<void>;
}

export interface Organisation {
  name: string;
  url: string;
  logoUrl?: string;
}
