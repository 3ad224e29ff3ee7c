import { NotFound } from '../../../shared/errors.ts';
import { candidates } from '../../candidates/adapters/services.ts';
import { subscriptionService } from '../domain/subscription-service.ts';
import { trackingService } from '../domain/tracking-service.ts';
import { clock, ids, links, signer, stores } from './services.ts';

export const tracking = trackingService({ ...stores, signer, clock, ids });
export const subscriptions = subscriptionService({
  ...stores,
  signer,
  links,
  clock,
  ids,
  recordUnsubscribe: tracking.recordUnsubscribe,
  async withdrawConsent(candidateId, purpose) {
    try {
      await candidates.recordConsents(candidateId, [{ purpose, granted: false, source: 'email-link', lawfulBasis: 'consent' }], 'public');
    } catch (error) {
      // Erased or merged away since the link was sent: nobody left to record it on.
      if (!(error instanceof NotFound)) throw error;
    }
  },
});
