import type { DomainEvent } from '../../../events/contract.ts';
import type { Page, PageRequest } from '../../../shared/http/pagination.ts';
import type { TokenClaims } from '../../../shared/tokens.ts';
import type { Audience, Campaign, CampaignStats, Enrollment, Preferences, Recipient, RecipientStatus, SkipReason, Suppression, Template } from '../schemas.ts';
import type { Clock, Ids as ContextIds } from '../../../shared/ids.ts';
export type { Clock };

export type CampaignRecord = Campaign;

/** What the campaigns domain needs from the outside world; adapters implement these, tests fake them. */
export type Ids = ContextIds<'tpl' | 'camp' | 'evt'>;

export interface TemplateStore {
  get(id: string): Promise<Template | undefined>;
  create(template: Template): Promise<void>;
  /** Writes `next` if the stored version is still `expectedVersion`; otherwise PreconditionFailed. */
  replace(next: Template, expectedVersion: number): Promise<void>;
  list(page: PageRequest): Promise<Page<Template>>;
}

/** A recipient as stored: what clients see, plus the send bookkeeping. */
export interface RecipientRecord extends Recipient {
  shard: number;
  /** The send attempt that claimed it: a retried attempt recognises claims of the one that crashed. */
  claimToken?: string;
  /** When that attempt claimed it: another attempt takes the claim over only once it is surely over. */
  claimedAt?: string;
}

/** What one send attempt decided for a claimed recipient. */
export type SendOutcome =
  | { candidateId: string; step?: number; status: 'sent'; messageId: string; email: string; at: string; scheduledAt?: string }
  | { candidateId: string; step?: number; status: 'skipped'; skipReason: SkipReason; email?: string; at: string }
  | { candidateId: string; step?: number; status: 'failed'; detail: string; email?: string; at: string };

/** A change the tracking consumer makes to a recipient: at most once, guarded by the field it sets first. */
export interface TrackingChange {
  /** Set only if not yet set: the guard that makes a redelivered event a no-op. */
  firstField: keyof Recipient;
  at: string;
  /** The new status when it ranks above the stored one. */
  status?: RecipientStatus;
  expectedStatus: RecipientStatus;
  extra?: Partial<Recipient>;
  counters: Record<string, number>;
  events: DomainEvent[];
}

export interface CampaignStore {
  get(id: string): Promise<CampaignRecord | undefined>;
  create(campaign: CampaignRecord): Promise<void>;
  /** Writes `next` if the stored version is still `expectedVersion`; otherwise PreconditionFailed. */
  save(next: CampaignRecord, expectedVersion: number, events?: DomainEvent[]): Promise<void>;
  list(page: PageRequest): Promise<Page<CampaignRecord>>;
  /** Running or paused drips whose audience is this segment. */
  dripsForSegment(segmentId: string): Promise<CampaignRecord[]>;

  /** Where planning (one-shot) or enrolling (drip) the audience stands: the last member done, and whether all are. */
  planState(campaignId: string): Promise<{ cursor?: string; done: boolean; planned: number }>;
  /**
   * Adds planned recipients (none for a drip) and moves the checkpoint from `from` to `to` (undefined: all done), if
   * it is still at `from`; false when a retry got there first. The targeted counter moves with it.
   */
  plan(campaignId: string, recipients: { candidateId: string; shard: number }[], from: string | undefined, to: string | undefined): Promise<boolean>;
  /** The next recipients of a shard after a sort key, in key order. */
  shardPage(campaignId: string, shard: number, after: string | undefined, limit: number): Promise<{ recipients: RecipientRecord[]; last?: string }>;
  /**
   * Claims a pending recipient, or takes over the claim of an attempt that is over (`recipient.claimToken`), stamping
   * the claim with `at`; false when it is not there to claim.
   */
  claim(recipient: RecipientRecord, token: string, at: string): Promise<boolean>;
  /** Creates and claims a drip step's recipient, stamped with `at`; false when the step was already claimed by another attempt. */
  claimStep(recipient: RecipientRecord, token: string, at: string): Promise<boolean>;
  /**
   * Writes the message ids SES gave, on the recipients this attempt claimed, right after the call: whatever fails
   * later, a retry knows these were sent.
   */
  recordSent(campaignId: string, shard: number, token: string, sent: { candidateId: string; step?: number; messageId: string }[]): Promise<void>;
  /**
   * Gives up claims this attempt sent nothing for (SES was not called, or refused the whole call): it clears their
   * claim time, and a claim without one may be taken over at once.
   */
  release(campaignId: string, shard: number, token: string, recipients: { candidateId: string; step?: number }[]): Promise<void>;
  /** Records what happened to claimed recipients and counts it, all at once. */
  settle(campaignId: string, shard: number, token: string, outcomes: SendOutcome[]): Promise<void>;

  recipient(campaignId: string, shard: number, candidateId: string, step?: number): Promise<RecipientRecord | undefined>;
  /** Applies a tracking change; false when it was applied before (or the status moved meanwhile: read and retry). */
  track(recipient: RecipientRecord, change: TrackingChange): Promise<'applied' | 'duplicate' | 'moved'>;
  /** A candidate's campaign emails sent since a time, newest first. */
  mailsOf(candidateId: string, since: string): Promise<RecipientRecord[]>;
  stats(campaignId: string): Promise<CampaignStats>;
  recipients(campaignId: string, status: RecipientStatus | undefined, page: PageRequest): Promise<Page<Recipient>>;

  /** Publishes events that go with no other write (through the outbox). */
  publish(events: DomainEvent[]): Promise<void>;

  enroll(enrollment: Enrollment): Promise<boolean>;
  enrollment(campaignId: string, candidateId: string): Promise<Enrollment | undefined>;
  /** Saves an enrollment if its state and step are still those of `previous`. */
  saveEnrollment(next: Enrollment, previous: Enrollment): Promise<boolean>;
  enrollments(campaignId: string, page: PageRequest): Promise<Page<Enrollment>>;
  enrollmentsOf(candidateId: string): Promise<Enrollment[]>;
}

/** Everything sending needs to know about a candidate, read fresh at send time. */
export interface Contact {
  candidateId: string;
  /** Absent when the candidate no longer exists (erased or merged away). */
  profile?: {
    email: string;
    firstName?: string;
    lastName?: string;
    headline?: string;
    company?: string;
    city?: string;
    country?: string;
    timezone?: string;
    status: string;
    skills: string[];
    consents: { purpose: string; granted: boolean; recordedAt: string; expiresAt?: string }[];
    /** For the job suggestions' score. */
    experienceYears?: number;
  };
  suppressed?: Suppression['reason'];
  preferences?: Preferences;
  /** The last campaign email, kept only for people who asked for fewer emails. */
  lastEmailedAt?: string;
}

export interface Audiences {
  /** A page of the audience's candidate ids, in a stable order. */
  page(audience: Audience, after: string | undefined, limit: number): Promise<{ candidateIds: string[]; last?: string }>;
  isMember(audience: Audience, candidateId: string): Promise<boolean>;
  contacts(candidateIds: string[]): Promise<Map<string, Contact>>;
  /** The candidate holding this address, if any. */
  candidateByEmail(email: string): Promise<string | undefined>;
}

export interface OpenJob {
  title: string;
  url: string;
  skills: string[];
  country?: string;
  city?: string;
  remote?: boolean;
  /** What the matching score reads besides (functions/candidates/domain/matching.ts). */
  id?: string;
  description?: string;
  locationType?: 'onsite' | 'hybrid' | 'remote';
  applicantCountries?: string[];
}
export interface JobBoard {
  openJobs(): Promise<OpenJob[]>;
}

export interface OutgoingEmail {
  to: string;
  subject: string;
  html: string;
  text: string;
  headers: Record<string, string>;
  replyTo: string;
  tags: Record<string, string>;
}
export interface Mailer {
  /** Up to 50 messages in one call; a result per message, in order. Throws `Throttled` when SES says slow down. */
  sendBulk(messages: OutgoingEmail[]): Promise<({ messageId: string } | { error: string })[]>;
}
export class Throttled extends Error {
  override name = 'Throttled';
}

export interface Signer {
  sign(claims: Omit<TokenClaims, 'exp'>, days: number): Promise<string>;
  verify(token: string, use: TokenClaims['use']): Promise<TokenClaims | undefined>;
  /** The short token of a plus-addressed reply address. */
  signReply(candidateId: string, campaignId: string | undefined): Promise<string>;
  verifyReply(token: string): Promise<{ candidateId: string; campaignId?: string } | undefined>;
}

export interface Links {
  /** Public API base URL (unsubscribe and preference pages). */
  api: string;
  /** Domain of plus-addressed reply addresses (`reply+<token>@domain`). */
  replyDomain: string;
}

export interface SuppressionStore {
  get(email: string): Promise<Suppression | undefined>;
  /** Adds or keeps an existing suppression (the first reason stays). */
  add(suppression: Suppression): Promise<boolean>;
  remove(email: string): Promise<boolean>;
  list(page: PageRequest): Promise<Page<Suppression>>;
}

export interface PreferenceStore {
  get(candidateId: string): Promise<Preferences | undefined>;
  save(candidateId: string, preferences: Preferences, at: string): Promise<void>;
  /** Remembers when they were last emailed (for a frequency limit). */
  touch(candidateIds: string[], at: string): Promise<void>;
}

export interface Workflows {
  start(workflow: string, executionName: string, input: Record<string, unknown>): Promise<void>;
}

