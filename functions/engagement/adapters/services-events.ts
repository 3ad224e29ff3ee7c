import { eventService } from '../domain/event-service.ts';
import { eventCampaigns } from './campaigns.ts';
import { clock, ids, publicApiUrl, stores } from './services.ts';

export const hiringEvents = eventService({ ...stores, campaigns: eventCampaigns, publicApiUrl, clock, ids });
