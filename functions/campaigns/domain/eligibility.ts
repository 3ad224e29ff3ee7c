import { EMAIL_CONSENT, hasConsent } from '../../../shared/consents.ts';
import type { SkipReason } from '../schemas.ts';
import type { Contact } from './ports.ts';


/** "At most weekly / monthly" from the preference page, in days between campaign emails. */
const frequencyDays = { any: 0, weekly: 7, monthly: 30 } as const;

/**
 * Why a person must not get this email now, or undefined when they may. Checked at send time, right before each
 * batch, so an unsubscribe, bounce or erasure a second earlier is respected.
 */
export function skipReason(contact: Contact | undefined, topic: string, now: string): SkipReason | undefined {
  const profile = contact?.profile;
  if (!profile) return 'erased';
  if (!profile.email) return 'no-address';
  if (contact.suppressed) return contact.suppressed === 'unsubscribe' ? 'unsubscribed' : 'suppressed';
  if (profile.status === 'do-not-contact') return 'do-not-contact';
  if (!hasConsent(profile.consents, EMAIL_CONSENT, now)) return 'no-consent';
  if (contact.preferences?.topics[topic as keyof typeof contact.preferences.topics] === false) return 'topic-off';
  const gap = frequencyDays[contact.preferences?.frequency ?? 'any'];
  if (gap && contact.lastEmailedAt && Date.parse(contact.lastEmailedAt) > Date.parse(now) - gap * 86_400_000) return 'frequency-cap';
  return undefined;
}
