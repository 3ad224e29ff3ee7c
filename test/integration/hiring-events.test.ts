import { randomUUID } from 'node:crypto';
import ICAL from 'ical.js';
import { describe, expect, inject, it } from 'vitest';
import { api, eventually } from './helpers.ts';

type Attachment = { filename: string; contentType: string; content: string };
type Mail = { messageId: string; to: string[]; subject: string; headers: Record<string, string>; text: string; html: string; attachments?: Attachment[] };
type HiringEvent = { id: string; title: string; startsAt: string; endsAt: string; status: string; confirmed: number; waitlisted: number; attended: number; rsvpUrl: string; version: number; invitations: { campaignId: string }[] };
type Rsvp = { id: string; eventId: string; status: string; message: string };
type Attendee = { rsvpId: string; candidateId: string; email?: string; status: string; attended: boolean; noShow: boolean };
type Problem = { status: number; errors?: { path: string; message: string }[] };

const marker = () => randomUUID().slice(0, 8);
const address = (name: string) => `${name}.${marker()}@example.com`;
const inHours = (hours: number) => new Date(Date.now() + hours * 3_600_000).toISOString();
const inSeconds = (seconds: number) => new Date(Date.now() + seconds * 1000).toISOString();
/** Each test is its own client of the public form (the form's rate limit counts per client address). */
const clientAddress = () => `10.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;

async function mailTo(to: string): Promise<Mail[]> {
  const response = await fetch(`${inject('apiUrl')}/_local/mail?to=${encodeURIComponent(to)}`);
  return ((await response.json()) as { items: Mail[] }).items.filter((mail) => mail.to.some((a) => a.toLowerCase() === to));
}

const anEvent = (overrides: Record<string, unknown> = {}) => ({
  title: `Engineering career fair ${marker()}`,
  kind: 'career-fair',
  description: 'Meet the teams, bring your questions.',
  // Six days ahead: at the local time scale (100,000) its reminder run ends about five seconds later, so none
  // outlives the tests.
  startsAt: inHours(24 * 6),
  endsAt: inHours(24 * 6 + 3),
  timeZone: 'Europe/Berlin',
  venue: { name: 'Hall 7', address: { street: 'Messedamm 22', city: 'Berlin', postalCode: '14055', country: 'DE' } },
  capacity: 10,
  ...overrides,
});

async function scheduled(overrides: Record<string, unknown> = {}): Promise<HiringEvent> {
  const response = await api('/events', { method: 'POST', body: anEvent(overrides) });
  expect(response.status).toBe(201);
  return response.body as HiringEvent;
}

function rsvp(eventId: string, person: { email: string; firstName?: string; lastName?: string }, client = clientAddress()) {
  return api(`/public/events/${eventId}/rsvps`, {
    method: 'POST', token: null, headers: { 'x-forwarded-for': client }, body: { firstName: 'Ada', lastName: 'Lovelace', ...person },
  });
}

const attendees = async (eventId: string) => ((await api(`/events/${eventId}/attendees?limit=200`, { role: 'viewer' })).body as { items: Attendee[] }).items;
const cancelLink = (mail: Mail) => /\/public\/rsvps\/([\w.-]+)/.exec(mail.text)?.[1];

describe('scheduling a hiring event', () => {
  it.each([
    ['starts in the past', { startsAt: inHours(-2), endsAt: inHours(1) }, 'body.startsAt'],
    ['ends before it starts', { startsAt: inHours(48), endsAt: inHours(47) }, 'body.endsAt'],
    ['has a negative capacity', { capacity: -1 }, 'body.capacity'],
    ['names an unknown time zone', { timeZone: 'Europe/Atlantis' }, 'body.timeZone'],
    ['has neither a venue nor a join URL', { venue: undefined }, 'body.venue'],
  ])('answers 400 naming the field when the event %s', async (_, overrides, path) => {
    const response = await api('/events', { method: 'POST', body: anEvent(overrides) });
    expect(response.status).toBe(400);
    expect((response.body as Problem).errors?.map((e) => e.path)).toContain(path);
  });

  it('lets recruiters schedule and viewers read, but not viewers schedule', async () => {
    expect((await api('/events', { method: 'POST', body: anEvent(), role: 'viewer' })).status).toBe(403);
    const event = await scheduled({ kind: 'webinar', venue: undefined, joinUrl: 'https://meet.example.com/abc' });
    const read = await api(`/events/${event.id}`, { role: 'viewer' });
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ id: event.id, kind: 'webinar', status: 'scheduled', confirmed: 0, waitlisted: 0, rsvpUrl: `${inject('apiUrl')}/public/events/${event.id}` });
    const page = await api((read.body as HiringEvent).rsvpUrl.replace(inject('apiUrl'), ''), { token: null });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(String(page.body)).toContain('<button type="submit">RSVP</button>');
    const listed = await api(`/events?from=${encodeURIComponent(event.startsAt)}&to=${encodeURIComponent(event.endsAt)}&limit=200`, { role: 'viewer' });
    expect((listed.body as { items: HiringEvent[] }).items.map((e) => e.id)).toContain(event.id);
  });

  it('answers 400 naming query.to, not 500, for a range that ends before it starts', async () => {
    const listed = await api(`/events?from=${encodeURIComponent(inHours(48))}&to=${encodeURIComponent(inHours(24))}`, { role: 'viewer' });
    expect(listed.status).toBe(400);
    expect((listed.body as Problem).errors?.map((e) => e.path)).toEqual(['query.to']);
  });
});

describe('RSVPs', () => {
  it('gives exactly 10 seats to 50 people who RSVP at once, and waitlists the other 40', async () => {
    const event = await scheduled({ capacity: 10 });
    const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => rsvp(event.id, { email: address(`crowd${i}`) })));
    expect(answers.map((a) => a.status)).toEqual(Array(50).fill(201));
    const statuses = answers.map((a) => (a.body as Rsvp).status);
    expect(statuses.filter((s) => s === 'confirmed')).toHaveLength(10);
    expect(statuses.filter((s) => s === 'waitlisted')).toHaveLength(40);
    expect((await api(`/events/${event.id}`)).body).toMatchObject({ confirmed: 10, waitlisted: 40 });
    const people = await attendees(event.id);
    expect(people.filter((p) => p.status === 'confirmed')).toHaveLength(10);
    expect(people.filter((p) => p.status === 'waitlisted')).toHaveLength(40);
  });

  it('answers an address that RSVP\'d already as it answers a new one, changing nothing, and emails its owner their registration', async () => {
    const event = await scheduled({ capacity: 1 });
    const email = address('twice');
    const first = await rsvp(event.id, { email });
    expect(first.status).toBe(201);
    await eventually(async () => expect((await mailTo(email)).map((m) => m.subject.split(':')[0])).toEqual(["You're registered"]));
    // Anyone may type her address: the answer must be the one a stranger gets now (the seat is taken: waitlisted).
    const again = await rsvp(event.id, { email: email.toUpperCase(), firstName: 'Someone', lastName: 'Else' });
    const stranger = await rsvp(event.id, { email: address('stranger') });
    expect([again.status, stranger.status]).toEqual([201, 201]);
    const [repeated, fresh] = [again.body as Rsvp, stranger.body as Rsvp];
    expect({ status: repeated.status, message: repeated.message }).toEqual({ status: fresh.status, message: fresh.message });
    expect(repeated.status).toBe('waitlisted');
    expect(repeated.id).not.toBe((first.body as Rsvp).id);
    expect((await api(`/events/${event.id}`)).body).toMatchObject({ confirmed: 1, waitlisted: 1 });
    await eventually(async () => expect((await mailTo(email)).map((m) => m.subject.split(':')[0])).toEqual(["You're registered", 'Your registration']));
    // Within the hour a third try mails nothing more.
    expect((await rsvp(event.id, { email })).status).toBe(201);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await mailTo(email)).toHaveLength(2);
  });

  it('answers 404 for an unknown event and 410 once the event is cancelled, and tells everyone who RSVP\'d', async () => {
    expect((await rsvp('hev_01JAAAAAAAAAAAAAAAAAAAAAAA', { email: address('nobody') })).status).toBe(404);
    const event = await scheduled({ capacity: 1 });
    const [seated, waiting] = [address('seated'), address('waiting')];
    await rsvp(event.id, { email: seated });
    await rsvp(event.id, { email: waiting });
    const cancelled = await api(`/events/${event.id}`, { method: 'PATCH', body: { status: 'cancelled' } });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ status: 'cancelled' });
    expect((await rsvp(event.id, { email: address('late') })).status).toBe(410);
    await eventually(async () => {
      const notice = (await mailTo(seated)).find((m) => m.subject.startsWith('Cancelled:'));
      expect(notice?.attachments?.[0]?.contentType).toBe('text/calendar; charset=UTF-8; method=CANCEL');
      expect((await mailTo(waiting)).some((m) => m.subject.startsWith('Cancelled:'))).toBe(true);
    });
  });

  it('emails the confirmation with an iCalendar invite that a calendar parser accepts', async () => {
    const event = await scheduled();
    const email = address('calendar');
    expect((await rsvp(event.id, { email, firstName: 'Grace', lastName: 'Hopper' })).status).toBe(201);
    let invite: Attachment | undefined;
    await eventually(async () => {
      invite = (await mailTo(email)).find((m) => m.subject.startsWith("You're registered"))?.attachments?.find((a) => a.filename === 'invite.ics');
      expect(invite).toBeDefined();
    });
    expect(invite!.contentType).toBe('text/calendar; charset=UTF-8; method=REQUEST');
    const calendar = new ICAL.Component(ICAL.parse(invite!.content));
    expect(calendar.getFirstPropertyValue('method')).toBe('REQUEST');
    expect(calendar.getFirstPropertyValue('version')).toBe('2.0');
    expect(calendar.getFirstPropertyValue('prodid')).toBeTruthy();
    const vevent = calendar.getFirstSubcomponent('vevent')!;
    const parsed = new ICAL.Event(vevent);
    expect(parsed.uid).toBe(`${event.id}@talent-relay`);
    expect(parsed.summary).toBe(event.title);
    // iCalendar times have whole seconds.
    const seconds = (instant: string) => new Date(Math.floor(Date.parse(instant) / 1000) * 1000).toISOString();
    expect(parsed.startDate.toJSDate().toISOString()).toBe(seconds(event.startsAt));
    expect(parsed.endDate.toJSDate().toISOString()).toBe(seconds(event.endsAt));
    expect(parsed.location).toContain('Messedamm 22');
    expect(parsed.sequence).toBe(0);
    expect(vevent.getFirstPropertyValue('dtstamp')).toBeTruthy();
    expect(String(vevent.getFirstPropertyValue('organizer')).toLowerCase()).toContain('mailto:');
    expect(String(vevent.getFirstPropertyValue('attendee')).toLowerCase()).toBe(`mailto:${email}`);
  });

  it('emails the confirmed an updated invite (same UID, higher SEQUENCE) when the event moves, and not the waitlisted', async () => {
    const event = await scheduled({ capacity: 1 });
    const [confirmed, waiting] = [address('moved'), address('waiting')];
    for (const email of [confirmed, waiting]) await rsvp(event.id, { email });
    const moved = await api(`/events/${event.id}`, { method: 'PATCH', body: { startsAt: inHours(24 * 6 + 1), endsAt: inHours(24 * 6 + 4) } });
    expect(moved.status).toBe(200);
    let invite: Attachment | undefined;
    await eventually(async () => {
      invite = (await mailTo(confirmed)).find((m) => m.subject === `Changed: ${event.title}`)?.attachments?.find((a) => a.filename === 'invite.ics');
      expect(invite).toBeDefined();
    }, 20_000);
    expect(invite!.contentType).toBe('text/calendar; charset=UTF-8; method=REQUEST');
    const parsed = new ICAL.Event(new ICAL.Component(ICAL.parse(invite!.content)).getFirstSubcomponent('vevent')!);
    expect(parsed.uid).toBe(`${event.id}@talent-relay`);
    expect(parsed.sequence).toBe((moved.body as HiringEvent).version - 1);
    expect(parsed.startDate.toJSDate().toISOString()).toBe(new Date(Math.floor(Date.parse((moved.body as HiringEvent).startsAt) / 1000) * 1000).toISOString());
    expect((await mailTo(waiting)).filter((m) => m.subject.startsWith('Changed'))).toEqual([]);
  });

  it('cancels by the emailed link, hands the seat to the longest-waiting person, who is emailed an invite', async () => {
    const event = await scheduled({ capacity: 1 });
    const [holder, first, second] = [address('holder'), address('first'), address('second')];
    for (const email of [holder, first, second]) await rsvp(event.id, { email });
    let token: string | undefined;
    await eventually(async () => {
      token = cancelLink((await mailTo(holder))[0]!);
      expect(token).toBeDefined();
    });

    const page = await api(`/public/rsvps/${token}`, { token: null });
    expect(page.status).toBe(200);
    expect(String(page.body)).toContain('<button type="submit">Cancel my registration</button>');

    const cancelled = await api(`/public/rsvps/${token}`, { method: 'DELETE', token: null });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', alreadyCancelled: false });
    await eventually(async () => {
      const promoted = (await mailTo(first)).find((m) => m.subject.startsWith('A seat came free'));
      expect(promoted?.attachments?.[0]?.contentType).toBe('text/calendar; charset=UTF-8; method=REQUEST');
    });
    const byEmail = new Map((await attendees(event.id)).map((a) => [a.email, a.status]));
    expect(Object.fromEntries(byEmail)).toMatchObject({ [holder]: 'cancelled', [first]: 'confirmed', [second]: 'waitlisted' });
    expect((await api(`/events/${event.id}`)).body).toMatchObject({ confirmed: 1, waitlisted: 1 });
    expect((await mailTo(second)).some((m) => m.subject.startsWith('A seat came free'))).toBe(false);

    const twice = await api(`/public/rsvps/${token}`, { method: 'DELETE', token: null });
    expect(twice.status).toBe(200);
    expect(twice.body).toMatchObject({ alreadyCancelled: true, message: 'This registration was already cancelled.' });
  });

  it('seats the longest-waiting people when the capacity grows, and refuses a capacity below the seats taken', async () => {
    const event = await scheduled({ capacity: 1 });
    const [seated, first, second] = [address('seated'), address('first'), address('second')];
    for (const email of [seated, first, second]) await rsvp(event.id, { email });
    const below = await api(`/events/${event.id}`, { method: 'PATCH', body: { capacity: 0 } });
    expect(below.status).toBe(400);
    expect((below.body as Problem).errors?.[0]?.path).toBe('body.capacity');
    expect((await api(`/events/${event.id}`, { method: 'PATCH', body: { capacity: 2 } })).status).toBe(200);
    await eventually(async () => expect((await mailTo(first)).some((m) => m.subject.startsWith('A seat came free'))).toBe(true));
    await eventually(async () => expect((await api(`/events/${event.id}`)).body).toMatchObject({ confirmed: 2, waitlisted: 1 }));
    expect((await mailTo(second)).some((m) => m.subject.startsWith('A seat came free'))).toBe(false);
  });

  it('answers the RSVP page\'s form with a page, and drops a filled honeypot without a trace', async () => {
    const event = await scheduled();
    const email = address('form');
    const form = await api(`/public/events/${event.id}/rsvps`, {
      method: 'POST', token: null, headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': clientAddress() },
      rawBody: new URLSearchParams({ email, firstName: 'Form', lastName: 'Filler' }).toString(),
    });
    expect(form.status).toBe(201);
    expect(form.headers.get('content-type')).toContain('text/html');
    const bot = address('bot');
    expect((await rsvp(event.id, { email: bot, website: 'https://spam.example.com' } as never)).status).toBe(201);
    await eventually(async () => expect(await mailTo(email)).toHaveLength(1));
    expect(await mailTo(bot)).toEqual([]);
    expect((await api(`/events/${event.id}`)).body).toMatchObject({ confirmed: 1 });
  });

  it('cancels from the link\'s page with its button, and takes the person back when they RSVP again', async () => {
    const event = await scheduled();
    const email = address('page');
    await rsvp(event.id, { email });
    let token: string | undefined;
    await eventually(async () => {
      token = cancelLink((await mailTo(email))[0]!);
      expect(token).toBeDefined();
    });
    const done = await api(`/public/rsvps/${token}`, { method: 'POST', token: null });
    expect(done.status).toBe(200);
    expect(String(done.body)).toContain('Registration cancelled');
    expect(String((await api(`/public/rsvps/${token}`, { token: null })).body)).toContain('already cancelled');
    // Changed their mind: the same RSVP is renewed, and confirmed again by email.
    const again = await rsvp(event.id, { email });
    expect(again.status).toBe(201);
    expect(again.body).toMatchObject({ status: 'confirmed' });
    await eventually(async () => expect((await mailTo(email)).filter((m) => m.subject.startsWith("You're registered"))).toHaveLength(2));
  });

  it('answers 401 to a forged or tampered link and changes nothing', async () => {
    const event = await scheduled();
    const email = address('forged');
    await rsvp(event.id, { email });
    let token = '';
    await eventually(async () => {
      token = cancelLink((await mailTo(email))[0]!) ?? '';
      expect(token).not.toBe('');
    });
    const [payload, signature] = token.split('.');
    const tampered = `${payload}.${signature!.slice(0, -2)}${signature!.endsWith('AA') ? 'BB' : 'AA'}`;
    for (const forged of [tampered, 'bm90LWEtdG9rZW4.c2lnbmF0dXJl']) {
      expect((await api(`/public/rsvps/${forged}`, { method: 'DELETE', token: null })).status).toBe(401);
      expect((await api(`/public/rsvps/${forged}`, { method: 'POST', token: null })).status).toBe(401);
    }
    expect((await attendees(event.id))[0]).toMatchObject({ email, status: 'confirmed' });
  });
});

describe('reminders', () => {
  it('remind confirmed people 24 hours and 1 hour before, following a moved start, and skip suppressed addresses', async () => {
    const createdAt = Date.now();
    const event = await scheduled({ capacity: 5 });
    const [attendee, suppressed] = [address('reminded'), address('suppressed')];
    await api('/suppressions', { method: 'POST', body: { email: suppressed, reason: 'manual' } });
    for (const email of [attendee, suppressed]) expect((await rsvp(event.id, { email })).body).toMatchObject({ status: 'confirmed' });

    // Six days ahead, the first reminder is five days off. Moved to tomorrow, they come at once (time scale 100,000).
    const moved = await api(`/events/${event.id}`, { method: 'PATCH', body: { startsAt: inHours(26), endsAt: inHours(28) } });
    expect(moved.status).toBe(200);
    const reminders = async () => (await mailTo(attendee)).filter((m) => /^(Tomorrow|Starting in an hour):/.test(m.subject));
    await eventually(async () => expect((await reminders()).map((m) => m.subject.split(':')[0]).sort()).toEqual(['Starting in an hour', 'Tomorrow']), 20_000);
    const startsAt = (moved.body as HiringEvent).startsAt;
    const day = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Berlin', day: 'numeric', month: 'long' }).format(new Date(startsAt));
    expect((await reminders())[0]!.text).toContain(day);
    // The run of the old start (its reminders due 4.3 and 5.2 s after creation here) never sends: nobody is reminded twice.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, createdAt + 6500 - Date.now())));
    expect(await reminders()).toHaveLength(2);
    expect(await mailTo(suppressed)).toEqual([]);
  });
});

describe('check-in and attendance', () => {
  it('checks people in once, takes walk-ins, shows no-shows after the end, and puts the attendance on the timeline', async () => {
    const event = await scheduled({ startsAt: inSeconds(3), endsAt: inSeconds(8), capacity: undefined });
    const [came, stayedAway, walkIn] = [address('came'), address('away'), address('walkin')];
    for (const email of [came, stayedAway]) await rsvp(event.id, { email });

    const checkedIn = await api(`/events/${event.id}/checkins`, { method: 'POST', body: { email: came } });
    expect(checkedIn.status).toBe(201);
    expect(checkedIn.body).toMatchObject({ status: 'confirmed', attended: true });
    const again = await api(`/events/${event.id}/checkins`, { method: 'POST', body: { candidateId: (checkedIn.body as Attendee).candidateId } });
    expect(again.status).toBe(200);
    expect((again.body as Attendee).rsvpId).toBe((checkedIn.body as Attendee).rsvpId);
    const walkedIn = await api(`/events/${event.id}/checkins`, { method: 'POST', body: { email: walkIn, firstName: 'Walk', lastName: 'In' } });
    expect(walkedIn.status).toBe(201);
    expect(walkedIn.body).toMatchObject({ status: 'walk-in', attended: true });
    expect((await api(`/events/${event.id}/checkins`, { method: 'POST', body: { email: walkIn }, role: 'viewer' })).status).toBe(403);

    await eventually(async () => {
      const byEmail = new Map((await attendees(event.id)).map((a) => [a.email, a]));
      expect(byEmail.get(came)).toMatchObject({ status: 'confirmed', attended: true, noShow: false });
      expect(byEmail.get(walkIn)).toMatchObject({ status: 'walk-in', attended: true, noShow: false });
      expect(byEmail.get(stayedAway)).toMatchObject({ status: 'confirmed', attended: false, noShow: true });
    }, 20_000);
    expect((await api(`/events/${event.id}`)).body).toMatchObject({ attended: 2, status: 'completed' });

    const candidateId = (checkedIn.body as Attendee).candidateId;
    await eventually(async () => {
      const timeline = (await api(`/candidates/${candidateId}/timeline`)).body as { items: { type: string; summary: string; data?: { hiringEventId?: string } }[] };
      expect(timeline.items.filter((entry) => entry.type === 'event-attended')).toEqual([expect.objectContaining({ summary: `Attended the event "${event.title}"`, data: { hiringEventId: event.id } })]);
    });
  });
});

describe('invitations', () => {
  it('go out as a one-shot campaign of the template with the event and its RSVP link, unsubscribe headers included, skipping suppressed addresses', async () => {
    const event = await scheduled();
    const pool = (await api('/pools', { method: 'POST', body: { name: `Invitees ${marker()}` } })).body as { id: string };
    const [invited, suppressed] = [address('invited'), address('unsubscribed')];
    const ids: string[] = [];
    for (const email of [invited, suppressed]) {
      const created = await api('/candidates', { method: 'POST', body: { email, firstName: 'Ada', consents: [{ purpose: 'marketing-email', granted: true }] } });
      ids.push((created.body as { id: string }).id);
    }
    expect((await api(`/pools/${pool.id}/members`, { method: 'POST', body: { candidateIds: ids } })).status).toBeLessThan(300);
    await api('/suppressions', { method: 'POST', body: { email: suppressed, reason: 'unsubscribe' } });
    const template = await api('/templates', { method: 'POST', body: { name: 'Event invitation', subject: 'You are invited, {{firstName|default:"friend"}}', html: '<p>Hi {{firstName}}, join us.</p>' } });
    expect(template.status).toBe(201);

    const invitation = await api(`/events/${event.id}/invitations`, { method: 'POST', body: { audience: { poolId: pool.id }, templateId: (template.body as { id: string }).id } });
    expect(invitation.status).toBe(201);
    const campaignId = (invitation.body as { campaignId: string }).campaignId;
    expect(campaignId).toMatch(/^camp_/);

    await eventually(async () => {
      const [mail] = await mailTo(invited);
      expect(mail?.subject).toBe('You are invited, Ada');
      expect(mail?.headers['list-unsubscribe']).toMatch(/^<.*\/u\/.+>$/);
      expect(mail?.headers['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');
      expect(mail?.html).toContain(event.rsvpUrl);
      expect(mail?.html).toContain(event.title);
      expect(mail?.text).toContain(`RSVP (${event.rsvpUrl})`);
    }, 20_000);
    await eventually(async () => expect((await api(`/campaigns/${campaignId}/stats`)).body).toMatchObject({ skipped: { unsubscribed: 1 } }), 20_000);
    expect(await mailTo(suppressed)).toEqual([]);
    expect(((await api(`/events/${event.id}`)).body as HiringEvent).invitations.map((i) => i.campaignId)).toEqual([campaignId]);
  });
});
