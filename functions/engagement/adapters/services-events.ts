import { eventService } from '../domain/event-service.ts';
import { eventCampaigns } from './campaigns.ts';
import { clock, ids, publicApiUrl, reminderRuns, stores } from './services.ts';

export const hiringEvents = eventService({ ...stores, campaigns: eventCampaigns, reminders: reminderRuns, publicApiUrl, clock, ids });
