import { describe, expect, it } from 'vitest';
import type { DomainEvent } from '../../events/contract.ts';
import { InvalidInput, Conflict, Unprocessable } from '../../shared/errors.ts';
import { eventMailService } from '../../functions/engagement/domain/event-mail.ts';
import { eventService } from '../../functions/engagement/domain/event-service.ts';
import { invitationService, invitationTemplate } from '../../functions/engagement/domain/invitation.ts';
import type { CreateHiringEvent } from '../../functions/engagement/schemas.ts';
import { engagementFakes } from '../fixtures/hiring-event-fakes.ts';

const NOW = '2026-03-01T09:00:00.000Z';
const aFair = (overrides: Partial<CreateHiringEvent> = {}): CreateHiringEvent => ({
  title: 'Spring career fair',
  kind: 'career-fair',
  startsAt: '2026-03-10T17:00:00+01:00',
  endsAt: '2026-03-10T20:00:00+01:00',
  timeZone: 'Europe/Berlin',
  venue: { name: 'Hall 7', address: { city: 'Berlin', country: 'DE' } },
  capacity: 2,
  ...overrides,
});

function setup() {
  const fakes = engagementFakes(NOW);
  const service = eventService(fakes);
  const mail = eventMailService({ ...fakes, reminders: fakes.reminderRuns });
  /** What the bus does with the schedules published so far: hands each to the mail function, which starts its run. */
  const deliverSchedules = async () => {
    for (const event of fakes.published.filter((e) => e.detailType === 'HiringEventScheduled')) await mail.startReminders(event.detail.hiringEventId as string, event.detail.version as number);
  };
  const invitations = invitationService(fakes);
  return { fakes, service, invitations, deliverSchedules };
}

/** What the service published, without the schedules every creation publishes. */
const changes = (published: DomainEvent[]) => published.filter((e) => e.detailType !== 'HiringEventScheduled');

const fieldOf = async (promise: Promise<unknown>) => {
  const error = await promise.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(InvalidInput);
  return (error as InvalidInput).errors.map((e) => e.path);
};

describe('scheduling hiring events', () => {
  it('refuses an event that starts in the past, naming startsAt', async () => {
    const { service } = setup();
    expect(await fieldOf(service.create(aFair({ startsAt: '2026-02-28T10:00:00Z', endsAt: '2026-03-02T10:00:00Z' }), 'recruiter-1'))).toEqual(['body.startsAt']);
  });

  it('stores times in UTC and starts the reminder run of its schedule at the day-before reminder, from the event it published', async () => {
    const { service, fakes, deliverSchedules } = setup();
    const event = await service.create(aFair(), 'recruiter-1');
    expect(fakes.runs.started).toEqual([]);
    await deliverSchedules();
    await deliverSchedules();
    expect(event).toMatchObject({ startsAt: '2026-03-10T16:00:00.000Z', endsAt: '2026-03-10T19:00:00.000Z', status: 'scheduled', rsvpUrl: `https://api.example.com/public/events/${event.id}` });
    expect(fakes.runs.started).toEqual([{ run: `${event.id}-v1`, input: { eventId: event.id, startsAt: '2026-03-10T16:00:00.000Z', reminder: 'day-before', remindAt: '2026-03-09T16:00:00.000Z' } }]);
  });

  it('starts no reminder run for an event whose reminders have all passed', async () => {
    const { service, fakes, deliverSchedules } = setup();
    await service.create(aFair({ startsAt: '2026-03-01T09:30:00Z', endsAt: '2026-03-01T11:00:00Z' }), 'recruiter-1');
    await deliverSchedules();
    expect(fakes.runs.started).toEqual([]);
  });

  it('moves the reminders with the start: a new run follows the new start', async () => {
    const { service, fakes, deliverSchedules } = setup();
    const event = await service.create(aFair(), 'recruiter-1');
    await deliverSchedules();
    const moved = await service.update(event.id, { startsAt: '2026-03-12T16:00:00Z', endsAt: '2026-03-12T19:00:00Z' }, 'recruiter-1');
    expect(moved.version).toBe(2);
    await deliverSchedules();
    expect(fakes.runs.started.map((r) => r.run)).toEqual([`${event.id}-v1`, `${event.id}-v2`]);
    expect(fakes.runs.started.at(-1)?.input).toMatchObject({ startsAt: '2026-03-12T16:00:00.000Z', reminder: 'day-before' });
  });

  it('keeps the reminder run when the start stays', async () => {
    const { service, fakes, deliverSchedules } = setup();
    const event = await service.create(aFair(), 'recruiter-1');
    await service.update(event.id, { title: 'Spring fair' }, 'recruiter-1');
    await deliverSchedules();
    expect(fakes.runs.started).toHaveLength(1);
  });

  it('refuses a change that ends the event before it starts', async () => {
    const { service } = setup();
    const event = await service.create(aFair(), 'recruiter-1');
    expect(await fieldOf(service.update(event.id, { endsAt: '2026-03-10T15:00:00Z' }, 'recruiter-1'))).toEqual(['body.endsAt']);
  });

  it('refuses a capacity below the seats taken', async () => {
    const { service, fakes } = setup();
    const event = await service.create(aFair(), 'recruiter-1');
    await fakes.rsvps.reserve({ id: 'rsvp_1', eventId: event.id, candidateId: 'cand_1', status: 'confirmed', createdAt: NOW, updatedAt: NOW }, NOW, []);
    await fakes.rsvps.reserve({ id: 'rsvp_2', eventId: event.id, candidateId: 'cand_2', status: 'confirmed', createdAt: NOW, updatedAt: NOW }, NOW, []);
    expect(await fieldOf(service.update(event.id, { capacity: 1 }, 'recruiter-1'))).toEqual(['body.capacity']);
  });

  it('publishes the raised capacity, so the waitlist takes the new seats', async () => {
    const { service, fakes } = setup();
    const event = await service.create(aFair(), 'recruiter-1');
    await service.update(event.id, { capacity: 5 }, 'recruiter-1');
    expect(changes(fakes.published).map((e) => [e.detailType, e.detail.hiringEventId, e.detail.capacity])).toEqual([['HiringEventCapacityRaised', event.id, 5]]);
  });

  it('publishes HiringEventChanged with the new version when the time, venue, join URL or title changes, not for other fields', async () => {
    const { service, fakes } = setup();
    const event = await service.create(aFair(), 'recruiter-1');
    await service.update(event.id, { description: 'Bring your CV.', capacity: 1 }, 'recruiter-1');
    await service.update(event.id, { startsAt: '2026-03-10T17:30:00+01:00' }, 'recruiter-1');
    await service.update(event.id, { venue: { name: 'Hall 8', address: { city: 'Berlin', country: 'DE' } } }, 'recruiter-1');
    await service.update(event.id, { title: 'Spring career fair (Hall 8)', joinUrl: 'https://meet.example.com/fair' }, 'recruiter-1');
    expect(changes(fakes.published).map((e) => [e.detailType, e.detail.version])).toEqual([['HiringEventChanged', 3], ['HiringEventChanged', 4], ['HiringEventChanged', 5]]);
  });

  it('cancels once: publishes HiringEventCancelled and refuses changes afterwards', async () => {
    const { service, fakes } = setup();
    const event = await service.create(aFair(), 'recruiter-1');
    const cancelled = await service.update(event.id, { status: 'cancelled' }, 'recruiter-1');
    expect(cancelled).toMatchObject({ status: 'cancelled', cancelledAt: NOW });
    expect(changes(fakes.published).map((e) => e.detailType)).toEqual(['HiringEventCancelled']);
    await expect(service.update(event.id, { title: 'Back on' }, 'recruiter-1')).rejects.toBeInstanceOf(Conflict);
  });

  it('reads a scheduled event as completed once it has ended', async () => {
    const { service, fakes } = setup();
    const event = await service.create(aFair(), 'recruiter-1');
    fakes.clock.set('2026-03-11T00:00:00.000Z');
    expect((await service.get(event.id)).status).toBe('completed');
  });
});

describe('check-in', () => {
  it('checks a person in once, publishing EventAttended with the hiring event once', async () => {
    const { service, fakes } = setup();
    const event = await service.create(aFair(), 'recruiter-1');
    const candidateId = await fakes.people.register({ email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace', eventTitle: event.title });
    await fakes.rsvps.reserve({ id: 'rsvp_1', eventId: event.id, candidateId, status: 'confirmed', createdAt: NOW, updatedAt: NOW }, NOW, []);
    fakes.clock.set('2026-03-10T16:30:00.000Z');
    const first = await service.checkIn(event.id, { email: 'ada@example.com' }, 'recruiter-1');
    const second = await service.checkIn(event.id, { candidateId }, 'recruiter-1');
    expect(first).toMatchObject({ created: true, attendee: { status: 'confirmed', attended: true, email: 'ada@example.com' } });
    expect(second).toMatchObject({ created: false, attendee: { rsvpId: 'rsvp_1', attended: true } });
    const attended = fakes.published.filter((e) => e.detailType === 'EventAttended');
    expect(attended.map((e) => e.detail)).toEqual([expect.objectContaining({ hiringEventId: event.id, rsvpId: 'rsvp_1', candidateId, title: event.title, walkIn: false })]);
  });

  it('takes someone without an RSVP as a walk-in', async () => {
    const { service, fakes } = setup();
    const event = await service.create(aFair(), 'recruiter-1');
    fakes.clock.set('2026-03-10T17:00:00.000Z');
    const { attendee } = await service.checkIn(event.id, { email: 'walk@example.com', firstName: 'Walk' }, 'recruiter-1');
    expect(attendee).toMatchObject({ status: 'walk-in', attended: true, noShow: false, email: 'walk@example.com' });
  });

  it.each(['waitlisted', 'cancelled'] as const)('takes someone %s as a walk-in, off the waitlist, so no seat comes to them after they came', async (status) => {
    const { service, fakes } = setup();
    const event = await service.create(aFair({ capacity: 1 }), 'recruiter-1');
    const ada = await fakes.people.register({ email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace', eventTitle: event.title });
    const grace = await fakes.people.register({ email: 'grace@example.com', firstName: 'Grace', lastName: 'Hopper', eventTitle: event.title });
    await fakes.rsvps.reserve({ id: 'rsvp_1', eventId: event.id, candidateId: ada, status: 'confirmed', createdAt: NOW, updatedAt: NOW }, NOW, []);
    await fakes.rsvps.reserve({ id: 'rsvp_2', eventId: event.id, candidateId: grace, status: 'waitlisted', createdAt: NOW, updatedAt: NOW }, NOW, []);
    if (status === 'cancelled') await fakes.rsvps.cancel((await fakes.rsvps.byId('rsvp_2'))!, undefined, NOW, []);
    fakes.clock.set('2026-03-10T16:30:00.000Z');
    const { attendee } = await service.checkIn(event.id, { candidateId: grace }, 'recruiter-1');
    expect(attendee).toMatchObject({ rsvpId: 'rsvp_2', status: 'walk-in', attended: true });
    expect(await fakes.rsvps.firstWaitlisted(event.id)).toBeUndefined();
    expect(await fakes.events.get(event.id)).toMatchObject({ confirmed: 1, waitlisted: 0, attended: 1 });
    expect(fakes.published.filter((e) => e.detailType === 'EventAttended').map((e) => e.detail)).toEqual([expect.objectContaining({ rsvpId: 'rsvp_2', walkIn: true })]);
  });

  it('opens on the day only', async () => {
    const { service } = setup();
    const event = await service.create(aFair(), 'recruiter-1');
    await expect(service.checkIn(event.id, { email: 'early@example.com' }, 'recruiter-1')).rejects.toBeInstanceOf(Unprocessable);
  });

  it('lists confirmed people who did not come as no-shows once the event has ended', async () => {
    const { service, fakes } = setup();
    const event = await service.create(aFair(), 'recruiter-1');
    const candidateId = await fakes.people.register({ email: 'away@example.com', firstName: 'A', lastName: 'Way', eventTitle: event.title });
    await fakes.rsvps.reserve({ id: 'rsvp_1', eventId: event.id, candidateId, status: 'confirmed', createdAt: NOW, updatedAt: NOW }, NOW, []);
    expect((await service.attendees(event.id, undefined, { limit: 50 })).items[0]).toMatchObject({ noShow: false });
    fakes.clock.set('2026-03-10T20:00:00.000Z');
    expect((await service.attendees(event.id, undefined, { limit: 50 })).items[0]).toMatchObject({ status: 'confirmed', attended: false, noShow: true });
  });
});

describe('invitations', () => {
  it('send a copy of the template with the event card through a one-shot campaign, and link it to the event', async () => {
    const { service, invitations, fakes } = setup();
    const event = await service.create(aFair(), 'recruiter-1');
    fakes.templates.set('tpl_1', { name: 'Invite', subject: 'Join us, {{firstName}}', html: '<html><body><p>Hi {{firstName}}</p></body></html>' });
    const sent = await invitations.invite(event.id, { audience: { poolId: 'pool_1' }, templateId: 'tpl_1' }, 'recruiter-1');
    expect(fakes.campaignsSent).toEqual([expect.objectContaining({ audience: { poolId: 'pool_1' }, timeZone: 'Europe/Berlin', name: 'Invitation: Spring career fair' })]);
    const derived = fakes.templates.get(fakes.campaignsSent[0]!.templateId)!;
    expect(derived.html).toContain(`href="${event.rsvpUrl}"`);
    expect(derived.html.indexOf('Spring career fair')).toBeLessThan(derived.html.indexOf('</body>'));
    expect((await service.get(event.id)).invitations).toEqual([expect.objectContaining({ campaignId: sent.campaignId, templateId: 'tpl_1' })]);
  });

  it('answer 422 naming templateId for a template that does not exist', async () => {
    const { service, invitations } = setup();
    const event = await service.create(aFair(), 'recruiter-1');
    await expect(invitations.invite(event.id, { audience: { poolId: 'pool_1' }, templateId: 'tpl_missing' }, 'recruiter-1')).rejects.toBeInstanceOf(Unprocessable);
  });

  it('never let event text become a placeholder of the campaign renderer', async () => {
    const { fakes, service } = setup();
    const event = await service.create(aFair({ title: 'Meet {{unsubscribeUrl}} team', description: 'Bring {{email}}' }), 'recruiter-1');
    const stored = (await fakes.events.get(event.id))!;
    const template = invitationTemplate({ name: 'Invite', subject: 'Hi', html: '<p>Hi</p>', text: 'Hi {{firstName}}' }, stored, event.rsvpUrl);
    expect(template.html).not.toMatch(/\{\{(unsubscribeUrl|email)\}\}/);
    expect(template.text).not.toMatch(/\{\{(unsubscribeUrl|email)\}\}/);
    expect(template.text).toContain('Hi {{firstName}}');
    expect(template.text).toContain(`RSVP: ${event.rsvpUrl}`);
  });
});
