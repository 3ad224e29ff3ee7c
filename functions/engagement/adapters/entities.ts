/**
 * Keys, index attributes and (de)serialisation of the engagement context's hiring-event items, in one place.
 * The access patterns they serve are listed in docs/engagement.md.
 */
import type { RsvpRecord, StoredEvent } from '../domain/ports.ts';
import type { RsvpStatus } from '../schemas.ts';

export type Item = Record<string, unknown>;

const strip = <T>(item: Item): T => {
  const { PK, SK, GSI1PK, GSI1SK, GSI2PK, GSI2SK, entity, expiresAt, ...rest } = item;
  return rest as T;
};

// Hiring event: HEV#<id> / HEVENT (not `EVENT`: the stream relays items with that sort key as outbox entries),
// with its seat counters; GSI1 lists every event by start time.
export const hiringEventKey = (id: string) => ({ PK: `HEV#${id}`, SK: 'HEVENT' });
export const ALL_HIRING_EVENTS = 'HEVENTS';
export const eventByStart = (event: Pick<StoredEvent, 'startsAt' | 'id'>) => `${event.startsAt}#${event.id}`;
export const hiringEventItem = (event: StoredEvent): Item => ({
  ...hiringEventKey(event.id),
  GSI1PK: ALL_HIRING_EVENTS,
  GSI1SK: eventByStart(event),
  entity: 'hiring-event',
  ...event,
});
export const hiringEventFrom = (item: Item): StoredEvent => strip<StoredEvent>(item);
/** What PATCH may write; the counters (`confirmed`, `waitlisted`, `attended`) move only with RSVPs and check-ins. */
export const editableEventFields = [
  'title', 'kind', 'description', 'startsAt', 'endsAt', 'timeZone', 'venue', 'joinUrl', 'capacity', 'status', 'cancelledAt', 'remindersRun', 'updatedAt', 'version',
] as const;

/*
 * RSVP (or walk-in): in the person's own partition, CAND#<candidateId> / RSVP#<eventId>, so one person has one per
 * event and erasing them removes it. GSI1 lists an event's people by status, each status by the time they entered it
 * (the waitlist's order, first come first served); GSI2 finds one by its id (the signed link carries the id only).
 */
export const rsvpKey = (candidateId: string, eventId: string) => ({ PK: `CAND#${candidateId}`, SK: `RSVP#${eventId}` });
export const eventRsvps = (eventId: string) => `HEVRSVPS#${eventId}`;
export const rsvpStatusPrefix = (status: RsvpStatus) => `${status}#`;
export const rsvpByStatus = (status: RsvpStatus, since: string, rsvpId: string) => `${status}#${since}#${rsvpId}`;
export const rsvpById = (rsvpId: string) => `RSVP#${rsvpId}`;
export const rsvpItem = (rsvp: RsvpRecord): Item => ({
  ...rsvpKey(rsvp.candidateId, rsvp.eventId),
  GSI1PK: eventRsvps(rsvp.eventId),
  GSI1SK: rsvpByStatus(rsvp.status, rsvp.updatedAt, rsvp.id),
  GSI2PK: rsvpById(rsvp.id),
  GSI2SK: 'RSVP',
  entity: 'rsvp',
  ...rsvp,
});
export const rsvpFrom = (item: Item): RsvpRecord => {
  const { id, eventId, candidateId, status, createdAt, updatedAt, confirmedAt, cancelledAt, attendedAt } = strip<RsvpRecord>(item);
  return { id, eventId, candidateId, status, createdAt, updatedAt, ...(confirmedAt ? { confirmedAt } : {}), ...(cancelledAt ? { cancelledAt } : {}), ...(attendedAt ? { attendedAt } : {}) };
};
/** The claim of one reminder: the start time it was sent for, so a moved event is reminded again. */
export const reminderClaim = (reminder: string) => `reminded_${reminder.replace(/-/g, '_')}`;
/** The claim of one email about the RSVP (its confirmation, its waitlist notice, the event's cancellation). */
export const mailClaim = (kind: string) => `mailed_${kind.replace(/-/g, '_')}`;
/** The claim of the "event changed" email: the event version it was sent for, so each later change is told once. */
export const UPDATE_CLAIM = 'mailed_update';
