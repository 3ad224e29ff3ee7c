import { rsvpService } from '../domain/rsvp-service.ts';
import { clock, ids, rsvpLinks, stores } from './services.ts';

export const rsvps = rsvpService({ ...stores, links: rsvpLinks, clock, ids });
