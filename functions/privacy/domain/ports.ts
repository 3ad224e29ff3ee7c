import type { CandidateExport, ErasureStatus, RetentionSettings } from '../schemas.ts';
import type { Clock, Ids as ContextIds } from '../../../shared/ids.ts';
export type { Clock };

/** What the privacy domain needs from the outside world; adapters implement these, tests fake them. */
export type Ids = ContextIds<'prq' | 'aud' | 'evt'>;

export interface SettingsStore {
  /** The stored settings, or the defaults. */
  retention(): Promise<RetentionSettings>;
  saveRetention(settings: RetentionSettings): Promise<void>;
}

/** Everything held about a person, gathered from every context's items and files. */
export interface PersonData {
  /** Undefined when there is no such candidate. */
  export(candidateId: string, downloadLinkMinutes: number): Promise<CandidateExport | undefined>;
}

export type ErasureReason = 'admin' | 'request' | 'retention';

export interface Erasures {
  /** Starts (or finds) the erasure of this person; `undefined` when there is no such candidate and no erasure. */
  start(candidateId: string, reason: ErasureReason, actor: string): Promise<ErasureStatus | undefined>;
  status(candidateId: string): Promise<ErasureStatus | undefined>;
  /** Whether this address belongs to someone erased at their request (salted hash); imports skip them. */
  isErased(email: string): Promise<boolean>;
}

export interface Mailer {
  send(message: { to: string; subject: string; text: string; html: string }): Promise<void>;
}
