import type { EventBridgeEvent } from 'aws-lambda';
import { HiringEventCancelled, HiringEventCapacityRaised, HiringEventChanged, HiringEventScheduled, RsvpCancelled, RsvpConfirmed, RsvpRepeated, RsvpWaitlisted } from '../../../events/engagement.ts';
import { eventConsumer } from '../../../shared/events/consumer.ts';
import { eventMail } from '../adapters/services-mail.ts';
import { rsvps } from '../adapters/services-rsvps.ts';
import type { ReminderInput } from '../domain/ports.ts';

/**
 * Reminder runs started for each schedule of an event, and emails that follow RSVP and event changes (confirmation with the invite, waitlist notice, the registration again, updated invite,
 * cancellation notices) are claimed per RSVP before sending, so a redelivered event sends nothing twice; new seats
 * go to the waitlist by conditional
 * writes, so a redelivery finds no free seat or nobody waiting (after a cancel, too: its own write may have missed
 * someone waiting).
 */
const onChange = eventConsumer([RsvpConfirmed, RsvpWaitlisted, RsvpRepeated, RsvpCancelled, HiringEventScheduled, HiringEventChanged, HiringEventCancelled, HiringEventCapacityRaised], async (event) => {
  switch (event.detailType) {
    case 'RsvpConfirmed':
    case 'RsvpWaitlisted':
      await eventMail.notifyRsvp(event);
      return;
    case 'RsvpRepeated':
      await eventMail.notifyRepeat(event.detail);
      return;
    case 'HiringEventScheduled':
      await eventMail.startReminders(event.detail.hiringEventId, event.detail.version);
      return;
    case 'HiringEventChanged':
      await eventMail.notifyChange(event.detail.hiringEventId, event.detail.version);
      return;
    case 'HiringEventCancelled':
      await eventMail.notifyCancellation(event.detail.hiringEventId);
      return;
    case 'RsvpCancelled':
      await rsvps.afterCancel(event.detail);
      return;
    case 'HiringEventCapacityRaised':
      await rsvps.fillSeats(event.detail.hiringEventId);
  }
});

/**
 * Two entry points in one function (each function costs stack resources): the Task of the reminder workflow, and the
 * subscriber to RSVP and event changes. EventBridge events carry a `detail-type`; the workflow's input does not.
 */
export const handler = async (input: ReminderInput | EventBridgeEvent<string, unknown>, context: Parameters<typeof onChange>[1]) =>
  'detail-type' in input ? onChange(input, context) : eventMail.remind(input);
