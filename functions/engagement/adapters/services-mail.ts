import { sendEmail } from '../../../shared/email/ses.ts';
import { isSuppressed } from '../../campaigns/adapters/suppressed.ts';
import { eventMailService } from '../domain/event-mail.ts';
import { clock, organiser, publicApiUrl, rsvpLinks, stores } from './services.ts';

/** The emails to people who RSVP'd: suppressed addresses are skipped, as in every other email. */
export const eventMail = eventMailService({ ...stores, mailer: { send: sendEmail }, suppressed: isSuppressed, links: rsvpLinks, organiser, publicApiUrl, clock });
