import type { DomainEvent } from '../../events/contract.ts';
import type {
  Campaigns, Contact, EventStore, Mailer, People, ReminderInput, ReminderRuns, RsvpLinks, RsvpRecord, RsvpStore, StoredEvent,
} from '../../functions/engagement/domain/ports.ts';
import { StaleVersion } from '../../functions/engagement/domain/ports.ts';

/** In-memory stand-ins for the engagement ports, with the same conditions the DynamoDB adapters enforce. */
export function engagementFakes(start = '2026-03-01T09:00:00.000Z') {
  let now = start;
  let sequence = 0;
  const clock = { now: () => now, set: (at: string) => void (now = at) };
  const ids = { next: (prefix: string) => `${prefix}_01J${String(++sequence).padStart(23, '0')}` };
  const published: DomainEvent[] = [];

  const stored = new Map<string, StoredEvent>();
  const events: EventStore = {
    get: async (id) => (stored.has(id) ? structuredClone(stored.get(id)!) : undefined),
    create: async (event) => void stored.set(event.id, structuredClone(event)),
    async replace(previous, next, list) {
      const current = stored.get(next.id)!;
      if (current.version !== previous.version || (next.capacity !== undefined && current.confirmed > next.capacity)) throw new StaleVersion();
      stored.set(next.id, { ...structuredClone(next), confirmed: current.confirmed, waitlisted: current.waitlisted, attended: current.attended });
      published.push(...list);
    },
    list: async (range, page) => ({ items: [...stored.values()].filter((e) => (!range.from || e.startsAt >= range.from) && (!range.to || e.startsAt < range.to)).slice(0, page.limit) }),
    addInvitation: async (id, invitation) => void stored.get(id)!.invitations.push(invitation),
  };

  const rsvpRecords = new Map<string, RsvpRecord & Record<string, unknown>>();
  const key = (eventId: string, candidateId: string) => `${candidateId}|${eventId}`;
  const count = (eventId: string, change: Partial<Record<'confirmed' | 'waitlisted' | 'attended', number>>) => {
    const event = stored.get(eventId)!;
    for (const [field, by] of Object.entries(change) as ['confirmed' | 'waitlisted' | 'attended', number][]) event[field] += by;
  };
  const seatFree = (eventId: string, at: string, seat: boolean) => {
    const event = stored.get(eventId);
    return !!event && event.status === 'scheduled' && event.endsAt > at && (!seat || event.capacity === undefined || event.confirmed < event.capacity);
  };
  const byStatusThenId = (a: RsvpRecord, b: RsvpRecord) => `${a.status}#${a.updatedAt}#${a.id}`.localeCompare(`${b.status}#${b.updatedAt}#${b.id}`);
  const rsvps: RsvpStore = {
    find: async (eventId, candidateId) => {
      const found = rsvpRecords.get(key(eventId, candidateId));
      return found ? { ...found } : undefined;
    },
    byId: async (id) => [...rsvpRecords.values()].find((r) => r.id === id),
    async reserve(rsvp, at, list, renews = false) {
      if (!seatFree(rsvp.eventId, at, rsvp.status === 'confirmed')) return 'unavailable';
      const current = rsvpRecords.get(key(rsvp.eventId, rsvp.candidateId));
      if (renews ? current?.status !== 'cancelled' : current) return 'exists';
      const { mailed_confirmed: _c, mailed_waitlisted: _w, cancelledAt: _at, ...kept }: Record<string, unknown> = current ?? {};
      rsvpRecords.set(key(rsvp.eventId, rsvp.candidateId), { ...kept, ...rsvp });
      count(rsvp.eventId, rsvp.status === 'confirmed' ? { confirmed: 1 } : { waitlisted: 1 });
      published.push(...list);
      return 'reserved';
    },
    async cancel(rsvp, promote, at, list) {
      const current = rsvpRecords.get(key(rsvp.eventId, rsvp.candidateId))!;
      const head = promote && rsvpRecords.get(key(promote.eventId, promote.candidateId));
      if (current.status !== rsvp.status || (promote && head?.status !== 'waitlisted')) return 'stale';
      Object.assign(current, { status: 'cancelled', cancelledAt: at, updatedAt: at });
      if (head) Object.assign(head, { status: 'confirmed', confirmedAt: at, updatedAt: at });
      count(rsvp.eventId, rsvp.status === 'confirmed' && !promote ? { confirmed: -1 } : { waitlisted: -1 });
      published.push(...list);
      return 'cancelled';
    },
    async promote(rsvp, at, list) {
      const current = rsvpRecords.get(key(rsvp.eventId, rsvp.candidateId))!;
      if (!seatFree(rsvp.eventId, at, true) || current.status !== 'waitlisted') return false;
      Object.assign(current, { status: 'confirmed', confirmedAt: at, updatedAt: at });
      count(rsvp.eventId, { confirmed: 1, waitlisted: -1 });
      published.push(...list);
      return true;
    },
    firstWaitlisted: async (eventId) => [...rsvpRecords.values()].filter((r) => r.eventId === eventId && r.status === 'waitlisted').sort(byStatusThenId)[0],
    async checkIn(rsvp, isNew, at, list) {
      const current = rsvpRecords.get(key(rsvp.eventId, rsvp.candidateId));
      if (isNew ? current : !current || current.attendedAt) return false;
      if (isNew) rsvpRecords.set(key(rsvp.eventId, rsvp.candidateId), { ...rsvp, attendedAt: at, updatedAt: at });
      else Object.assign(current!, { attendedAt: at, updatedAt: at });
      count(rsvp.eventId, { attended: 1 });
      published.push(...list);
      return true;
    },
    list: async (eventId, status, page) => ({ items: [...rsvpRecords.values()].filter((r) => r.eventId === eventId && (!status || r.status === status)).sort(byStatusThenId).slice(0, page.limit) }),
    async *each(eventId, statuses) {
      for (const status of statuses) {
        const batch = [...rsvpRecords.values()].filter((r) => r.eventId === eventId && r.status === status).sort(byStatusThenId);
        if (batch.length) yield batch;
      }
    },
    async claimReminder(rsvp, reminder, startsAt) {
      const current = rsvpRecords.get(key(rsvp.eventId, rsvp.candidateId))!;
      if (current.status !== 'confirmed' || current[`reminded_${reminder}`] === startsAt) return false;
      current[`reminded_${reminder}`] = startsAt;
      return true;
    },
    async claimMail(rsvp, kind) {
      const current = rsvpRecords.get(key(rsvp.eventId, rsvp.candidateId))!;
      if (current[`mailed_${kind}`]) return false;
      current[`mailed_${kind}`] = now;
      return true;
    },
  };

  const contacts = new Map<string, Contact>();
  const people: People & { byEmail: (email: string) => string | undefined } = {
    byEmail: (email) => [...contacts.entries()].find(([, c]) => c.email === email)?.[0],
    async register({ email, firstName, lastName }) {
      const known = people.byEmail(email);
      if (known) return known;
      const id = ids.next('cand');
      contacts.set(id, { email, firstName, lastName });
      return id;
    },
    async walkIn({ email, firstName, lastName }) {
      return people.byEmail(email) ?? (await people.register({ email, firstName: firstName ?? '', lastName: lastName ?? '', eventTitle: '' }));
    },
    exists: async (candidateId) => contacts.has(candidateId),
    contacts: async (candidateIds) => new Map(candidateIds.filter((id) => contacts.has(id)).map((id) => [id, contacts.get(id)!])),
  };

  const sent: Parameters<Mailer['send']>[0][] = [];
  const mailer: Mailer = { send: async (message) => void sent.push(message) };
  const suppressedAddresses = new Set<string>();
  const links: RsvpLinks = { sign: async (rsvpId) => `signed.${rsvpId}`, verify: async (token) => (token.startsWith('signed.') ? token.slice('signed.'.length) : undefined) };

  const runs = { started: [] as { run: string; input: ReminderInput }[] };
  const reminderRuns: ReminderRuns = { start: async (run, input) => void runs.started.push({ run, input }) };

  const templates = new Map<string, { name: string; subject: string; html: string; text?: string }>();
  const campaignsSent: Parameters<Campaigns['sendOneShot']>[0][] = [];
  const campaigns: Campaigns = {
    template: async (id) => templates.get(id),
    createTemplate: async (source) => {
      const id = ids.next('tpl');
      templates.set(id, source);
      return { id };
    },
    sendOneShot: async (input) => {
      campaignsSent.push(input);
      return { id: ids.next('camp'), status: 'sending' };
    },
  };

  return {
    clock, ids, published, events, rsvps, rsvpRecords, people, mailer, sent, suppressedAddresses, links, runs, reminderRuns, templates, campaigns, campaignsSent,
    suppressed: async (email: string) => suppressedAddresses.has(email),
    organiser: () => ({ name: 'Talent Relay', email: 'talent@example.com' }),
    publicApiUrl: () => 'https://api.example.com',
  };
}
