import type { DomainEvent } from '../../../events/contract.ts';
import type { Page, PageRequest } from '../../../shared/http/pagination.ts';
import type { Audience } from '../../campaigns/schemas.ts';
import type { HiringEvent, Invitation, RsvpStatus } from '../schemas.ts';
import type { Clock, Ids as ContextIds } from '../../../shared/ids.ts';
export type { Clock };

/** What the engagement domain needs from the outside world; adapters implement these, tests fake them. */
export type Ids = ContextIds<'hev' | 'rsvp' | 'evt' | 'mail'>;

export { StaleVersion } from '../../../shared/versioned.ts';

/** A hiring event as stored: `completed` is derived on read, the URL is added on read. */
export interface StoredEvent extends Omit<HiringEvent, 'status' | 'rsvpUrl'> {
  status: 'scheduled' | 'cancelled';
  /** The reminder workflow execution that follows the current start time. */
  remindersRun?: string;
}

export interface EventStore {
  get(id: string): Promise<StoredEvent | undefined>;
  create(event: StoredEvent, events: DomainEvent[]): Promise<void>;
  /**
   * Writes the editable fields of `next` if the stored version is still `previous.version` and the seats taken
   * still fit a new capacity (StaleVersion otherwise); the counters are never written here.
   */
  replace(previous: StoredEvent, next: StoredEvent, events: DomainEvent[]): Promise<void>;
  /** By start time, earliest first. */
  list(range: { from?: string; to?: string }, page: PageRequest): Promise<Page<StoredEvent>>;
  addInvitation(eventId: string, invitation: Invitation): Promise<void>;
}

/** One person's answer to one event (or their walk-in), kept in the person's own partition. */
export interface RsvpRecord {
  id: string;
  eventId: string;
  candidateId: string;
  status: RsvpStatus;
  createdAt: string;
  updatedAt: string;
  confirmedAt?: string;
  cancelledAt?: string;
  attendedAt?: string;
}

/** What a conditional RSVP write found. */
export type ReserveOutcome = 'reserved' | 'exists' | 'unavailable';
export type CancelOutcome = 'cancelled' | 'stale';

export type MailKind = 'confirmed' | 'waitlisted' | 'event-cancelled' | 'repeat';

export interface RsvpStore {
  find(eventId: string, candidateId: string): Promise<RsvpRecord | undefined>;
  byId(id: string): Promise<RsvpRecord | undefined>;
  /**
   * Stores a new RSVP (or `renews` the person's cancelled one, keeping its id) and counts it on the event in one
   * transaction. A confirmed one takes a seat only while one is free and nobody waits; either kind only while the event is scheduled
   * and has not ended at `now` (else `unavailable`); `exists` when the person has one (not cancelled) already.
   */
  reserve(rsvp: RsvpRecord, now: string, events: DomainEvent[], renews?: boolean): Promise<ReserveOutcome>;
  /**
   * Notes that the form was sent again for this RSVP (still in its status) and publishes `events` with it, unless that
   * happened within the last `since`: false then, and nothing is written. Gives back the `repeat` email claim.
   */
  repeat(rsvp: RsvpRecord, now: string, since: string, events: DomainEvent[]): Promise<boolean>;
  /**
   * Cancels the RSVP (still in the status it was read in) and, when `promote` is given, moves that waitlisted
   * person into the seat, all in one transaction; `stale` when either moved meanwhile.
   */
  cancel(rsvp: RsvpRecord, promote: RsvpRecord | undefined, now: string, events: DomainEvent[]): Promise<CancelOutcome>;
  /** Moves a waitlisted person into a free seat of a scheduled event not yet started; false when there is none or they moved. */
  promote(rsvp: RsvpRecord, now: string, events: DomainEvent[]): Promise<boolean>;
  /** The longest-waiting person, if any. */
  firstWaitlisted(eventId: string): Promise<RsvpRecord | undefined>;
  /**
   * Records the check-in once, with the RSVP as given: a new walk-in record when `from` is undefined (there was no
   * RSVP), else the RSVP still in status `from`, moved to `rsvp.status` (leaving the waitlist's count when it was
   * waitlisted). False when already checked in or the RSVP moved meanwhile.
   */
  checkIn(rsvp: RsvpRecord, from: RsvpStatus | undefined, now: string, events: DomainEvent[]): Promise<boolean>;
  list(eventId: string, status: RsvpStatus | undefined, page: PageRequest): Promise<Page<RsvpRecord>>;
  /** Every RSVP of the event in these statuses, a page at a time. */
  each(eventId: string, statuses: RsvpStatus[]): AsyncIterable<RsvpRecord[]>;
  /** Claims a reminder for an RSVP still confirmed, once per start time: false when sent before or no longer due. */
  claimReminder(rsvp: RsvpRecord, reminder: string, startsAt: string): Promise<boolean>;
  /** Gives back a reminder claim whose email certainly did not go out, if it is still the claim for `startsAt`. */
  releaseReminder(rsvp: RsvpRecord, reminder: string, startsAt: string): Promise<void>;
  /** Claims one kind of email for an RSVP once, as `claim`: false when it was claimed before. */
  claimMail(rsvp: RsvpRecord, kind: MailKind, claim: string): Promise<boolean>;
  /** Gives back a claim whose email certainly did not go out, if it is still this `claim` (not a later one). */
  releaseMail(rsvp: RsvpRecord, kind: MailKind, claim: string): Promise<void>;
  /** Claims the "event changed" email of an RSVP still confirmed for this version of the event: false when one went out for it or a later one. */
  claimUpdate(rsvp: RsvpRecord, version: number): Promise<boolean>;
  /** Gives back that claim (the email certainly did not go out), if it is still the claim for `version`. */
  releaseUpdate(rsvp: RsvpRecord, version: number): Promise<void>;
}

export interface Contact {
  email: string;
  firstName?: string;
  lastName?: string;
}

/** People in the talent pool, as the candidates context takes them in. */
export interface People {
  /** A public RSVP: the person by address, created when new; an existing profile or its consents never change. */
  register(input: { email: string; firstName: string; lastName: string; eventTitle: string }): Promise<string>;
  /** A walk-in a recruiter checks in by address: found, or added to the pool. */
  walkIn(input: { email: string; firstName?: string; lastName?: string; eventTitle: string }, actor: string): Promise<string>;
  exists(candidateId: string): Promise<boolean>;
  /** Current addresses and names; erased people are missing. */
  contacts(candidateIds: string[]): Promise<Map<string, Contact>>;
}

export interface Attachment {
  fileName: string;
  contentType: string;
  content: string;
}
export interface Mailer {
  send(message: { to: string; subject: string; text: string; html: string; attachments?: Attachment[] }): Promise<void>;
}

/** Signed RSVP links (`v` record tokens). */
export interface RsvpLinks {
  sign(rsvpId: string, days: number): Promise<string>;
  verify(token: string): Promise<string | undefined>;
}

/**
 * The per-event reminder workflow. A run is never stopped from outside: when it wakes and finds the event cancelled
 * or moved, it ends without sending (a waiting Standard execution costs nothing).
 */
export interface ReminderRuns {
  start(run: string, input: ReminderInput): Promise<void>;
}

export interface ReminderInput {
  eventId: string;
  /** The start time the run follows: when the event moves, the run ends without sending. */
  startsAt: string;
  reminder: 'day-before' | 'hour-before';
  remindAt: string;
}

/** The campaigns context's own services: invitations go out as a one-shot campaign. */
export interface Campaigns {
  template(id: string): Promise<{ name: string; subject: string; html: string; text?: string } | undefined>;
  createTemplate(source: { name: string; subject: string; html: string; text?: string }): Promise<{ id: string }>;
  /** Creates and launches a one-shot campaign on the `events` topic. */
  sendOneShot(input: { name: string; audience: Audience; templateId: string; timeZone: string; sendAt?: string }, actor: string): Promise<{ id: string; status: string }>;
}

export interface Organiser {
  name: string;
  email: string;
}
