import type { RsvpConfirmed, RsvpRepeated, RsvpWaitlisted } from '../../../events/engagement.ts';
import type { DetailOf } from '../../../events/contract.ts';
import { confirmationEmail, eventCancelledEmail, eventChangedEmail, registrationAgainEmail, reminderEmail, waitlistEmail } from './emails.ts';
import { calendarInvite } from './icalendar.ts';
import { MailNotSent } from './mail-not-sent.ts';
import type { Clock, Contact, EventStore, Ids, MailKind, Mailer, Organiser, People, ReminderInput, ReminderRuns, RsvpLinks, RsvpRecord, RsvpStore, StoredEvent } from './ports.ts';
import { firstReminder, followingReminder, linkDays, reminderRun } from './reminders.ts';

type Message = Parameters<Mailer['send']>[0];
type Claim = { take(rsvp: RsvpRecord): Promise<boolean>; release(rsvp: RsvpRecord): Promise<void> };
export type RsvpChange =
  | { detailType: 'RsvpConfirmed'; detail: DetailOf<typeof RsvpConfirmed> }
  | { detailType: 'RsvpWaitlisted'; detail: DetailOf<typeof RsvpWaitlisted> };

export const fullName = (contact: Pick<Contact, 'firstName' | 'lastName'>) => [contact.firstName, contact.lastName].filter(Boolean).join(' ') || undefined;

/**
 * Every email to people who RSVP'd: the confirmation (with the calendar invite) or the waitlist notice, the
 * reminders, and the cancellation notice. Each is claimed on the RSVP before it is sent, so a retried task or a
 * redelivered event never sends it twice (an email lost in a crash between claim and send is not sent again; one the
 * mail service refused is).
 * Suppressed addresses and erased people get nothing.
 */
export function eventMailService(deps: {
  events: EventStore;
  rsvps: RsvpStore;
  people: People;
  mailer: Mailer;
  suppressed: (email: string) => Promise<boolean>;
  links: RsvpLinks;
  reminders: ReminderRuns;
  organiser: () => Organiser;
  publicApiUrl: () => string;
  clock: Clock;
  ids: Ids;
}) {
  const { events, rsvps, people, clock, ids } = deps;

  /**
   * Claims and sends each email. One the mail service refused (MailNotSent: throttled, rejected) certainly did not go
   * out: its claim is given back and the error thrown, so the retry of the event or task sends it. Any other failure
   * (a timeout) may hide a delivered email: the claim stays, so nobody gets it twice.
   */
  async function mailEach(batch: RsvpRecord[], claim: Claim, write: (rsvp: RsvpRecord, contact: Contact) => Promise<Message>) {
    const contacts = await people.contacts(batch.map((rsvp) => rsvp.candidateId));
    let sent = 0;
    for (const rsvp of batch) {
      const contact = contacts.get(rsvp.candidateId);
      if (!contact || (await deps.suppressed(contact.email))) continue;
      if (!(await claim.take(rsvp))) continue;
      let message: Message | undefined;
      try {
        message = await write(rsvp, contact);
        await deps.mailer.send(message);
      } catch (error) {
        if (message === undefined || error instanceof MailNotSent) await claim.release(rsvp);
        throw error;
      }
      sent++;
    }
    return sent;
  }

  /** A claim of one kind of email, with a token of its own so that only this send gives it back. */
  const mailClaim = (kind: MailKind): Claim => {
    const token = ids.next('mail');
    return { take: (rsvp) => rsvps.claimMail(rsvp, kind, token), release: (rsvp) => rsvps.releaseMail(rsvp, kind, token) };
  };

  const cancelUrl = async (rsvp: RsvpRecord, endsAt: string) =>
    `${deps.publicApiUrl()}/public/rsvps/${await deps.links.sign(rsvp.id, linkDays(endsAt, clock.now()))}`;

  const invite = (event: StoredEvent, contact: Contact, method: 'REQUEST' | 'CANCEL', url: string) => ({
    fileName: 'invite.ics',
    contentType: `text/calendar; charset=UTF-8; method=${method}`,
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
      return mailEach([rsvp], mailClaim(status), async (r, contact) => {
        const link = await cancelUrl(r, event.endsAt);
        if (status === 'waitlisted') return { to: contact.email, ...waitlistEmail({ firstName: contact.firstName, event, cancelUrl: link, org }) };
        const promoted = change.detailType === 'RsvpConfirmed' && change.detail.via === 'waitlist';
        return { to: contact.email, ...confirmationEmail({ firstName: contact.firstName, event, cancelUrl: link, org, promoted }), attachments: [invite(event, contact, 'REQUEST', link)] };
      });
    },

    /**
     * The registration again for its owner, when the form was sent once more for their address (the form's answer
     * could not say so). The confirmed get the invite again too. Claimed like the first email; each repeat the store
     * noted (at most one an hour) gives the claim back.
     */
    async notifyRepeat(detail: DetailOf<typeof RsvpRepeated>): Promise<number> {
      const [event, rsvp] = await Promise.all([events.get(detail.hiringEventId), rsvps.find(detail.hiringEventId, detail.candidateId)]);
      if (!event || event.status !== 'scheduled' || rsvp?.id !== detail.rsvpId) return 0;
      const status = rsvp.status;
      if (status !== 'confirmed' && status !== 'waitlisted') return 0;
      return mailEach([rsvp], mailClaim('repeat'), async (r, contact) => {
        const link = await cancelUrl(r, event.endsAt);
        const message = { to: contact.email, ...registrationAgainEmail({ firstName: contact.firstName, event, status, cancelUrl: link, org: deps.organiser().name }) };
        return status === 'confirmed' ? { ...message, attachments: [invite(event, contact, 'REQUEST', link)] } : message;
      });
    },

    /**
     * Starts the run that reminds confirmed people of this schedule (the run is named after it, so a redelivered event
     * starts nothing twice); none when the event moved again or was cancelled since, or every reminder time has passed.
     */
    async startReminders(hiringEventId: string, version: number): Promise<void> {
      const event = await events.get(hiringEventId);
      const run = reminderRun(hiringEventId, version);
      const first = event && firstReminder(event.startsAt, clock.now());
      if (event?.status === 'scheduled' && event.remindersRun === run && first) await deps.reminders.start(run, { eventId: event.id, startsAt: event.startsAt, ...first });
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
          { take: (rsvp) => rsvps.claimReminder(rsvp, input.reminder, event.startsAt), release: (rsvp) => rsvps.releaseReminder(rsvp, input.reminder, event.startsAt) },
          async (rsvp, contact) => ({ to: contact.email, ...reminderEmail({ firstName: contact.firstName, event, reminder: input.reminder, cancelUrl: await cancelUrl(rsvp, event.endsAt), org: deps.organiser().name }) }),
        );
      }
      const next = followingReminder(event.startsAt, input.reminder);
      return next ? { ...input, ...next, done: false, sent } : { ...input, done: true, sent };
    },

    /**
     * Tells everyone confirmed that the event changed (time, venue, join URL, title), with an invite that updates the
     * calendar entry (same UID, higher SEQUENCE). Each is claimed per version: a redelivery, or the event of an older
     * change, sends nothing more; an older change's event arriving late is told by the newest version's email.
     */
    async notifyChange(eventId: string, version: number): Promise<number> {
      const event = await events.get(eventId);
      if (!event || event.status !== 'scheduled' || event.version < version || event.endsAt <= clock.now()) return 0;
      let sent = 0;
      for await (const batch of rsvps.each(event.id, ['confirmed'])) {
        sent += await mailEach(
          batch,
          { take: (rsvp) => rsvps.claimUpdate(rsvp, event.version), release: (rsvp) => rsvps.releaseUpdate(rsvp, event.version) },
          async (rsvp, contact) => {
            const link = await cancelUrl(rsvp, event.endsAt);
            return { to: contact.email, ...eventChangedEmail({ firstName: contact.firstName, event, cancelUrl: link, org: deps.organiser().name }), attachments: [invite(event, contact, 'REQUEST', link)] };
          },
        );
      }
      return sent;
    },

    /** Tells everyone confirmed or waiting that the event is off; the confirmed get a calendar cancellation. */
    async notifyCancellation(eventId: string): Promise<number> {
      const event = await events.get(eventId);
      if (!event || event.status !== 'cancelled') return 0;
      let sent = 0;
      for await (const batch of rsvps.each(event.id, ['confirmed', 'waitlisted'])) {
        sent += await mailEach(batch, mailClaim('event-cancelled'), async (rsvp, contact) => ({
          to: contact.email,
          ...eventCancelledEmail({ firstName: contact.firstName, event, org: deps.organiser().name }),
          ...(rsvp.status === 'confirmed' ? { attachments: [invite(event, contact, 'CANCEL', `${deps.publicApiUrl()}/public/events/${event.id}`)] } : {}),
        }));
      }
      return sent;
    },
  };
}
