import { subscriptionService } from '../domain/subscription-service.ts';
import { trackingService } from '../domain/tracking-service.ts';
import { clock, ids, links, signer, stores } from './services.ts';

export const tracking = trackingService({ ...stores, signer, clock, ids });
export const subscriptions = subscriptionService({ ...stores, signer, links, clock, ids, recordUnsubscribe: tracking.recordUnsubscribe });
