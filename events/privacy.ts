import * as z from 'zod';
import { defineEvent } from './contract.ts';

const SOURCE = 'talent-relay.privacy';

/** Everything about the person is gone; only ids and a salted hash remain. Integrations delete their copies. */
export const CandidateErased = defineEvent(SOURCE, 'CandidateErased', z.object({
  candidateId: z.string(),
  reason: z.enum(['admin', 'request', 'retention']),
}));

/** A person was told that and why their data is held (Art. 14), or asked to renew a consent. */
export const PrivacyEmailSent = defineEvent(SOURCE, 'PrivacyEmailSent', z.object({
  candidateId: z.string(),
  kind: z.enum(['notice', 'renewal', 'access']),
}));

export const privacyEvents = [CandidateErased, PrivacyEmailSent];
