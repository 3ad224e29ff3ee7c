import * as z from 'zod';
import { defineEvent } from './contract.ts';

const SOURCE = 'talent-relay.engagement';
/* The hiring event is `hiringEventId`: `eventId` is every detail's own id (the outbox key, what consumers dedupe on). */
const hiringEventId = z.string();
const rsvpId = z.string();
const candidateId = z.string();

/** A person was checked in at a hiring event, with or without an RSVP (a walk-in): timeline, analytics, "after an event" surveys. */
export const EventAttended = defineEvent(SOURCE, 'EventAttended', z.object({ hiringEventId, rsvpId, candidateId, title: z.string(), walkIn: z.boolean() }));
/** A seat was taken: by a new RSVP, or by someone promoted from the waitlist when a seat came free. */
export const RsvpConfirmed = defineEvent(SOURCE, 'RsvpConfirmed', z.object({ hiringEventId, rsvpId, candidateId, via: z.enum(['rsvp', 'waitlist']) }));
/** The event was full: the person waits for a seat, first come first served. */
export const RsvpWaitlisted = defineEvent(SOURCE, 'RsvpWaitlisted', z.object({ hiringEventId, rsvpId, candidateId }));
/**
 * The RSVP form was sent again for an address that has an RSVP standing: its owner gets their registration again
 * (at most once an hour), because the answer on the form must not tell whoever sent it that the address had one.
 */
export const RsvpRepeated = defineEvent(SOURCE, 'RsvpRepeated', z.object({ hiringEventId, rsvpId, candidateId }));
/** The person cancelled their RSVP (from the link in their email). */
export const RsvpCancelled = defineEvent(SOURCE, 'RsvpCancelled', z.object({ hiringEventId, rsvpId, candidateId, was: z.enum(['confirmed', 'waitlisted']) }));
/**
 * A recruiter changed what people need to find the event (its time, venue, join URL or title): the confirmed get an
 * updated invite. `version` is the event's version after the change.
 */
export const HiringEventChanged = defineEvent(SOURCE, 'HiringEventChanged', z.object({ hiringEventId, version: z.number().int() }));
/**
 * An event was scheduled or its start moved: its reminder run (one per schedule, named by `version`) starts. Started
 * from this event rather than by the request, so a request never fails after its write and the start is retried.
 */
export const HiringEventScheduled = defineEvent(SOURCE, 'HiringEventScheduled', z.object({ hiringEventId, version: z.number().int() }));
/** A recruiter cancelled the event: everyone who RSVP'd is told, reminders stop. */
export const HiringEventCancelled = defineEvent(SOURCE, 'HiringEventCancelled', z.object({ hiringEventId, title: z.string() }));

/** A recruiter made room (a larger capacity, or none): the longest-waiting people take the new seats. */
export const HiringEventCapacityRaised = defineEvent(SOURCE, 'HiringEventCapacityRaised', z.object({ hiringEventId, capacity: z.number().int().optional() }));
