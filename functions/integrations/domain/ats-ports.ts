import type { Page, PageRequest } from '../../../shared/http/pagination.ts';
import type { ApplicationService } from '../../candidates/domain/application-service.ts';
import type { CandidateService } from '../../candidates/domain/candidate-service.ts';
import type { AtsConnection, AtsEventResult } from '../ats-schemas.ts';
import type { Clock, Ids as ContextIds } from '../../../shared/ids.ts';
export type { Clock };

/** What the ATS flow needs from the outside world; adapters implement these, tests fake them. */

/** A connection as stored: its secrets sealed (shared/signing.ts), never in an answer. */
export interface AtsConnectionRecord extends Omit<AtsConnection, 'url' | 'usesSignatureTokens' | 'previousSecretValidUntil'> {
  sealedSecret: string;
  /** The secret before the last rotation, still accepted until `previousSecretValidUntil`. */
  previousSealedSecret?: string;
  previousSecretValidUntil?: string;
  /** Lever's own signature tokens, when the admin gave them. */
  sealedSignatureTokens?: string[];
}

export interface AtsConnectionStore {
  create(connection: AtsConnectionRecord): Promise<void>;
  get(id: string): Promise<AtsConnectionRecord | undefined>;
  list(page: PageRequest): Promise<Page<AtsConnectionRecord>>;
  /** Writes `next` if the stored version is still `previous.version`; otherwise throws StaleVersion. */
  replace(previous: AtsConnectionRecord, next: AtsConnectionRecord): Promise<void>;
}

export { StaleVersion } from '../../../shared/versioned.ts';

/** The result of each event a connection received, by the ATS's event id: the dedupe record. */
export interface AtsEventLog {
  get(connectionId: string, eventId: string): Promise<AtsEventResult | undefined>;
  /** Records the result unless one is recorded already; answers the one recorded first. */
  record(connectionId: string, result: AtsEventResult, at: string): Promise<AtsEventResult>;
}

/** Who is who across the ATS and us: a person's id there, and each of their applications there. */
export interface AtsLinks {
  /** The candidates linked to the ATS's id of a person (one, unless a merge left the merged-away one behind). */
  holders(connectionId: string, externalId: string): Promise<string[]>;
  link(candidateId: string, connectionId: string, externalId: string, at: string): Promise<void>;
  unlink(candidateId: string, connectionId: string, externalId: string): Promise<void>;
  /** The application the ATS's application id was claimed for in this candidate's records. */
  claimed(candidateId: string, connectionId: string, externalApplicationId: string): Promise<string | undefined>;
  /**
   * Claims the ATS's application for `proposedId` (the first claim wins and is answered) and, when `at` is given,
   * moves its last-applied time to `at`; nothing (stale) when an event later than `at` was applied already.
   */
  claim(candidateId: string, connectionId: string, externalApplicationId: string, proposedId: string, at?: string): Promise<string | undefined>;
}

/** Jobs by requisition id (the syndication context's guard). */
export interface Requisitions {
  jobFor(requisitionId: string): Promise<string | undefined>;
}

/** Shared secrets: generated, sealed before they are stored, opened to verify. */
export interface SecretBox {
  generate(): string;
  seal(plain: string): Promise<string>;
  open(sealed: string): Promise<string>;
}

export type Ids = ContextIds<'ats' | 'app'>;

/** The candidates context's services the flow uses to find, create and link people and to move their applications. */
export type People = Pick<CandidateService, 'get' | 'idsByEmail' | 'erasedAmong' | 'add' | 'upsert' | 'linkExternalId' | 'unlinkExternalId'>;
export type Applications = Pick<ApplicationService, 'get' | 'create' | 'sync'>;
