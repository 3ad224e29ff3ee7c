import { EventAttended, HiringEventCancelled, HiringEventCapacityRaised, HiringEventChanged, HiringEventScheduled } from '../../../events/engagement.ts';
import { makeEvent, type DomainEvent, type EventContract, type PayloadOf } from '../../../events/contract.ts';
import { Conflict, InvalidInput, NotFound, Unprocessable } from '../../../shared/errors.ts';
import type { Page, PageRequest } from '../../../shared/http/pagination.ts';
import { changeVersioned } from '../../../shared/versioned.ts';
import type { Attendee, CheckinRequest, CreateHiringEvent, HiringEvent, RsvpStatus, UpdateHiringEvent } from '../schemas.ts';
import type { Clock, Ids, People, RsvpRecord, RsvpStore, EventStore, StoredEvent } from './ports.ts';
import { reminderRun } from './reminders.ts';

/** Check-ins are taken on the day: from this long before the start until this long after the end. */
export const CHECKIN_MARGIN_MS = 12 * 3_600_000;
/** Clock skew between a recruiter's laptop and ours is tolerated when checking that an event is ahead. */
const PAST_TOLERANCE_MS = 60_000;

export const rsvpUrl = (publicApiUrl: string, eventId: string) => `${publicApiUrl}/public/events/${eventId}`;

/** The resource: `completed` once a scheduled event has ended, and the public RSVP page. */
export function present(event: StoredEvent, now: string, publicApiUrl: string): HiringEvent {
  const { remindersRun: _run, ...rest } = event;
  return { ...rest, status: event.status === 'scheduled' && event.endsAt <= now ? 'completed' : event.status, rsvpUrl: rsvpUrl(publicApiUrl, event.id) };
}

export const utc = (instant: string) => new Date(instant).toISOString();
/** The fields whose change the people confirmed are told of, with an updated calendar invite. */
const noticedFields = ['title', 'startsAt', 'endsAt', 'venue', 'joinUrl'] as const;

/** An attendee as recruiters see them: the RSVP with the person's current name and address. */
export function attendeeOf(rsvp: RsvpRecord, contact: { email: string; firstName?: string; lastName?: string } | undefined, event: Pick<StoredEvent, 'endsAt'>, now: string): Attendee {
  const attended = rsvp.attendedAt !== undefined;
  return {
    rsvpId: rsvp.id,
    candidateId: rsvp.candidateId,
    ...(contact ? { email: contact.email, ...(contact.firstName ? { firstName: contact.firstName } : {}), ...(contact.lastName ? { lastName: contact.lastName } : {}) } : {}),
    status: rsvp.status,
    attended,
    ...(rsvp.attendedAt ? { checkedInAt: rsvp.attendedAt } : {}),
    noShow: rsvp.status === 'confirmed' && !attended && event.endsAt <= now,
    rsvpAt: rsvp.createdAt,
  };
}

/** Recruiters' side of hiring events: scheduling, check-in and attendance (invitations: invitation.ts). */
export function eventService(deps: {
  events: EventStore;
  rsvps: RsvpStore;
  people: People;
  publicApiUrl: () => string;
  clock: Clock;
  ids: Ids;
}) {
  const { events, rsvps, people, clock, ids } = deps;
  const emit = <E extends EventContract>(contract: E, actor: string, payload: PayloadOf<E>): DomainEvent =>
    makeEvent(contract, { eventId: ids.next('evt'), occurredAt: clock.now(), actor }, payload);
  const show = (event: StoredEvent) => present(event, clock.now(), deps.publicApiUrl());

  async function stored(id: string): Promise<StoredEvent> {
    const event = await events.get(id);
    if (!event) throw new NotFound(`There is no event ${id}.`);
    return event;
  }

  return {
    get: async (id: string) => show(await stored(id)),

    async list(range: { from?: string; to?: string }, page: PageRequest): Promise<Page<HiringEvent>> {
      const { items, nextCursor } = await events.list({ ...(range.from ? { from: utc(range.from) } : {}), ...(range.to ? { to: utc(range.to) } : {}) }, page);
      return { items: items.map(show), ...(nextCursor ? { nextCursor } : {}) };
    },

    async create(input: CreateHiringEvent, actor: string): Promise<HiringEvent> {
      const now = clock.now();
      if (Date.parse(input.startsAt) < Date.parse(now) - PAST_TOLERANCE_MS) {
        throw new InvalidInput('The event would start in the past.', [{ path: 'body.startsAt', message: 'startsAt must be in the future' }]);
      }
      const id = ids.next('hev');
      const event: StoredEvent = {
        ...input,
        id,
        startsAt: utc(input.startsAt),
        endsAt: utc(input.endsAt),
        status: 'scheduled',
        confirmed: 0,
        waitlisted: 0,
        attended: 0,
        invitations: [],
        remindersRun: reminderRun(id, 1),
        createdAt: now,
        updatedAt: now,
        version: 1,
      };
      await events.create(event, [emit(HiringEventScheduled, actor, { hiringEventId: id, version: 1 })]);
      return show(event);
    },

    /**
     * Changes an event. A moved start gets a new reminder run (the old one ends when it wakes and finds the start
     * moved, as it does when the event is cancelled); more seats go to the waitlist, first come first served;
     * `status: cancelled` cancels it, which tells everyone who RSVP'd.
     */
    async update(id: string, patch: UpdateHiringEvent, actor: string, ifMatch?: number): Promise<HiringEvent> {
      const { value: next } = await changeVersioned('event', { get: () => stored(id), replace: events.replace, now: clock.now }, (current, now) => {
        if (current.status === 'cancelled') throw new Conflict('The event is cancelled; it cannot change any more.', { currentStatus: 'cancelled' });
        if (current.endsAt <= now) throw new Conflict('The event is over; it cannot change any more.', { currentStatus: 'completed' });
        if (patch.status === 'cancelled') {
          const cancelled: StoredEvent = { ...current, status: 'cancelled', cancelledAt: now, updatedAt: now, version: current.version + 1 };
          return { next: cancelled, events: [emit(HiringEventCancelled, actor, { hiringEventId: id, title: current.title })] };
        }
        const next: Record<string, unknown> = { ...current };
        for (const [field, value] of Object.entries(patch)) {
          if (value === undefined) continue;
          if (value === null) delete next[field];
          else next[field] = field === 'startsAt' || field === 'endsAt' ? utc(value as string) : value;
        }
        const event = next as unknown as StoredEvent;
        if (!event.venue && !event.joinUrl) throw new InvalidInput('An event needs a venue or a join URL.', [{ path: 'body.venue', message: 'give a venue, a joinUrl, or both' }]);
        if (event.endsAt <= event.startsAt) throw new InvalidInput('The event would end before it starts.', [{ path: 'body.endsAt', message: 'endsAt must be after startsAt' }]);
        const moved = event.startsAt !== current.startsAt;
        if (moved && Date.parse(event.startsAt) < Date.parse(now) - PAST_TOLERANCE_MS) {
          throw new InvalidInput('The event would start in the past.', [{ path: 'body.startsAt', message: 'startsAt must be in the future' }]);
        }
        if (event.capacity !== undefined && event.capacity < current.confirmed) {
          throw new InvalidInput(`${current.confirmed} seats are taken already.`, [{ path: 'body.capacity', message: `at least ${current.confirmed} (the seats taken)` }]);
        }
        if (JSON.stringify(event) === JSON.stringify(current)) return { next: current, events: [] };
        const version = current.version + 1;
        const raised = current.capacity !== undefined && (event.capacity === undefined || event.capacity > current.capacity);
        // What people need to find the event: a change to any of it sends the confirmed an updated invite.
        const told = noticedFields.some((field) => JSON.stringify(event[field]) !== JSON.stringify(current[field]));
        const changes = [
          ...(raised ? [emit(HiringEventCapacityRaised, actor, { hiringEventId: id, ...(event.capacity === undefined ? {} : { capacity: event.capacity }) })] : []),
          ...(told ? [emit(HiringEventChanged, actor, { hiringEventId: id, version })] : []),
          ...(moved ? [emit(HiringEventScheduled, actor, { hiringEventId: id, version })] : []),
        ];
        return { next: { ...event, ...(moved ? { remindersRun: reminderRun(id, version) } : {}), updatedAt: now, version }, events: changes };
      }, ifMatch);
      return show(next);
    },

    /**
     * Checks a person in once; someone without a seat (no RSVP, cancelled, waitlisted) becomes a walk-in. Publishes
     * EventAttended the first time.
     */
    async checkIn(id: string, request: CheckinRequest, actor: string): Promise<{ attendee: Attendee; created: boolean }> {
      const event = await stored(id);
      const now = clock.now();
      if (event.status === 'cancelled') throw new Conflict('The event is cancelled.', { currentStatus: 'cancelled' });
      if (Date.parse(now) < Date.parse(event.startsAt) - CHECKIN_MARGIN_MS || Date.parse(now) > Date.parse(event.endsAt) + CHECKIN_MARGIN_MS) {
        throw new Unprocessable('Check-in is open on the day of the event only (12 hours either side).');
      }
      let candidateId: string;
      if ('candidateId' in request) {
        if (!(await people.exists(request.candidateId))) throw new NotFound(`There is no candidate ${request.candidateId}.`);
        candidateId = request.candidateId;
      } else {
        candidateId = await people.walkIn({ email: request.email, firstName: request.firstName, lastName: request.lastName, eventTitle: event.title }, actor);
      }
      const attendee = async (rsvp: RsvpRecord) => attendeeOf(rsvp, (await people.contacts([candidateId])).get(candidateId), event, now);
      for (let attempt = 0; attempt < 3; attempt++) {
        const existing = await rsvps.find(id, candidateId);
        if (existing?.attendedAt) return { attendee: await attendee(existing), created: false };
        // Someone who cancelled or still waits came anyway: a walk-in, off the waitlist, so no seat is handed to them
        // (nor "a seat came free" emailed) after they attended.
        const walksIn = !existing || existing.status === 'cancelled' || existing.status === 'waitlisted';
        const rsvp: RsvpRecord = existing
          ? { ...existing, ...(walksIn ? { status: 'walk-in' as const } : {}) }
          : { id: ids.next('rsvp'), eventId: id, candidateId, status: 'walk-in', createdAt: now, updatedAt: now };
        const attendance = [emit(EventAttended, actor, { hiringEventId: id, rsvpId: rsvp.id, candidateId, title: event.title, walkIn: rsvp.status === 'walk-in' })];
        if (await rsvps.checkIn(rsvp, existing?.status, now, attendance)) {
          return { attendee: await attendee({ ...rsvp, attendedAt: now, updatedAt: now }), created: true };
        }
      }
      throw new Conflict('The check-in is being recorded right now. Retry in a moment.');
    },

    async attendees(id: string, status: RsvpStatus | undefined, page: PageRequest): Promise<Page<Attendee>> {
      const event = await stored(id);
      const { items, nextCursor } = await rsvps.list(id, status, page);
      const contacts = await people.contacts(items.map((rsvp) => rsvp.candidateId));
      const now = clock.now();
      return { items: items.map((rsvp) => attendeeOf(rsvp, contacts.get(rsvp.candidateId), event, now)), ...(nextCursor ? { nextCursor } : {}) };
    },
  };
}
