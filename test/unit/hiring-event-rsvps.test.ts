import { describe, expect, it } from 'vitest';
import { Gone, NotFound, Unauthorized } from '../../shared/errors.ts';
import { eventService } from '../../functions/engagement/domain/event-service.ts';
import { eventMailService, type RsvpChange } from '../../functions/engagement/domain/event-mail.ts';
import { firstReminder } from '../../functions/engagement/domain/reminders.ts';
import { rsvpService } from '../../functions/engagement/domain/rsvp-service.ts';
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
  const events = eventService({ ...fakes, reminders: fakes.reminderRuns });
  const rsvps = rsvpService(fakes);
  const mail = eventMailService(fakes);
  let delivered = 0;
  /** What the bus would hand the mail function: the RSVP events published since the last delivery. */
  const deliver = async () => {
    for (const event of fakes.published.slice(delivered)) {
      if (event.detailType === 'RsvpConfirmed' || event.detailType === 'RsvpWaitlisted') await mail.notifyRsvp(event as unknown as RsvpChange);
    }
    delivered = fakes.published.length;
  };
  return { fakes, events, rsvps, reminders: mail, mail, deliver };
}

describe('RSVPs', () => {
  it('confirm while seats are free, then waitlist, each emailed once accordingly', async () => {
    const { events, rsvps, fakes, deliver, mail } = setup();
    const event = await events.create(aWebinar());
    const first = await rsvps.rsvp(event.id, person('ada'));
    const second = await rsvps.rsvp(event.id, person('grace'));
    expect([first.rsvp.status, second.rsvp.status]).toEqual(['confirmed', 'waitlisted']);
    await deliver();
    // Redelivered by the bus: nothing more goes out.
    for (const event of fakes.published) await mail.notifyRsvp(event as unknown as RsvpChange);
    expect(fakes.sent.map((m) => [m.to, m.subject, m.attachments?.[0]?.contentType])).toEqual([
      ['ada@example.com', "You're registered: Working here: a webinar", 'text/calendar; method=REQUEST'],
      ['grace@example.com', "You're on the waitlist: Working here: a webinar", undefined],
    ]);
    expect(fakes.published.map((e) => e.detailType)).toEqual(['RsvpConfirmed', 'RsvpWaitlisted']);
  });

  it('answer an address that has an RSVP with that RSVP, publishing nothing more', async () => {
    const { events, rsvps, fakes } = setup();
    const event = await events.create(aWebinar());
    const first = await rsvps.rsvp(event.id, person('ada'));
    const again = await rsvps.rsvp(event.id, { ...person('ada'), firstName: 'Someone' });
    expect(again).toEqual({ rsvp: first.rsvp, created: false });
    expect(fakes.published).toHaveLength(1);
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
    expect(answer.rsvp.status).toBe('confirmed');
    expect(fakes.rsvpRecords.size).toBe(0);
    expect(fakes.published).toEqual([]);
  });

  it('send no email to a suppressed address, but keep the RSVP', async () => {
    const { events, rsvps, fakes, deliver } = setup();
    const event = await events.create(aWebinar());
    fakes.suppressedAddresses.add('ada@example.com');
    expect((await rsvps.rsvp(event.id, person('ada'))).rsvp.status).toBe('confirmed');
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
    const { outcome } = await rsvps.cancel(`signed.${holder.rsvp.id}`);
    await deliver();
    expect(outcome).toBe('cancelled');
    expect((await fakes.rsvps.byId(first.rsvp.id))?.status).toBe('confirmed');
    expect(await fakes.events.get(event.id)).toMatchObject({ confirmed: 1, waitlisted: 1 });
    expect(fakes.sent.map((m) => [m.to, m.subject.split(':')[0]])).toEqual([['grace@example.com', 'A seat came free']]);
  });

  it('lets someone who cancelled RSVP again: the same RSVP, at the back of the waitlist, emailed again', async () => {
    const { events, rsvps, fakes, deliver } = setup();
    const event = await events.create(aWebinar());
    const holder = await rsvps.rsvp(event.id, person('ada'));
    await rsvps.rsvp(event.id, person('grace'));
    await rsvps.cancel(`signed.${holder.rsvp.id}`);
    await rsvps.rsvp(event.id, person('hedy'));
    fakes.clock.set('2026-03-01T09:05:00.000Z');
    await deliver();
    fakes.sent.length = 0;
    const again = await rsvps.rsvp(event.id, person('ada'));
    expect(again).toMatchObject({ created: true, rsvp: { id: holder.rsvp.id, status: 'waitlisted' } });
    await deliver();
    expect(fakes.sent.map((m) => [m.to, m.subject.split(':')[0]])).toEqual([['ada@example.com', "You're on the waitlist"]]);
    expect((await fakes.rsvps.firstWaitlisted(event.id))?.candidateId).toBe(fakes.people.byEmail('hedy@example.com'));
  });

  it('says when it was cancelled already', async () => {
    const { events, rsvps } = setup();
    const event = await events.create(aWebinar());
    const { rsvp } = await rsvps.rsvp(event.id, person('ada'));
    await rsvps.cancel(`signed.${rsvp.id}`);
    expect((await rsvps.cancel(`signed.${rsvp.id}`)).outcome).toBe('already');
  });

  it('refuses a forged link with 401 and changes nothing', async () => {
    const { events, rsvps, fakes } = setup();
    const event = await events.create(aWebinar());
    const { rsvp } = await rsvps.rsvp(event.id, person('ada'));
    await expect(rsvps.cancel(`forged.${rsvp.id}`)).rejects.toBeInstanceOf(Unauthorized);
    expect((await fakes.rsvps.byId(rsvp.id))?.status).toBe('confirmed');
  });
});

describe('reminders', () => {
  it('are not sent to someone who cancelled before the confirmation went out', async () => {
    const { events, rsvps, fakes, deliver } = setup();
    const event = await events.create(aWebinar());
    const { rsvp } = await rsvps.rsvp(event.id, person('ada'));
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
      ['ada@example.com', 'text/calendar; method=CANCEL'],
      ['grace@example.com', undefined],
    ]);
  });
});
