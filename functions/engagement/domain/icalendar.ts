import ical, { ICalAttendeeRole, ICalAttendeeStatus, ICalCalendarMethod, ICalEventStatus } from 'ical-generator';
import { locationOf } from './place.ts';
import type { Organiser, StoredEvent } from './ports.ts';

/** The UID calendar apps match updates and cancellations on: one per event, whoever it is sent to. */
export const calendarUid = (eventId: string) => `${eventId}@talent-relay`;

/**
 * An RFC 5545 invite for one attendee: METHOD:REQUEST puts the event in their calendar (or updates it: SEQUENCE
 * grows with every change of the event), METHOD:CANCEL takes it out. Times are UTC.
 */
export function calendarInvite(input: {
  event: StoredEvent;
  attendee: { email: string; name?: string };
  organiser: Organiser;
  method: 'REQUEST' | 'CANCEL';
  /** When the invite was made (DTSTAMP). */
  stamp: string;
  /** The page behind the invite: RSVP or cancel. */
  url: string;
}): string {
  const { event, attendee, organiser, method } = input;
  const calendar = ical({
    prodId: { company: 'Talent Relay', product: 'Hiring events', language: 'EN' },
    method: method === 'REQUEST' ? ICalCalendarMethod.REQUEST : ICalCalendarMethod.CANCEL,
  });
  const location = locationOf(event);
  calendar.createEvent({
    id: calendarUid(event.id),
    // The stored version starts at 1 and grows with every change; SEQUENCE starts at 0.
    sequence: event.version - 1,
    stamp: new Date(input.stamp),
    start: new Date(event.startsAt),
    end: new Date(event.endsAt),
    summary: event.title,
    ...(event.description ? { description: event.description } : {}),
    ...(location ? { location } : {}),
    url: event.joinUrl ?? input.url,
    organizer: { name: organiser.name, email: organiser.email },
    attendees: [
      {
        email: attendee.email,
        ...(attendee.name ? { name: attendee.name } : {}),
        role: ICalAttendeeRole.REQ,
        status: method === 'REQUEST' ? ICalAttendeeStatus.ACCEPTED : ICalAttendeeStatus.DECLINED,
        rsvp: false,
      },
    ],
    status: method === 'REQUEST' ? ICalEventStatus.CONFIRMED : ICalEventStatus.CANCELLED,
  });
  return calendar.toString();
}

/** `Name <address>` (the stack's MAIL_FROM) → the organiser an invite names. */
export function organiserOf(mailFrom: string): Organiser {
  const match = /^\s*"?([^"<]*?)"?\s*<([^>]+)>\s*$/.exec(mailFrom);
  return match ? { name: match[1]!.trim() || match[2]!, email: match[2]!.trim() } : { name: mailFrom.trim(), email: mailFrom.trim() };
}
