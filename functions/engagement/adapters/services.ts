import { config } from '../../../shared/config.ts';
import { clock, newId } from '../../../shared/ids.ts';
import { signer } from '../../../shared/signing.ts';
import { startWorkflow } from '../../../shared/workflows.ts';
import { organiserOf } from '../domain/icalendar.ts';
import { REMINDER_WORKFLOW } from '../domain/reminders.ts';
import type { ReminderRuns, RsvpLinks } from '../domain/ports.ts';
import { dynamoEventStore, dynamoRsvpStore } from './dynamo-stores.ts';
import { candidatePeople } from './people.ts';

/**
 * The engagement domain's adapters, wired once; each handler builds the service it needs from these (services-*.ts),
 * so its bundle holds only what that service uses.
 */
export const ids = { next: newId };
export { clock };
export const stores = { events: dynamoEventStore, rsvps: dynamoRsvpStore, people: candidatePeople };
export const publicApiUrl = () => config.publicApiUrl;
/** Invites name the stack's sender as the organiser. */
export const organiser = () => organiserOf(config.mailFrom);

export const reminderRuns: ReminderRuns = {
  start: (run, input) => startWorkflow(REMINDER_WORKFLOW, run, { ...input }),
};

export const rsvpLinks: RsvpLinks = {
  sign: (rsvpId, days) => signer.signRecord('v', rsvpId, days),
  verify: (token) => signer.verifyRecord(token, 'v'),
};
