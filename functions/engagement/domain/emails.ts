import { transactionalEmail as email } from '../../../shared/email/transactional.ts';
import { locationOf } from './place.ts';
import type { StoredEvent } from './ports.ts';


/** "Tuesday 1 December 2026, 18:00 – 20:00 (Europe/Berlin)": in the event's own zone. */
export function whenText(event: Pick<StoredEvent, 'startsAt' | 'endsAt' | 'timeZone'>): string {
  const format = new Intl.DateTimeFormat('en-GB', { timeZone: event.timeZone, weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit' });
  return `${format.formatRange(new Date(event.startsAt), new Date(event.endsAt))} (${event.timeZone})`;
}

/** When and where, as the lines every event email carries. */
export function eventLines(event: StoredEvent): string[] {
  const where = event.venue ? locationOf(event) : undefined;
  return [
    `When: ${whenText(event)}`,
    ...(where ? [`Where: ${where}`] : []),
    ...(event.joinUrl ? [`Join online: ${event.joinUrl}`] : []),
  ];
}

const greeting = (firstName?: string) => (firstName ? `Hi ${firstName},` : 'Hello,');

export const confirmationEmail = (input: { firstName?: string; event: StoredEvent; cancelUrl: string; org: string; promoted?: boolean }) =>
  email(
    input.promoted ? `A seat came free: you're in for ${input.event.title}` : `You're registered: ${input.event.title}`,
    [
      greeting(input.firstName),
      input.promoted
        ? `Good news: a seat came free at ${input.event.title} and it is yours. Your place is confirmed.`
        : `Thank you for registering for ${input.event.title}. Your place is confirmed.`,
      ...eventLines(input.event),
      'The calendar invite attached to this email adds the event to your calendar.',
      'Cannot make it after all? Please cancel, so someone on the waitlist gets your seat:',
      { link: input.cancelUrl, label: 'Cancel my registration' },
    ],
    input.org,
  );

export const waitlistEmail = (input: { firstName?: string; event: StoredEvent; cancelUrl: string; org: string }) =>
  email(
    `You're on the waitlist: ${input.event.title}`,
    [
      greeting(input.firstName),
      `${input.event.title} is full right now, so you are on the waitlist. When a seat comes free it goes to the person who has waited longest, and we will email you with a calendar invite at once.`,
      ...eventLines(input.event),
      'No longer interested? Leave the waitlist here:',
      { link: input.cancelUrl, label: 'Leave the waitlist' },
    ],
    input.org,
  );

/** The registration again, to the owner of an address someone sent the RSVP form for once more. */
export const registrationAgainEmail = (input: { firstName?: string; event: StoredEvent; status: 'confirmed' | 'waitlisted'; cancelUrl: string; org: string }) =>
  email(
    `Your registration: ${input.event.title}`,
    [
      greeting(input.firstName),
      `We received another registration for ${input.event.title} with this email address. You were registered already, so nothing has changed: ${input.status === 'confirmed' ? 'your place is confirmed' : 'you are on the waitlist'}.`,
      ...eventLines(input.event),
      'If that was not you, there is nothing to do. To give up your place instead:',
      { link: input.cancelUrl, label: input.status === 'confirmed' ? 'Cancel my registration' : 'Leave the waitlist' },
    ],
    input.org,
  );

export const reminderEmail = (input: { firstName?: string; event: StoredEvent; reminder: 'day-before' | 'hour-before'; cancelUrl: string; org: string }) =>
  email(
    input.reminder === 'day-before' ? `Tomorrow: ${input.event.title}` : `Starting in an hour: ${input.event.title}`,
    [
      greeting(input.firstName),
      input.reminder === 'day-before' ? `A reminder that ${input.event.title} is tomorrow. We look forward to seeing you.` : `${input.event.title} starts in about an hour.`,
      ...eventLines(input.event),
      'Cannot make it? Please cancel, so someone on the waitlist gets your seat:',
      { link: input.cancelUrl, label: 'Cancel my registration' },
    ],
    input.org,
  );

export const eventChangedEmail = (input: { firstName?: string; event: StoredEvent; cancelUrl: string; org: string }) =>
  email(
    `Changed: ${input.event.title}`,
    [
      greeting(input.firstName),
      `The details of ${input.event.title} have changed. Your place is still confirmed; this is how it stands now:`,
      ...eventLines(input.event),
      'The calendar invite attached to this email updates the event in your calendar.',
      'Cannot make it any more? Please cancel, so someone on the waitlist gets your seat:',
      { link: input.cancelUrl, label: 'Cancel my registration' },
    ],
    input.org,
  );

export const eventCancelledEmail = (input: { firstName?: string; event: StoredEvent; org: string }) =>
  email(
    `Cancelled: ${input.event.title}`,
    [
      greeting(input.firstName),
      `We are sorry: ${input.event.title}, planned for ${whenText(input.event)}, has been cancelled. Your registration is void and you need not do anything.`,
      'We will let you know about future events.',
    ],
    input.org,
  );
