import { isSuppressed } from '../../campaigns/adapters/suppressed.ts';
import { eventMailService } from '../domain/event-mail.ts';
import { sendOrRefuse } from './ses-mail.ts';
import { clock, ids, organiser, publicApiUrl, reminderRuns, rsvpLinks, stores } from './services.ts';

/** The emails to people who RSVP'd: suppressed addresses are skipped, as in every other email. */
export const eventMail = eventMailService({ ...stores, mailer: { send: sendOrRefuse }, suppressed: isSuppressed, links: rsvpLinks, reminders: reminderRuns, organiser, publicApiUrl, clock, ids });
