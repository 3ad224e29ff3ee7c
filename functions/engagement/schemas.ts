import * as z from 'zod';
import { pageOf, PageQuery } from '../../shared/http/pagination.ts';
import { isCountryCode } from '../../shared/countries.ts';
import { isTimeZone } from '../../shared/time-zones.ts';
import { Audience, TemplateId } from '../campaigns/schemas.ts';
import { CandidateId, Email } from '../candidates/schemas.ts';

const ulid = '[0-9A-HJKMNP-TV-Z]{26}';
export const HiringEventId = z.string().regex(new RegExp(`^hev_${ulid}$`), 'not a hiring event id');
export const RsvpId = z.string().regex(new RegExp(`^rsvp_${ulid}$`), 'not an RSVP id');

const text = (max: number) => z.string().trim().min(1).max(max);
const instant = z.iso.datetime({ offset: true });
const httpsUrl = z.url({ protocol: /^https?$/ }).max(2000);

export const eventKinds = ['career-fair', 'webinar', 'open-house', 'information-session'] as const;
/** `completed` is never stored: a scheduled event whose end has passed reads as completed. */
export const eventStatuses = ['scheduled', 'cancelled', 'completed'] as const;

// The same shape as a job's address; not imported from the syndication schemas, whose module would add its weight
// (every schema in it) to these functions' bundles.
const Address = z.strictObject({
  street: text(200).optional(),
  city: text(100),
  region: text(100).optional(),
  postalCode: text(20).optional(),
  country: z.string().trim().toUpperCase().refine(isCountryCode, 'not an ISO 3166-1 alpha-2 country code'),
});
export const Venue = z.strictObject({ name: text(200).optional(), address: Address });
export type Venue = z.output<typeof Venue>;

const eventFields = {
  title: text(200),
  kind: z.enum(eventKinds),
  /** Plain text, shown on the RSVP page, in emails and in the calendar invite. */
  description: z.string().trim().min(1).max(5000),
  /** An instant with its offset (`2026-12-01T18:00:00+01:00`) or in UTC; stored in UTC. */
  startsAt: instant,
  endsAt: instant,
  /** The IANA zone times are shown in (emails, RSVP page). */
  timeZone: z.string().refine(isTimeZone, 'not an IANA time zone'),
  /** Where people come to; an event has a venue, a join URL, or both (hybrid). */
  venue: Venue,
  joinUrl: httpsUrl,
  /** Seats; RSVPs beyond it are waitlisted. No capacity: everyone is confirmed. */
  capacity: z.number().int().min(0, 'capacity cannot be negative').max(100_000),
};

export const CreateHiringEvent = z
  .strictObject({
    ...eventFields,
    description: eventFields.description.optional(),
    venue: eventFields.venue.optional(),
    joinUrl: eventFields.joinUrl.optional(),
    capacity: eventFields.capacity.optional(),
  })
  .superRefine((event, ctx) => {
    if (!event.venue && !event.joinUrl) ctx.addIssue({ code: 'custom', path: ['venue'], message: 'give a venue, a joinUrl, or both' });
    if (Date.parse(event.endsAt) <= Date.parse(event.startsAt)) ctx.addIssue({ code: 'custom', path: ['endsAt'], message: 'endsAt must be after startsAt' });
  });
export type CreateHiringEvent = z.output<typeof CreateHiringEvent>;

/** `null` clears an optional field; `status: cancelled` cancels the event (everyone who RSVP'd is told). */
export const UpdateHiringEvent = z
  .strictObject({
    title: eventFields.title,
    kind: eventFields.kind,
    description: eventFields.description.nullable(),
    startsAt: eventFields.startsAt,
    endsAt: eventFields.endsAt,
    timeZone: eventFields.timeZone,
    venue: eventFields.venue.nullable(),
    joinUrl: eventFields.joinUrl.nullable(),
    capacity: eventFields.capacity.nullable(),
    status: z.literal('cancelled'),
  })
  .partial()
  .refine((patch) => Object.keys(patch).length > 0, 'send at least one field to change');
export type UpdateHiringEvent = z.output<typeof UpdateHiringEvent>;

export const Invitation = z.object({
  campaignId: z.string(),
  templateId: TemplateId,
  audience: Audience,
  invitedAt: z.iso.datetime(),
});
export type Invitation = z.output<typeof Invitation>;

export const HiringEvent = z.object({
  id: HiringEventId,
  title: z.string(),
  kind: z.enum(eventKinds),
  description: z.string().optional(),
  startsAt: z.iso.datetime(),
  endsAt: z.iso.datetime(),
  timeZone: z.string(),
  venue: Venue.optional(),
  joinUrl: z.string().optional(),
  capacity: z.number().int().optional(),
  status: z.enum(eventStatuses),
  /** Seats taken, people waiting, people checked in. */
  confirmed: z.number().int(),
  waitlisted: z.number().int(),
  attended: z.number().int(),
  /** The public page where people RSVP (the link invitations carry). */
  rsvpUrl: z.string(),
  invitations: z.array(Invitation),
  cancelledAt: z.iso.datetime().optional(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  version: z.number().int(),
});
export type HiringEvent = z.output<typeof HiringEvent>;
export const HiringEventPage = pageOf(HiringEvent);
/** Events by start time, earliest first, optionally those starting from / before a time. */
export const ListHiringEventsQuery = PageQuery.extend({ from: instant.optional(), to: instant.optional() })
  .strict()
  // Compared as instants: the offsets may differ. The index refuses a range that runs backwards.
  .refine((range) => !range.from || !range.to || Date.parse(range.from) <= Date.parse(range.to), { path: ['to'], message: 'to must not be before from' });

export const InviteRequest = z.strictObject({
  audience: Audience,
  templateId: TemplateId,
  /** When the invitation goes out; at once when absent. */
  sendAt: instant.optional(),
});
export type InviteRequest = z.output<typeof InviteRequest>;
export const InvitationSent = Invitation.extend({ eventId: HiringEventId, campaignStatus: z.string() });

export const rsvpStatuses = ['confirmed', 'waitlisted', 'cancelled', 'walk-in'] as const;
export type RsvpStatus = (typeof rsvpStatuses)[number];

/** The public RSVP form; `website` is the honeypot. */
export const RsvpRequest = z.strictObject({
  email: Email,
  firstName: text(100),
  lastName: text(100),
  website: z.string().max(500).optional(),
});
export type RsvpRequest = z.output<typeof RsvpRequest>;
/** What the person who RSVP'd is told: nothing about anyone else. */
export const RsvpAnswer = z.object({ id: RsvpId, eventId: HiringEventId, status: z.enum(rsvpStatuses), message: z.string() });

export const CheckinRequest = z.union([
  z.strictObject({ candidateId: CandidateId }),
  /** By address; someone unknown to the talent pool is added (names help). */
  z.strictObject({ email: Email, firstName: text(100).optional(), lastName: text(100).optional() }),
]);
export type CheckinRequest = z.output<typeof CheckinRequest>;

export const Attendee = z.object({
  rsvpId: RsvpId,
  candidateId: CandidateId,
  /** From the candidate's profile; absent once the person is erased. */
  email: z.string().optional(),
  firstName: z.string().optional(),
  lastName: z.string().optional(),
  status: z.enum(rsvpStatuses),
  attended: z.boolean(),
  checkedInAt: z.iso.datetime().optional(),
  /** Confirmed, not checked in, and the event has ended. */
  noShow: z.boolean(),
  rsvpAt: z.iso.datetime(),
});
export type Attendee = z.output<typeof Attendee>;
export const AttendeePage = pageOf(Attendee);
export const ListAttendeesQuery = PageQuery.extend({ status: z.enum(rsvpStatuses).optional() }).strict();

export const RsvpToken = z.strictObject({ token: z.string().min(10).max(400).regex(/^[\w.-]+$/, 'not a token') });
