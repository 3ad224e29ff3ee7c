import type { RsvpConfirmed, RsvpWaitlisted } from '../../../events/engagement.ts';
import type { DetailOf } from '../../../events/contract.ts';
import { confirmationEmail, eventCancelledEmail, reminderEmail, waitlistEmail } from './emails.ts';
import { calendarInvite } from './icalendar.ts';
import type { Clock, Contact, EventStore, Mailer, Organiser, People, ReminderInput, RsvpLinks, RsvpRecord, RsvpStore, StoredEvent } from './ports.ts';
import { followingReminder, linkDays } from './reminders.ts';

type Message = Parameters<Mailer['send']>[0];
export type RsvpChange =
  | { detailType: 'RsvpConfirmed'; detail: DetailOf<typeof RsvpConfirmed> }
  | { detailType: 'RsvpWaitlisted'; detail: DetailOf<typeof RsvpWaitlisted> };

export const fullName = (contact: Pick<Contact, 'firstName' | 'lastName'>) => [contact.firstName, contact.lastName].filter(Boolean).join(' ') || undefined;

/**
 * Every email to people who RSVP'd: the confirmation (with the calendar invite) or the waitlist notice, the
 * reminders, and the cancellation notice. Each is claimed on the RSVP before it is sent, so a retried task or a
 * redelivered event never sends it twice (an email lost in a crash between claim and send is not sent again).
 * Suppressed addresses and erased people get nothing.
 */
export function eventMailService(deps: {
  events: EventStore;
  rsvps: RsvpStore;
  people: People;
  mailer: Mailer;
  suppressed: (email: string) => Promise<boolean>;
  links: RsvpLinks;
  organiser: () => Organiser;
  publicApiUrl: () => string;
  clock: Clock;
}) {
  const { events, rsvps, people, clock } = deps;

  async function mailEach(batch: RsvpRecord[], claim: (rsvp: RsvpRecord) => Promise<boolean>, write: (rsvp: RsvpRecord, contact: Contact) => Promise<Message>) {
    const contacts = await people.contacts(batch.map((rsvp) => rsvp.candidateId));
    let sent = 0;
    for (const rsvp of batch) {
      const contact = contacts.get(rsvp.candidateId);
      if (!contact || (await deps.suppressed(contact.email))) continue;
      if (!(await claim(rsvp))) continue;
      await deps.mailer.send(await write(rsvp, contact));
      sent++;
    }
    return sent;
  }

  const cancelUrl = async (rsvp: RsvpRecord, endsAt: string) =>
    `${deps.publicApiUrl()}/public/rsvps/${await deps.links.sign(rsvp.id, linkDays(endsAt, clock.now()))}`;

  const invite = (event: StoredEvent, contact: Contact, method: 'REQUEST' | 'CANCEL', url: string) => ({
    fileName: 'invite.ics',
    contentType: `text/calendar; method=${method}`,
    content: calendarInvite({ event, attendee: { email: contact.email, name: fullName(contact) }, organiser: deps.organiser(), method, stamp: clock.now(), url }),
  });

  return {
    /** The email that goes with a seat (the invite attached; "a seat came free" for the waitlist's) or a waitlist place. */
    async notifyRsvp(change: RsvpChange): Promise<number> {
      const { hiringEventId, candidateId } = change.detail;
      const [event, rsvp] = await Promise.all([events.get(hiringEventId), rsvps.find(hiringEventId, candidateId)]);
      const status = change.detailType === 'RsvpConfirmed' ? 'confirmed' : 'waitlisted';
      // Only while it still stands: someone who cancelled meanwhile is told nothing more.
      if (!event || event.status !== 'scheduled' || rsvp?.id !== change.detail.rsvpId || rsvp.status !== status) return 0;
      const org = deps.organiser().name;
      return mailEach([rsvp], (r) => rsvps.claimMail(r, status), async (r, contact) => {
        const link = await cancelUrl(r, event.endsAt);
        if (status === 'waitlisted') return { to: contact.email, ...waitlistEmail({ firstName: contact.firstName, event, cancelUrl: link, org }) };
        const promoted = change.detailType === 'RsvpConfirmed' && change.detail.via === 'waitlist';
        return { to: contact.email, ...confirmationEmail({ firstName: contact.firstName, event, cancelUrl: link, org, promoted }), attachments: [invite(event, contact, 'REQUEST', link)] };
      });
    },

    /**
     * One step of an event's reminder run: sends the reminder it waited for to everyone confirmed, unless the event
     * was cancelled or moved (then the run ends), and says which reminder comes next.
     */
    async remind(input: ReminderInput): Promise<ReminderInput & { done: boolean; sent: number }> {
      const event = await events.get(input.eventId);
      if (!event || event.status !== 'scheduled' || event.startsAt !== input.startsAt) return { ...input, done: true, sent: 0 };
      let sent = 0;
      for await (const batch of rsvps.each(event.id, ['confirmed'])) {
        sent += await mailEach(
          batch,
          (rsvp) => rsvps.claimReminder(rsvp, input.reminder, event.startsAt),
          async (rsvp, contact) => ({ to: contact.email, ...reminderEmail({ firstName: contact.firstName, event, reminder: input.reminder, cancelUrl: await cancelUrl(rsvp, event.endsAt), org: deps.organiser().name }) }),
        );
      }
      const next = followingReminder(event.startsAt, input.reminder);
      return next ? { ...input, ...next, done: false, sent } : { ...input, done: true, sent };
    },

    /** Tells everyone confirmed or waiting that the event is off; the confirmed get a calendar cancellation. */
    async notifyCancellation(eventId: string): Promise<number> {
      const event = await events.get(eventId);
      if (!event || event.status !== 'cancelled') return 0;
      let sent = 0;
      for await (const batch of rsvps.each(event.id, ['confirmed', 'waitlisted'])) {
        sent += await mailEach(batch, (rsvp) => rsvps.claimMail(rsvp, 'event-cancelled'), async (rsvp, contact) => ({
          to: contact.email,
          ...eventCancelledEmail({ firstName: contact.firstName, event, org: deps.organiser().name }),
          ...(rsvp.status === 'confirmed' ? { attachments: [invite(event, contact, 'CANCEL', `${deps.publicApiUrl()}/public/events/${event.id}`)] } : {}),
        }));
      }
      return sent;
    },
  };
}

export type EventMailService = ReturnType<typeof eventMailService>;
