import type { DomainEvent } from '../../../events/contract.ts';
import type { Page, PageRequest } from '../../../shared/http/pagination.ts';
import type { Candidate } from '../../candidates/schemas.ts';
import type { Survey, TriggerKind } from '../survey-schemas.ts';
import type { Clock, Ids as ContextIds } from '../../../shared/ids.ts';
export type { Clock };

/** What the surveys domain needs from the outside world; adapters implement these, tests fake them. */
export type Ids = ContextIds<'srv' | 'sinv' | 'evt'>;

export { StaleVersion } from '../../../shared/versioned.ts';

/** A survey as stored: the resource without its counters (they move on their own). */
export type SurveyRecord = Omit<Survey, 'sent' | 'responses'>;

export interface SurveyCounters {
  sent: number;
  responses: number;
  failed: number;
  skipped: Record<string, number>;
}

export type AnswerValue = number | string;

/** One person's answers to one invitation, as the results read them. */
export interface SurveyResponse {
  invitationId: string;
  candidateId: string;
  trigger: string;
  answeredAt: string;
  answers: Record<string, AnswerValue>;
}

export interface SurveyStore {
  create(survey: SurveyRecord): Promise<void>;
  get(id: string): Promise<{ survey: SurveyRecord; counters: SurveyCounters } | undefined>;
  list(page: PageRequest): Promise<Page<{ survey: SurveyRecord; counters: SurveyCounters }>>;
  /** Writes the editable fields of `next` if the stored version is still `previous.version` (StaleVersion otherwise); counters stay. */
  replace(previous: SurveyRecord, next: SurveyRecord, events: DomainEvent[]): Promise<void>;
  /** Active surveys sent by this trigger. */
  triggeredBy(kind: TriggerKind): Promise<SurveyRecord[]>;
}

export type SkipReason = 'paused' | 'no-address' | 'do-not-contact' | 'objected' | 'suppressed';

/**
 * One invitation of one person to one survey for one trigger subject (the application, the hiring event, or
 * `manual`): there is never a second, so nobody is asked twice about the same thing.
 */
export interface Invitation {
  id: string;
  surveyId: string;
  candidateId: string;
  subject: string;
  trigger: TriggerKind;
  status: 'claimed' | 'sent' | 'skipped' | 'failed';
  /** The attempt sending it, while it is claimed. */
  claimToken?: string;
  skipReason?: SkipReason;
  detail?: string;
  createdAt: string;
  sentAt?: string;
  failedAt?: string;
  answeredAt?: string;
  answers?: Record<string, AnswerValue>;
}

export type InvitationKey = Pick<Invitation, 'candidateId' | 'surveyId' | 'subject'>;

/**
 * Invitations live in the person's partition (erasure and export find them there), each write conditional on the
 * profile still being there, so nothing is written for someone erased meanwhile. Every outcome moves the survey's
 * counters in the same transaction, once.
 */
export interface InvitationStore {
  get(key: InvitationKey): Promise<Invitation | undefined>;
  /** The invitation a link names. */
  byId(id: string): Promise<Invitation | undefined>;
  /** Which of these people already have an invitation for this subject. */
  invited(surveyId: string, subject: string, candidateIds: string[]): Promise<Set<string>>;
  /** Records a skipped invitation (counted under its reason); false when one exists or the person is gone. */
  skip(invitation: Invitation): Promise<boolean>;
  /** Claims the send for `attempt`; false when an invitation exists or the person is gone. */
  claim(invitation: Invitation): Promise<boolean>;
  /** Gives back a claim whose email certainly did not go out, so a retry may send. */
  release(key: InvitationKey, attempt: string): Promise<void>;
  /** Marks the claimed invitation sent and counts it. */
  sent(key: InvitationKey, attempt: string, at: string): Promise<void>;
  /** Records that sending failed (creating the invitation if the failure came before the claim); counted once. */
  failed(invitation: Invitation): Promise<void>;
  /** Stores the answers once, counts the response and publishes the events; false when already answered or the person is gone. */
  answer(invitation: Invitation, answers: Record<string, AnswerValue>, at: string, events: DomainEvent[]): Promise<boolean>;
  /** Every answered invitation of the survey. */
  responses(surveyId: string): Promise<SurveyResponse[]>;
}

/** The person as a send needs them: who to write to and whether they may be written to. */
export type Recipient = Pick<Candidate, 'id' | 'email' | 'firstName' | 'status' | 'consents'>;

export interface People {
  get(candidateId: string): Promise<Recipient | undefined>;
  /** Which of these ids are people on file. */
  existing(candidateIds: string[]): Promise<Set<string>>;
}

export type { Mailer } from './ports.ts';

/** Signs and checks the survey links: a token names an invitation and expires. */
export interface LinkSigner {
  sign(invitationId: string, days: number): Promise<string>;
  verify(token: string): Promise<string | undefined>;
}

export interface Workflows {
  start(workflow: string, executionName: string, input: Record<string, unknown>): Promise<void>;
}

export interface Organisation {
  name: string;
  url: string;
}
