import { eventService } from '../domain/event-service.ts';
import { clock, ids, publicApiUrl, stores } from './services.ts';

export const hiringEvents = eventService({ ...stores, publicApiUrl, clock, ids });
