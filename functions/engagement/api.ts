import * as z from 'zod';
import { route } from '../../shared/http/route.ts';
import {
  Attendee, AttendeePage, CheckinRequest, CreateHiringEvent, HiringEvent, HiringEventId, HiringEventPage, InvitationSent, InviteRequest, ListAttendeesQuery,
  ListHiringEventsQuery, RsvpAnswer, RsvpRequest, RsvpToken, UpdateHiringEvent,
} from './schemas.ts';

const tag = 'engagement';
const EventById = z.strictObject({ id: HiringEventId });
/** Forms on the career pages and in invitations: a person submits a few times; scripts get 429. */
const formLimit = { rps: 2, burst: 10 };
/** Pages behind email links: a person clicks a few times; scanners and scripts get 429. */
const linkLimit = { rps: 5, burst: 20 };

export const createEvent = route({
  method: 'POST', path: '/events', access: 'recruiter', tag,
  summary: 'Schedule a hiring event (career fair, webinar, open house, information session); reminders follow on their own',
  body: CreateHiringEvent, response: HiringEvent, status: 201, idempotent: true,
});
export const listEvents = route({
  method: 'GET', path: '/events', access: 'viewer', tag, summary: 'Hiring events by start time, earliest first; ?from= and ?to= narrow the range',
  query: ListHiringEventsQuery, response: HiringEventPage,
});
export const getEvent = route({ method: 'GET', path: '/events/{id}', access: 'viewer', tag, summary: 'Read a hiring event with its seats taken, waitlist and attendance', params: EventById, response: HiringEvent });
export const updateEvent = route({
  method: 'PATCH', path: '/events/{id}', access: 'recruiter', tag,
  summary: 'Change a hiring event (moving the start moves the reminders); `status: cancelled` cancels it and tells everyone who RSVP\'d',
  params: EventById, body: UpdateHiringEvent, response: HiringEvent, conditional: true,
});
export const inviteToEvent = route({
  method: 'POST', path: '/events/{id}/invitations', access: 'recruiter', tag,
  summary: 'Invite a segment or pool: a one-shot campaign of the template with the event card and RSVP link (suppression, consent, tracking, unsubscribe)',
  params: EventById, body: InviteRequest, response: InvitationSent, status: 201, idempotent: true,
});
export const checkIn = route({
  method: 'POST', path: '/events/{id}/checkins', access: 'recruiter', tag,
  summary: 'Check a person in on the day, by candidate id or address (201; 200 when already checked in); without an RSVP they are a walk-in',
  params: EventById, body: CheckinRequest, response: Attendee, status: 201,
});
export const listAttendees = route({
  method: 'GET', path: '/events/{id}/attendees', access: 'viewer', tag,
  summary: 'People who RSVP\'d or walked in, by status (confirmed, waitlisted, cancelled, walk-in), with attendance and no-shows',
  params: EventById, query: ListAttendeesQuery, response: AttendeePage,
});

export const rsvpPage = route({
  method: 'GET', path: '/public/events/{id}', access: 'public', tag, summary: 'The RSVP page of an event (the link invitations carry): details and a form',
  params: EventById, rateLimit: linkLimit,
});
export const rsvp = route({
  method: 'POST', path: '/public/events/{id}/rsvps', access: 'public', tag,
  summary: 'RSVP (JSON or form): 201 confirmed or waitlisted; an address that has one gets the same kind of answer and its owner an email, 410 once cancelled or over',
  params: EventById, body: RsvpRequest, form: true, response: RsvpAnswer, status: 201, honeypot: 'website', rateLimit: formLimit,
});
export const rsvpLinkPage = route({
  method: 'GET', path: '/public/rsvps/{token}', access: 'public', tag,
  summary: 'The link in RSVP emails: the registration and a button that cancels it (a GET changes nothing: mail scanners follow links)',
  params: RsvpToken, rateLimit: linkLimit,
});
export const cancelRsvpFromPage = route({
  method: 'POST', path: '/public/rsvps/{token}', access: 'public', tag, summary: 'Cancel the RSVP from its page; a page says what happened',
  params: RsvpToken, rateLimit: linkLimit,
});
export const cancelRsvp = route({
  method: 'DELETE', path: '/public/rsvps/{token}', access: 'public', tag,
  summary: 'Cancel the RSVP: its seat goes to whoever has waited longest, who is emailed; 401 for a forged or expired link',
  params: RsvpToken, response: RsvpAnswer.extend({ alreadyCancelled: z.boolean() }), rateLimit: linkLimit,
});
