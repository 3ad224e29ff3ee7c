import { RsvpCancelled, RsvpConfirmed, RsvpRepeated, RsvpWaitlisted } from '../../../events/engagement.ts';
import { makeEvent, type DetailOf, type DomainEvent, type EventContract, type PayloadOf } from '../../../events/contract.ts';
import { Conflict, Gone, NotFound, Unauthorized } from '../../../shared/errors.ts';
import type { RsvpRequest } from '../schemas.ts';
import type { Clock, Ids, People, RsvpLinks, RsvpRecord, RsvpStore, EventStore, StoredEvent } from './ports.ts';

export const PUBLIC_ACTOR = 'public';
/** Seat moves retried when another RSVP or cancellation got in first. */
const MAX_ATTEMPTS = 5;
/** The owner of an address the form is sent again for gets their registration again at most this often. */
const REPEAT_MAIL_MS = 60 * 60 * 1000;

/** What the RSVP form answers: the same for a new RSVP, a repeat and a bot, so it never tells whether an address had one. */
export type FormAnswer = Pick<RsvpRecord, 'id' | 'eventId' | 'status'>;

export const rsvpMessages = {
  confirmed: "You're registered: a confirmation with a calendar invite is on its way to your inbox.",
  waitlisted: "The event is full, so you're on the waitlist: we'll email you as soon as a seat comes free.",
} as const;

/** Why an event takes no RSVPs (410), or undefined while it does. */
export function closedReason(event: Pick<StoredEvent, 'status' | 'endsAt' | 'title'>, now: string): string | undefined {
  if (event.status === 'cancelled') return `${event.title} has been cancelled.`;
  if (event.endsAt <= now) return `${event.title} is over.`;
  return undefined;
}

/**
 * The public side of a hiring event: RSVPs (seats first come first served, then a waitlist), and the signed link in
 * each confirmation that cancels it and hands the seat to whoever has waited longest. Answers never say anything
 * about other people. The emails follow from the events each change publishes (event-mail.ts), so this side
 * only writes.
 */
export function rsvpService(deps: { events: EventStore; rsvps: RsvpStore; people: People; links: RsvpLinks; clock: Clock; ids: Ids }) {
  const { events, rsvps, people, clock, ids } = deps;
  const emit = <E extends EventContract>(contract: E, payload: PayloadOf<E>): DomainEvent =>
    makeEvent(contract, { eventId: ids.next('evt'), occurredAt: clock.now(), actor: PUBLIC_ACTOR }, payload);

  async function event(id: string): Promise<StoredEvent> {
    const found = await events.get(id);
    if (!found) throw new NotFound(`There is no event ${id}.`);
    return found;
  }
  /** What someone new would get now: a seat while one is free and nobody waits for it, else a waitlist place. */
  const newcomer = (found: StoredEvent): FormAnswer => ({
    id: ids.next('rsvp'), eventId: found.id,
    status: found.capacity === undefined || (found.confirmed < found.capacity && found.waitlisted <= 0) ? 'confirmed' : 'waitlisted',
  });
  const assertOpen = (found: StoredEvent) => {
    const reason = closedReason(found, clock.now());
    if (reason) throw new Gone(`${reason} It no longer takes RSVPs.`);
  };

  /**
   * Moves the longest-waiting people into free seats, one at a time, until the event starts (each is emailed from the
   * RsvpConfirmed it publishes). Idempotent: with no free seat or nobody waiting it writes nothing.
   */
  async function fillSeats(eventId: string): Promise<void> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; ) {
      const current = await event(eventId);
      const free = current.capacity === undefined || current.confirmed < current.capacity;
      // Once the event has started a seat is no use to someone told "a seat came free".
      if (current.status !== 'scheduled' || current.startsAt <= clock.now() || !free || current.waitlisted <= 0) return;
      const head = await rsvps.firstWaitlisted(eventId);
      if (!head) return;
      const promoted = await rsvps.promote(head, clock.now(), [emit(RsvpConfirmed, { hiringEventId: eventId, rsvpId: head.id, candidateId: head.candidateId, via: 'waitlist' })]);
      if (!promoted) attempt++;
    }
  }

  /** The RSVP behind a link: 401 for a forged or expired one, 404 when it is gone (its person was erased). */
  async function byToken(token: string): Promise<{ rsvp: RsvpRecord; event: StoredEvent }> {
    const id = await deps.links.verify(token);
    if (!id) throw new Unauthorized('This link is not valid or has expired.');
    const rsvp = await rsvps.byId(id);
    if (!rsvp) throw new NotFound('This registration no longer exists.');
    return { rsvp, event: await event(rsvp.eventId) };
  }

  return {
    event,
    byToken,
    fillSeats,

    /**
     * After a cancel that freed a confirmed seat: the cancel hands it on in its own write, but the waitlist's head is
     * read from an index that lags, so someone who waits may have been missed; filling again finds them.
     */
    async afterCancel(cancelled: Pick<DetailOf<typeof RsvpCancelled>, 'hiringEventId' | 'was'>): Promise<void> {
      if (cancelled.was === 'confirmed') await fillSeats(cancelled.hiringEventId);
    },

    /**
     * An RSVP from the public form: a seat while one is free, else the waitlist. Anyone can type any address, so the
     * same address again is answered as if it were new (what a newcomer would get now) and changes nothing: its owner
     * is emailed their registration again instead, at most once an hour. A cancelled RSVP is renewed (at the back of
     * any waitlist). A filled honeypot gets the usual answer and nothing is stored or sent.
     */
    async rsvp(eventId: string, request: RsvpRequest): Promise<FormAnswer> {
      const found = await event(eventId);
      assertOpen(found);
      if (request.website) return newcomer(found);
      const { email, firstName, lastName } = request;
      const candidateId = await people.register({ email, firstName, lastName, eventTitle: found.title });
      const existing = await rsvps.find(eventId, candidateId);
      if (existing && existing.status !== 'cancelled') {
        const now = clock.now();
        const since = new Date(Date.parse(now) - REPEAT_MAIL_MS).toISOString();
        await rsvps.repeat(existing, now, since, [emit(RsvpRepeated, { hiringEventId: eventId, rsvpId: existing.id, candidateId })]);
        return newcomer(found);
      }

      const now = clock.now();
      const renews = existing !== undefined;
      const base = { id: existing?.id ?? ids.next('rsvp'), eventId, candidateId, createdAt: existing?.createdAt ?? now, updatedAt: now };
      let rsvp: RsvpRecord = { ...base, status: 'confirmed', confirmedAt: now };
      let outcome = await rsvps.reserve(rsvp, now, [emit(RsvpConfirmed, { hiringEventId: eventId, rsvpId: rsvp.id, candidateId, via: 'rsvp' })], renews);
      if (outcome === 'unavailable') {
        // No seat (none free, or people wait for one), or the event closed meanwhile: a closed event answers 410, else
        // the person joins the waitlist.
        assertOpen(await event(eventId));
        rsvp = { ...base, status: 'waitlisted' };
        outcome = await rsvps.reserve(rsvp, now, [emit(RsvpWaitlisted, { hiringEventId: eventId, rsvpId: rsvp.id, candidateId })], renews);
        if (outcome === 'unavailable') {
          assertOpen(await event(eventId));
          throw new Conflict('The event is changing right now. Retry in a moment.');
        }
      }
      // The same address's other request (a double click) got in first: that one's owner is emailed by it.
      if (outcome === 'exists') return newcomer(found);
      if (rsvp.status === 'waitlisted') {
        // A seat freed between our two tries, or one kept for a waitlist that was only this person (the count of an
        // erased person's RSVP stays), would otherwise wait for the next cancellation.
        await fillSeats(eventId);
        const seated = await rsvps.find(eventId, candidateId);
        if (seated?.id === rsvp.id && seated.status === 'confirmed') return seated;
      }
      return rsvp;
    },

    /**
     * Cancels the RSVP behind a link. A confirmed seat goes, in the same write, to whoever has waited longest (who is
     * emailed their invite). Answers whether it was cancelled already.
     */
    async cancel(token: string): Promise<{ outcome: 'cancelled' | 'already'; event: StoredEvent; rsvpId: string }> {
      let { rsvp, event: found } = await byToken(token);
      for (let attempt = 1; ; attempt++) {
        if (rsvp.status === 'cancelled') return { outcome: 'already', event: found, rsvpId: rsvp.id };
        if (rsvp.status === 'walk-in') throw new Conflict('A walk-in has no registration to cancel.');
        // A seat is handed on only before the event starts; later it would come too late to use.
        const seatFreed = rsvp.status === 'confirmed' && found.status === 'scheduled' && found.startsAt > clock.now();
        const head = seatFreed ? await rsvps.firstWaitlisted(found.id) : undefined;
        const now = clock.now();
        const was = rsvp.status;
        const changes = [
          emit(RsvpCancelled, { hiringEventId: found.id, rsvpId: rsvp.id, candidateId: rsvp.candidateId, was }),
          ...(head ? [emit(RsvpConfirmed, { hiringEventId: found.id, rsvpId: head.id, candidateId: head.candidateId, via: 'waitlist' })] : []),
        ];
        if ((await rsvps.cancel(rsvp, head, now, changes)) === 'cancelled') return { outcome: 'cancelled', event: found, rsvpId: rsvp.id };
        if (attempt >= MAX_ATTEMPTS) throw new Conflict('The registration is changing right now. Retry in a moment.');
        ({ rsvp, event: found } = await byToken(token));
      }
    },
  };
}
