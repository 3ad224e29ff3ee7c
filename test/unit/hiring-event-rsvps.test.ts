import { MessageRejected, TooManyRequestsException } from '@aws-sdk/client-sesv2';
import { describe, expect, it } from 'vitest';
import { refusedBySes } from '../../functions/engagement/adapters/ses-mail.ts';
import { Gone, NotFound, Unauthorized } from '../../shared/errors.ts';
import { eventService } from '../../functions/engagement/domain/event-service.ts';
import { eventMailService, type RsvpChange } from '../../functions/engagement/domain/event-mail.ts';
import { MailNotSent } from '../../functions/engagement/domain/mail-not-sent.ts';
import { firstReminder } from '../../functions/engagement/domain/reminders.ts';
import { rsvpService } from '../../functions/engagement/domain/rsvp-service.ts';
import type { RsvpRepeated } from '../../events/engagement.ts';
import type { DetailOf } from '../../events/contract.ts';
import type { CreateHiringEvent } from '../../functions/engagement/schemas.ts';
import { engagementFakes } from '../fixtures/hiring-event-fakes.ts';

const NOW = '2026-03-01T09:00:00.000Z';
const aWebinar = (overrides: Partial<CreateHiringEvent> = {}): CreateHiringEvent => ({
  title: 'Working here: a webinar',
  kind: 'webinar',
  startsAt: '2026-03-10T16:00:00Z',
  endsAt: '2026-03-10T17:00:00Z',
  timeZone: 'Europe/London',
  joinUrl: 'https://meet.example.com/abc',
  capacity: 1,
  ...overrides,
});
const person = (name: string) => ({ email: `${name}@example.com`, firstName: name, lastName: 'Tester' });

function setup() {
  const fakes = engagementFakes(NOW);
  const service = eventService(fakes);
  // These tests deliver RSVP events: an event's scheduling (its reminder run) is left out of what was published.
  const events = {
    ...service,
    async create(input: CreateHiringEvent) {
      const event = await service.create(input, 'recruiter-1');
      fakes.published.splice(0, fakes.published.length, ...fakes.published.filter((e) => e.detailType !== 'HiringEventScheduled'));
      return event;
    },
  };
  const rsvps = rsvpService(fakes);
  const mail = eventMailService({ ...fakes, reminders: fakes.reminderRuns });
  let delivered = 0;
  /** What the bus would hand the mail function: the RSVP events published since the last delivery. */
  const deliver = async () => {
    // Events published while delivering (a seat refilled) are delivered too; a failure leaves the rest for next time.
    while (delivered < fakes.published.length) {
      const event = fakes.published[delivered]!;
      if (event.detailType === 'RsvpConfirmed' || event.detailType === 'RsvpWaitlisted') await mail.notifyRsvp(event as unknown as RsvpChange);
      if (event.detailType === 'RsvpRepeated') await mail.notifyRepeat(event.detail as DetailOf<typeof RsvpRepeated>);
      if (event.detailType === 'RsvpCancelled') await rsvps.afterCancel(event.detail as unknown as { hiringEventId: string; was: 'confirmed' | 'waitlisted' });
      delivered++;
    }
  };
  return { fakes, events, rsvps, reminders: mail, mail, deliver };
}

describe('RSVPs', () => {
  it('confirm while seats are free, then waitlist, each emailed once accordingly', async () => {
    const { events, rsvps, fakes, deliver, mail } = setup();
    const event = await events.create(aWebinar());
    const first = await rsvps.rsvp(event.id, person('ada'));
    const second = await rsvps.rsvp(event.id, person('grace'));
    expect([first.status, second.status]).toEqual(['confirmed', 'waitlisted']);
    await deliver();
    // Redelivered by the bus: nothing more goes out.
    for (const event of fakes.published) await mail.notifyRsvp(event as unknown as RsvpChange);
    expect(fakes.sent.map((m) => [m.to, m.subject, m.attachments?.[0]?.contentType])).toEqual([
      ['ada@example.com', "You're registered: Working here: a webinar", 'text/calendar; charset=UTF-8; method=REQUEST'],
      ['grace@example.com', "You're on the waitlist: Working here: a webinar", undefined],
    ]);
    expect(fakes.published.map((e) => e.detailType)).toEqual(['RsvpConfirmed', 'RsvpWaitlisted']);
  });

  it('take no free seat ahead of someone waiting: the newcomer waits, the longest-waiting person gets the seat', async () => {
    const { events, rsvps, fakes } = setup();
    const event = await events.create(aWebinar());
    const holder = await rsvps.rsvp(event.id, person('ada'));
    const waiting = await rsvps.rsvp(event.id, person('grace'));
    // A seat came free without being handed on (the waitlist's head was missed by the cancel).
    await fakes.rsvps.cancel((await fakes.rsvps.byId(holder.id))!, undefined, NOW, []);
    const newcomer = await rsvps.rsvp(event.id, person('hedy'));
    expect(newcomer.status).toBe('waitlisted');
    expect((await fakes.rsvps.byId(waiting.id))?.status).toBe('confirmed');
    expect(await fakes.events.get(event.id)).toMatchObject({ confirmed: 1, waitlisted: 1 });
  });

  it('answer confirmed when the free seat went to the newcomer, whom nobody waited before (an erased person\'s place still counted)', async () => {
    const { events, rsvps, fakes, deliver } = setup();
    const event = await events.create(aWebinar());
    const holder = await rsvps.rsvp(event.id, person('ada'));
    await rsvps.rsvp(event.id, person('grace'));
    fakes.rsvpRecords.delete(`${fakes.people.byEmail('grace@example.com')}|${event.id}`);
    await rsvps.cancel(`signed.${holder.id}`);
    await deliver();
    fakes.sent.length = 0;
    const newcomer = await rsvps.rsvp(event.id, person('hedy'));
    expect(newcomer.status).toBe('confirmed');
    await deliver();
    expect(fakes.sent.map((m) => [m.to, m.subject.split(':')[0]])).toEqual([['hedy@example.com', 'A seat came free']]);
  });

  it('answer an address that has an RSVP as a newcomer would be answered, and email its owner the registration at most once an hour', async () => {
    const { events, rsvps, fakes, deliver, mail } = setup();
    const event = await events.create(aWebinar());
    const first = await rsvps.rsvp(event.id, person('ada'));
    await deliver();
    // The only seat is Ada's: a newcomer would wait, so her address sent again gets the same answer, not her RSVP.
    const again = await rsvps.rsvp(event.id, { ...person('ada'), firstName: 'Someone' });
    const stranger = await rsvps.rsvp(event.id, person('grace'));
    expect(again.status).toBe(stranger.status);
    expect(again.status).toBe('waitlisted');
    expect(again.id).not.toBe(first.id);
    expect(await fakes.events.get(event.id)).toMatchObject({ confirmed: 1, waitlisted: 1 });
    await rsvps.rsvp(event.id, person('ada'));
    await deliver();
    fakes.clock.set('2026-03-01T10:00:01.000Z');
    await rsvps.rsvp(event.id, person('ada'));
    await deliver();
    // Redelivered: nothing more.
    for (const event of fakes.published.filter((e) => e.detailType === 'RsvpRepeated')) await mail.notifyRepeat(event.detail as DetailOf<typeof RsvpRepeated>);
    expect(fakes.sent.filter((m) => m.to === 'ada@example.com').map((m) => [m.subject, m.attachments?.[0]?.contentType])).toEqual([
      ["You're registered: Working here: a webinar", 'text/calendar; charset=UTF-8; method=REQUEST'],
      ['Your registration: Working here: a webinar', 'text/calendar; charset=UTF-8; method=REQUEST'],
      ['Your registration: Working here: a webinar', 'text/calendar; charset=UTF-8; method=REQUEST'],
    ]);
    expect(fakes.sent.find((m) => m.subject.startsWith('Your registration'))?.text).toContain('nothing has changed: your place is confirmed');
  });

  it('answer 410 for a cancelled or finished event and 404 for an unknown one', async () => {
    const { events, rsvps, fakes } = setup();
    const cancelled = await events.create(aWebinar());
    await events.update(cancelled.id, { status: 'cancelled' }, 'recruiter-1');
    await expect(rsvps.rsvp(cancelled.id, person('ada'))).rejects.toBeInstanceOf(Gone);
    const over = await events.create(aWebinar());
    fakes.clock.set('2026-03-10T17:00:00.000Z');
    await expect(rsvps.rsvp(over.id, person('ada'))).rejects.toBeInstanceOf(Gone);
    await expect(rsvps.rsvp('hev_unknown', person('ada'))).rejects.toBeInstanceOf(NotFound);
  });

  it('store and publish nothing when the honeypot is filled', async () => {
    const { events, rsvps, fakes } = setup();
    const event = await events.create(aWebinar());
    const answer = await rsvps.rsvp(event.id, { ...person('bot'), website: 'https://spam.example.com' });
    expect(answer.status).toBe('confirmed');
    expect(fakes.rsvpRecords.size).toBe(0);
    expect(fakes.published).toEqual([]);
  });

  it('send no email to a suppressed address, but keep the RSVP', async () => {
    const { events, rsvps, fakes, deliver } = setup();
    const event = await events.create(aWebinar());
    fakes.suppressedAddresses.add('ada@example.com');
    expect((await rsvps.rsvp(event.id, person('ada'))).status).toBe('confirmed');
    await deliver();
    expect(fakes.sent).toEqual([]);
  });
});

describe('cancelling an RSVP by its link', () => {
  it('hands the seat to the longest-waiting person in the same write, and emails them their invite', async () => {
    const { events, rsvps, fakes, deliver } = setup();
    const event = await events.create(aWebinar());
    const holder = await rsvps.rsvp(event.id, person('ada'));
    const first = await rsvps.rsvp(event.id, person('grace'));
    await rsvps.rsvp(event.id, person('hedy'));
    await deliver();
    fakes.sent.length = 0;
    const { outcome } = await rsvps.cancel(`signed.${holder.id}`);
    await deliver();
    expect(outcome).toBe('cancelled');
    expect((await fakes.rsvps.byId(first.id))?.status).toBe('confirmed');
    expect(await fakes.events.get(event.id)).toMatchObject({ confirmed: 1, waitlisted: 1 });
    expect(fakes.sent.map((m) => [m.to, m.subject.split(':')[0]])).toEqual([['grace@example.com', 'A seat came free']]);
  });

  it('lets someone who cancelled RSVP again: the same RSVP, at the back of the waitlist, emailed again', async () => {
    const { events, rsvps, fakes, deliver } = setup();
    const event = await events.create(aWebinar());
    const holder = await rsvps.rsvp(event.id, person('ada'));
    await rsvps.rsvp(event.id, person('grace'));
    await rsvps.cancel(`signed.${holder.id}`);
    await rsvps.rsvp(event.id, person('hedy'));
    fakes.clock.set('2026-03-01T09:05:00.000Z');
    await deliver();
    fakes.sent.length = 0;
    const again = await rsvps.rsvp(event.id, person('ada'));
    expect(again).toMatchObject({ id: holder.id, status: 'waitlisted' });
    await deliver();
    expect(fakes.sent.map((m) => [m.to, m.subject.split(':')[0]])).toEqual([['ada@example.com', "You're on the waitlist"]]);
    expect((await fakes.rsvps.firstWaitlisted(event.id))?.candidateId).toBe(fakes.people.byEmail('hedy@example.com'));
  });

  it('hands no seat on once the event has started: the waitlist is not told a seat came free', async () => {
    const { events, rsvps, fakes, deliver } = setup();
    const event = await events.create(aWebinar());
    const holder = await rsvps.rsvp(event.id, person('ada'));
    const waiting = await rsvps.rsvp(event.id, person('grace'));
    await deliver();
    fakes.sent.length = 0;
    fakes.clock.set('2026-03-10T16:15:00.000Z');
    await rsvps.cancel(`signed.${holder.id}`);
    await rsvps.fillSeats(event.id);
    await deliver();
    expect((await fakes.rsvps.byId(waiting.id))?.status).toBe('waitlisted');
    expect(await fakes.events.get(event.id)).toMatchObject({ confirmed: 0, waitlisted: 1 });
    expect(fakes.published.filter((e) => e.detailType === 'RsvpConfirmed')).toHaveLength(1);
    expect(fakes.sent).toEqual([]);
  });

  it('refills a seat the cancel freed without handing it on (the waitlist\'s head was missed), once delivered', async () => {
    const { events, rsvps, fakes, deliver } = setup();
    const event = await events.create(aWebinar());
    const holder = await rsvps.rsvp(event.id, person('ada'));
    const waiting = await rsvps.rsvp(event.id, person('grace'));
    await deliver();
    fakes.sent.length = 0;
    const firstWaitlisted = fakes.rsvps.firstWaitlisted;
    fakes.rsvps.firstWaitlisted = async () => ((fakes.rsvps.firstWaitlisted = firstWaitlisted), undefined);
    await rsvps.cancel(`signed.${holder.id}`);
    expect((await fakes.rsvps.byId(waiting.id))?.status).toBe('waitlisted');
    await deliver();
    expect((await fakes.rsvps.byId(waiting.id))?.status).toBe('confirmed');
    expect(fakes.sent.map((m) => [m.to, m.subject.split(':')[0]])).toEqual([['grace@example.com', 'A seat came free']]);
  });

  it('says when it was cancelled already', async () => {
    const { events, rsvps } = setup();
    const event = await events.create(aWebinar());
    const rsvp = await rsvps.rsvp(event.id, person('ada'));
    await rsvps.cancel(`signed.${rsvp.id}`);
    expect((await rsvps.cancel(`signed.${rsvp.id}`)).outcome).toBe('already');
  });

  it('refuses a forged link with 401 and changes nothing', async () => {
    const { events, rsvps, fakes } = setup();
    const event = await events.create(aWebinar());
    const rsvp = await rsvps.rsvp(event.id, person('ada'));
    await expect(rsvps.cancel(`forged.${rsvp.id}`)).rejects.toBeInstanceOf(Unauthorized);
    expect((await fakes.rsvps.byId(rsvp.id))?.status).toBe('confirmed');
  });
});

describe('reminders', () => {
  it('are not sent to someone who cancelled before the confirmation went out', async () => {
    const { events, rsvps, fakes, deliver } = setup();
    const event = await events.create(aWebinar());
    const rsvp = await rsvps.rsvp(event.id, person('ada'));
    await rsvps.cancel(`signed.${rsvp.id}`);
    await deliver();
    expect(fakes.sent).toEqual([]);
  });

  it('start with the first reminder still ahead, and none once an hour or less is left', () => {
    expect(firstReminder('2026-03-10T16:00:00.000Z', NOW)).toEqual({ reminder: 'day-before', remindAt: '2026-03-09T16:00:00.000Z' });
    expect(firstReminder('2026-03-01T20:00:00.000Z', NOW)).toEqual({ reminder: 'hour-before', remindAt: '2026-03-01T19:00:00.000Z' });
    expect(firstReminder('2026-03-01T09:30:00.000Z', NOW)).toBeUndefined();
  });

  it('go to confirmed people once per reminder, skipping suppressed addresses, then say what comes next', async () => {
    const { events, rsvps, reminders, fakes } = setup();
    const event = await events.create(aWebinar({ capacity: 2 }));
    for (const name of ['ada', 'grace', 'hedy']) await rsvps.rsvp(event.id, person(name));
    fakes.suppressedAddresses.add('grace@example.com');
    fakes.sent.length = 0;
    const input = { eventId: event.id, startsAt: event.startsAt, reminder: 'day-before' as const, remindAt: '2026-03-09T16:00:00.000Z' };
    const step = await reminders.remind(input);
    expect(step).toMatchObject({ done: false, sent: 1, reminder: 'hour-before', remindAt: '2026-03-10T15:00:00.000Z' });
    expect(fakes.sent.map((m) => [m.to, m.subject])).toEqual([['ada@example.com', 'Tomorrow: Working here: a webinar']]);
    expect((await reminders.remind(input)).sent).toBe(0);
    expect(await reminders.remind({ ...input, reminder: 'hour-before' })).toMatchObject({ done: true, sent: 1 });
  });

  it('end without sending when the event moved or was cancelled', async () => {
    const { events, rsvps, reminders, fakes } = setup();
    const event = await events.create(aWebinar());
    await rsvps.rsvp(event.id, person('ada'));
    fakes.sent.length = 0;
    const stale = { eventId: event.id, startsAt: event.startsAt, reminder: 'day-before' as const, remindAt: '2026-03-09T16:00:00.000Z' };
    await events.update(event.id, { startsAt: '2026-03-11T16:00:00Z', endsAt: '2026-03-11T17:00:00Z' }, 'recruiter-1');
    expect(await reminders.remind(stale)).toMatchObject({ done: true, sent: 0 });
    await events.update(event.id, { status: 'cancelled' }, 'recruiter-1');
    expect(await reminders.remind({ ...stale, startsAt: '2026-03-11T16:00:00.000Z' })).toMatchObject({ done: true, sent: 0 });
    expect(fakes.sent).toEqual([]);
  });

  it('tell the confirmed of a changed event once per version, with an invite that updates their calendar entry', async () => {
    const { events, rsvps, reminders, fakes } = setup();
    const event = await events.create(aWebinar());
    await rsvps.rsvp(event.id, person('ada'));
    await rsvps.rsvp(event.id, person('grace'));
    fakes.sent.length = 0;
    const moved = await events.update(event.id, { startsAt: '2026-03-11T16:00:00Z', endsAt: '2026-03-11T17:00:00Z' }, 'recruiter-1');
    expect(await reminders.notifyChange(event.id, moved.version)).toBe(1);
    expect(await reminders.notifyChange(event.id, moved.version)).toBe(0);
    expect(fakes.sent.map((m) => [m.to, m.subject, m.attachments?.[0]?.contentType])).toEqual([
      ['ada@example.com', 'Changed: Working here: a webinar', 'text/calendar; charset=UTF-8; method=REQUEST'],
    ]);
    const ics = fakes.sent[0]!.attachments![0]!.content;
    expect(ics).toContain('METHOD:REQUEST');
    expect(ics).toContain(`UID:${event.id}@talent-relay`);
    expect(ics).toContain(`SEQUENCE:${moved.version - 1}`);
    expect(ics).toContain('DTSTART:20260311T160000Z');
    // The event of an older change, delivered late: the newest details go out once, for the newest version.
    const renamed = await events.update(event.id, { title: 'Working here: the webinar' }, 'recruiter-1');
    expect(await reminders.notifyChange(event.id, moved.version)).toBe(1);
    expect(await reminders.notifyChange(event.id, renamed.version)).toBe(0);
    expect(fakes.sent.at(-1)?.subject).toBe('Changed: Working here: the webinar');
  });

  it('tell everyone of a cancelled event once, with a calendar cancellation for the confirmed', async () => {
    const { events, rsvps, reminders, fakes } = setup();
    const event = await events.create(aWebinar());
    await rsvps.rsvp(event.id, person('ada'));
    await rsvps.rsvp(event.id, person('grace'));
    await events.update(event.id, { status: 'cancelled' }, 'recruiter-1');
    fakes.sent.length = 0;
    expect(await reminders.notifyCancellation(event.id)).toBe(2);
    expect(await reminders.notifyCancellation(event.id)).toBe(0);
    expect(fakes.sent.map((m) => [m.to, m.attachments?.[0]?.contentType])).toEqual([
      ['ada@example.com', 'text/calendar; charset=UTF-8; method=CANCEL'],
      ['grace@example.com', undefined],
    ]);
  });
});

describe('a failed send', () => {
  it('counts as refused (certainly not sent) for SES throttling and 4xx answers, never for a timeout or a 5xx', () => {
    expect(refusedBySes(new TooManyRequestsException({ message: 'slow down', $metadata: {} }))).toBe(true);
    expect(refusedBySes(new MessageRejected({ message: 'rejected', $metadata: {} }))).toBe(true);
    expect(refusedBySes(Object.assign(new Error('Rate exceeded'), { name: 'Throttling' }))).toBe(true);
    expect(refusedBySes(Object.assign(new Error('Connection timed out'), { name: 'TimeoutError' }))).toBe(false);
    expect(refusedBySes(Object.assign(new Error('Internal failure'), { name: 'InternalFailure', $fault: 'server' }))).toBe(false);
  });

  const throttled = () => new MailNotSent('Maximum sending rate exceeded.');
  const timeout = () => Object.assign(new Error('Connection timed out'), { name: 'TimeoutError' });

  it('of a confirmation the mail service refused is sent when the event is delivered again', async () => {
    const { events, rsvps, fakes, deliver } = setup();
    const event = await events.create(aWebinar());
    await rsvps.rsvp(event.id, person('ada'));
    fakes.mailFailures.push(throttled());
    await expect(deliver()).rejects.toBeInstanceOf(MailNotSent);
    await deliver();
    expect(fakes.sent.map((m) => m.to)).toEqual(['ada@example.com']);
  });

  it('that timed out is not sent again: it may have gone out', async () => {
    const { events, rsvps, fakes, deliver } = setup();
    const event = await events.create(aWebinar());
    await rsvps.rsvp(event.id, person('ada'));
    fakes.mailFailures.push(timeout());
    await expect(deliver()).rejects.toThrow('Connection timed out');
    await deliver();
    expect(fakes.sent).toEqual([]);
  });

  it('of a reminder the mail service refused is sent by the retried task, to nobody twice', async () => {
    const { events, rsvps, reminders, fakes } = setup();
    const event = await events.create(aWebinar({ capacity: 2 }));
    for (const name of ['ada', 'grace']) await rsvps.rsvp(event.id, person(name));
    const input = { eventId: event.id, startsAt: event.startsAt, reminder: 'day-before' as const, remindAt: '2026-03-09T16:00:00.000Z' };
    fakes.mailFailures.push(throttled());
    await expect(reminders.remind(input)).rejects.toBeInstanceOf(MailNotSent);
    expect(await reminders.remind(input)).toMatchObject({ sent: 2 });
    expect(fakes.sent.map((m) => m.to)).toEqual(['ada@example.com', 'grace@example.com']);
  });

  it('of a cancellation notice the mail service refused is sent by the redelivery; one that timed out is not', async () => {
    const { events, rsvps, reminders, fakes } = setup();
    const event = await events.create(aWebinar());
    await rsvps.rsvp(event.id, person('ada'));
    await rsvps.rsvp(event.id, person('grace'));
    await events.update(event.id, { status: 'cancelled' }, 'recruiter-1');
    fakes.mailFailures.push(throttled());
    await expect(reminders.notifyCancellation(event.id)).rejects.toBeInstanceOf(MailNotSent);
    fakes.mailFailures.push(timeout());
    await expect(reminders.notifyCancellation(event.id)).rejects.toThrow('Connection timed out');
    expect(await reminders.notifyCancellation(event.id)).toBe(1);
    expect(fakes.sent.map((m) => m.to)).toEqual(['grace@example.com']);
  });
});
