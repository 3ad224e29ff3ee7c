import { HiringEventCancelled, HiringEventCapacityRaised, HiringEventChanged, HiringEventScheduled, RsvpCancelled, RsvpConfirmed, RsvpRepeated, RsvpWaitlisted } from '../../events/engagement.ts';
import * as engagement from '../../functions/engagement/api.ts';
import { REMINDER_WORKFLOW as REMINDERS } from '../../functions/engagement/domain/reminders.ts';
import type { FunctionSpec, WorkflowSpec } from '../manifest.ts';
import { retryAll, type StateMachineDefinition } from '../workflows.ts';

const EVENT_MAIL = 'engagement-event-mail';

export const functions: readonly FunctionSpec[] = [
  {
    name: 'engagement-events',
    context: 'engagement',
    description: 'Hiring events: schedule, change or cancel, check in, attendees',
    entry: 'functions/engagement/handlers/events.ts',
    timeoutSeconds: 20,
    routes: [engagement.createEvent, engagement.listEvents, engagement.getEvent, engagement.updateEvent, engagement.checkIn, engagement.listAttendees],
    // Walk-ins are taken in by the candidates context, which recognises erased people by a salted hash (signsLinks).
    permissions: { table: 'readWrite', signsLinks: true },
  },
  {
    name: 'engagement-invitations',
    context: 'engagement',
    description: 'Invites an audience to a hiring event through a one-shot campaign (kept apart: only it carries the campaigns code)',
    entry: 'functions/engagement/handlers/invitations.ts',
    timeoutSeconds: 20,
    routes: [engagement.inviteToEvent],
    permissions: { table: 'readWrite', startWorkflows: ['campaigns-send'] },
  },
  {
    name: 'engagement-rsvps',
    context: 'engagement',
    description: 'Public RSVP page and form, and the emailed link that cancels an RSVP and hands the seat on',
    entry: 'functions/engagement/handlers/rsvps.ts',
    timeoutSeconds: 20,
    routes: [engagement.rsvpPage, engagement.rsvp, engagement.rsvpLinkPage, engagement.cancelRsvpFromPage, engagement.cancelRsvp],
    // Emails follow from the events it publishes (engagement-event-mail); RSVPs take people in through the candidates
    // context, which recognises erased people by a salted hash, and the links are signed (signsLinks).
    permissions: { table: 'readWrite', signsLinks: true },
  },
  {
    name: EVENT_MAIL,
    context: 'engagement',
    description: 'Starts each schedule\'s reminder run; RSVP emails with calendar invites, reminders 24 h and 1 h before (a Task of the reminder workflow), change and cancellation notices; seats the waitlist when capacity grows or a cancel freed a seat',
    entry: 'functions/engagement/handlers/event-mail.ts',
    timeoutSeconds: 120,
    subscribes: [RsvpConfirmed, RsvpWaitlisted, RsvpRepeated, RsvpCancelled, HiringEventScheduled, HiringEventChanged, HiringEventCancelled, HiringEventCapacityRaised],
    permissions: { table: 'readWrite', sendEmail: 'single', signsLinks: true, startWorkflows: [REMINDERS] },
  },
];

/**
 * One execution per schedule of an event: wait until the reminder is due, send it to everyone confirmed, loop to the
 * next. Three state transitions per reminder. The task ends the run when the event was cancelled or its start moved
 * (a new run follows the new start); a retried task sends nobody twice (each RSVP is claimed before its email).
 */
export function eventReminders(taskArn: string): StateMachineDefinition {
  return {
    Comment: 'Reminds confirmed attendees of a hiring event 24 hours and 1 hour before it starts',
    StartAt: 'WaitToRemind',
    States: {
      WaitToRemind: { Type: 'Wait', TimestampPath: '$.remindAt', Next: 'Remind' },
      Remind: { Type: 'Task', Resource: taskArn, Retry: [retryAll], Next: 'More?' },
      'More?': { Type: 'Choice', Choices: [{ Variable: '$.done', BooleanEquals: true, Next: 'Finished' }], Default: 'WaitToRemind' },
      Finished: { Type: 'Succeed' },
    },
  };
}

export const workflows: readonly WorkflowSpec[] = [
  {
    name: REMINDERS,
    context: 'engagement',
    description: 'Reminders of one hiring event schedule: 24 hours and 1 hour before the start',
    invokes: [EVENT_MAIL],
    definition: (arn) => eventReminders(arn(EVENT_MAIL)),
  },
];
