/**
 * Every analytics KPI, end to end on a stack of its own (vitest project `analytics`): a small pool is seeded through the
 * API and the local mail and event helpers, and each report is compared with numbers worked out by hand.
 *
 * The people (all created today through POST /candidates; ✓ = marketing-email consent):
 *   A  referral     passive ✓  campaign: human open + click; applies (utm newsletter/email/spring) → hired; RSVP + attends; NPS 10; 2 calls; → active
 *   B  career-site  active  ✓  campaign: machine open + a reply; applies (utm linkedin/social) → offer → rejected; NPS 9
 *   C  referral     passive ✓  campaign: hard bounce
 *   D  event        passive ✓  campaign: complaint
 *   E  manual       active  ✓  campaign: unsubscribes (which withdraws the consent); NPS 3; walks in at the event
 *   F  career-site  active     applies (no utm), stays applied; RSVPs, does not come
 *   G  manual       passive    1 call; merge survivor of H; a touchpoint event four days from now (delivered twice)
 *   H  manual       passive    merged into G
 *   I  manual       active  ✓  erased
 *   J  career-site  passive    joins the talent community (the event delivered twice)
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { TouchpointLogged } from '../../events/candidates.ts';
import { makeEvent, type DomainEvent } from '../../events/contract.ts';
import { TalentCommunityJoined } from '../../events/syndication.ts';
import { LOCAL_TABLE } from '../../infra/local/stack.ts';
import { newId } from '../../shared/ids.ts';
import { aCandidateInput } from '../fixtures/builders.ts';
import { api, eventually, local, tokenFor } from './helpers.ts';

const dynamo = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: inject('dynamoEndpoint'), region: 'eu-west-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }));
afterAll(() => dynamo.destroy());

/** Puts events on the bus through the outbox, as the relay publishes them; `copies` outbox entries each (a redelivery). */
async function deliver(event: DomainEvent, copies: number) {
  for (let copy = 0; copy < copies; copy++) {
    await dynamo.send(new PutCommand({ TableName: LOCAL_TABLE, Item: { PK: `EVENT#${event.detail.eventId}#${copy}`, SK: 'EVENT', events: [event], expiresAt: Math.floor(Date.now() / 1000) + 3600 } }));
  }
}

interface Person { id: string; email: string }
interface Mail { messageId: string; subject: string; text: string; headers: Record<string, string> }

const consent = [{ purpose: 'marketing-email', granted: true }];
const DAY_MS = 86_400_000;
// Everything is seeded today (UTC); a run across midnight would split the day's counts.
const day = new Date().toISOString().slice(0, 10);
const range = `from=${day}&to=${day}`;

async function aPerson(source: string, status: 'active' | 'passive', consents: typeof consent | [] = []): Promise<Person> {
  const created = await api('/candidates', { method: 'POST', body: aCandidateInput({ source: { type: source as 'manual' }, status, consents }) });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body as Person;
}

async function ok(path: string, body?: unknown, method = 'POST', role: 'recruiter' | 'admin' = 'recruiter') {
  const response = await api(path, { method, ...(body === undefined ? {} : { body }), role });
  expect(response.status, `${method} ${path}: ${JSON.stringify(response.body)}`).toBeLessThan(300);
  return response.body as Record<string, unknown> & { id: string };
}

const mailTo = async (to: string) => ((await (await fetch(`${inject('apiUrl')}/_local/mail?to=${encodeURIComponent(to)}`)).json()) as { items: Mail[] }).items;
async function mailWith(to: string, subject: string): Promise<Mail> {
  let found: Mail | undefined;
  await eventually(async () => {
    found = (await mailTo(to)).find((m) => m.subject === subject);
    expect(found).toBeDefined();
  });
  return found!;
}

const read = async <T = Record<string, unknown>>(path: string) => {
  const response = await api(path, { role: 'viewer' });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body as T;
};

type FunnelRow = { key: string; stages: Record<string, number>; conversion: Record<string, number | null>; overall: number | null };
const clientAddress = () => `10.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;

const ids = { campaign: '', segment: '', job: '', hiringEvent: '' };
let people: Record<'A' | 'B' | 'C' | 'D' | 'E' | 'F' | 'G' | 'H' | 'I' | 'J', Person>;
let touchpointEvent: DomainEvent;

beforeAll(async () => {
  people = {
    A: await aPerson('referral', 'passive', consent),
    B: await aPerson('career-site', 'active', consent),
    C: await aPerson('referral', 'passive', consent),
    D: await aPerson('event', 'passive', consent),
    E: await aPerson('manual', 'active', consent),
    F: await aPerson('career-site', 'active'),
    G: await aPerson('manual', 'passive'),
    H: await aPerson('manual', 'passive'),
    I: await aPerson('manual', 'active', consent),
    J: await aPerson('career-site', 'passive'),
  };
  const { A, B, C, D, E, F, G, H, I, J } = people;

  // NPS first, while everyone can still be emailed: 10 and 9 promote, 3 detracts.
  const survey = await ok('/surveys', { name: 'Experience', title: 'Quick question', questions: [{ id: 'recommend', type: 'nps', label: 'Would you recommend us?', required: true }], trigger: { on: 'manual' } });
  await ok(`/surveys/${survey.id}/sends`, { candidateIds: [A.id, B.id, E.id] });
  for (const [who, score] of [[A, 10], [B, 9], [E, 3]] as const) {
    const link = /https?:\/\/\S+\/public\/surveys\/[\w.-]+/.exec((await mailWith(who.email, 'Quick question')).text)![0];
    const answered = await fetch(link, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ answers: { recommend: score } }) });
    expect(answered.status).toBeLessThan(300);
  }

  // The campaign to A–E, through a static segment.
  const segment = await ok('/segments', { name: 'Analytics people', kind: 'static' });
  ids.segment = segment.id;
  await ok(`/segments/${segment.id}/members`, { candidateIds: [A.id, B.id, C.id, D.id, E.id] });
  const template = await ok('/templates', { name: 'Nurture', subject: 'Hello from us', html: '<p>Hi</p><p><a href="{{unsubscribeUrl}}">Unsubscribe</a></p>' });
  const campaign = await ok('/campaigns', { name: 'Analytics', kind: 'one-shot', audience: { segmentId: segment.id }, templateId: template.id });
  ids.campaign = campaign.id;
  await ok(`/campaigns/${campaign.id}/launch`);
  await eventually(async () => expect(await read(`/campaigns/${campaign.id}/stats`)).toMatchObject({ sent: 5, delivered: 5 }), 60_000);
  const [a, b, c, d, e] = await Promise.all([A, B, C, D, E].map((p) => mailWith(p.email, 'Hello from us')));
  // Opens a minute after delivery: a reader, not a prefetch. `Mozilla/5.0` alone is Apple Mail Privacy Protection.
  const later = new Date(Date.now() + 60_000).toISOString();
  await local('/_local/ses-events', { messageId: a!.messageId, eventType: 'Open', open: { timestamp: later } });
  await local('/_local/ses-events', { messageId: a!.messageId, eventType: 'Click', click: { timestamp: later, link: 'https://example.com/jobs' } });
  await local('/_local/ses-events', { messageId: b!.messageId, eventType: 'Open', open: { timestamp: later, userAgent: 'Mozilla/5.0', ipAddress: '17.58.63.12' } });
  await local('/_local/ses-events', { messageId: c!.messageId, eventType: 'Bounce' });
  await local('/_local/ses-events', { messageId: d!.messageId, eventType: 'Complaint' });
  // One thing at a time on the campaign's counters, as people do (they are few).
  await eventually(async () => expect(await read(`/campaigns/${campaign.id}/stats`)).toMatchObject({ delivered: 5, bounced: 1, complained: 1, clicked: 1, opened: { human: 1, machine: 1 } }));
  const reply = [`From: <${B.email}>`, `To: ${b!.headers['reply-to']}`, 'Subject: Re: Hello from us', '', 'Tell me more.'].join('\r\n');
  expect((await fetch(`${inject('apiUrl')}/_local/inbound`, { method: 'POST', body: reply })).status).toBe(202);
  await eventually(async () => expect(await read(`/campaigns/${campaign.id}/stats`)).toMatchObject({ replied: 1 }));
  const unsubscribe = new URL(e!.headers['list-unsubscribe']!.slice(1, -1)).pathname;
  expect((await api(unsubscribe, { method: 'POST', token: null, rawBody: 'List-Unsubscribe=One-Click', headers: { 'content-type': 'application/x-www-form-urlencoded' } })).status).toBe(200);
  // Applications come after the emails they are credited to: wait until the campaign's stats hold every email.
  await eventually(async () => expect(await read(`/campaigns/${campaign.id}/stats`)).toMatchObject({ delivered: 5, bounced: 1, complained: 1, replied: 1, unsubscribed: 1 }));

  // The hiring event: A and F RSVP, A comes, E walks in.
  const soon = (seconds: number) => new Date(Date.now() + seconds * 1000).toISOString();
  const event = await ok('/events', {
    title: 'Analytics fair', kind: 'career-fair', startsAt: soon(60), endsAt: soon(3600), timeZone: 'Europe/Berlin',
    venue: { name: 'Hall 7', address: { street: 'Messedamm 22', city: 'Berlin', postalCode: '14055', country: 'DE' } },
  });
  ids.hiringEvent = event.id;
  for (const who of [A, F]) {
    const rsvp = await api(`/public/events/${event.id}/rsvps`, { method: 'POST', token: null, headers: { 'x-forwarded-for': clientAddress() }, body: { firstName: 'Ada', lastName: 'Lovelace', email: who.email } });
    expect(rsvp.status, JSON.stringify(rsvp.body)).toBe(201);
  }
  await ok(`/events/${event.id}/checkins`, { email: A.email });
  await ok(`/events/${event.id}/checkins`, { email: E.email, firstName: 'Eve', lastName: 'Walker' });
  await eventually(async () => expect(await read(`/analytics/events/${event.id}?${range}`)).toMatchObject({ attended: 2 }));

  // One job: A is hired, B declines the offer, F waits.
  const job = await ok('/jobs', { title: 'Data engineer', description: '<p>Pipelines.</p>', location: { type: 'remote', applicantCountries: ['DE'] } });
  ids.job = job.id;
  const applyTo = async (who: Person, utm?: Record<string, string>) => (await ok(`/candidates/${who.id}/applications`, { jobId: job.id, ...(utm ? { utm } : {}) })).id;
  const [appA, appB] = [await applyTo(A, { source: 'newsletter', medium: 'email', campaign: 'spring' }), await applyTo(B, { source: 'linkedin', medium: 'social' })];
  await applyTo(F);
  for (const status of ['screening', 'interview', 'offer', 'hired']) await ok(`/applications/${appA}`, { status }, 'PATCH');
  for (const status of ['interview', 'offer', 'rejected']) await ok(`/applications/${appB}`, { status }, 'PATCH');

  await ok(`/candidates/${A.id}`, { status: 'active' }, 'PATCH');
  for (const who of [A, A, G]) await ok(`/candidates/${who.id}/touchpoints`, { type: 'call', summary: 'Catch-up' });
  await ok(`/candidates/${G.id}/merge`, { duplicateId: H.id });
  await ok(`/candidates/${I.id}`, undefined, 'DELETE', 'admin');

  const meta = (occurredAt: string) => ({ eventId: newId('evt'), occurredAt, actor: 'test' });
  await deliver(makeEvent(TalentCommunityJoined, meta(new Date().toISOString()), { candidateId: J.id, siteId: 'site_analytics', created: false }), 2);
  touchpointEvent = makeEvent(TouchpointLogged, meta(new Date(Date.now() + 4 * DAY_MS).toISOString()), { candidateId: G.id, touchpointId: newId('tp'), kind: 'meeting' });
  await deliver(touchpointEvent, 2);
}, 240_000);

describe('the overview', () => {
  it('gives the pool by status, consent coverage, relationship length, growth, community, replies, unsubscribes and NPS as worked out by hand', async () => {
    const expected = {
      from: day, to: day, groupBy: 'day',
      // A B E F active (A moved from passive); C D G J passive; H merged away, I erased.
      poolByStatus: { active: 4, passive: 4 }, poolSize: 8,
      // Two calls to A, one to G today (G's meeting is four days from now).
      touchpoints: 3, touchpointsPerCandidate: 0.375,
      // G's relationship runs four days (to that meeting), the others' minutes: 4 days ÷ 8 people = 0.5.
      averageRelationshipDays: 0.5,
      newCandidates: 10,
      // A: passive → active, over the passive pool now (C D G J) plus A: 1 ÷ 5.
      passiveToActive: 1, passiveToActiveRate: 0.2,
      talentCommunityJoined: 1, talentCommunitySize: 1,
      // Consented A B C D (E withdrew by unsubscribing, I was erased) over the pool of 8.
      consent: { purpose: 'marketing-email', consented: 4, coverage: 0.5 },
      // B replied; E unsubscribed and D complained.
      replies: 1, unsubscribes: 2, surveyResponses: 3,
      // (2 promoters − 1 detractor) ÷ 3 answers × 100.
      nps: { responses: 3, promoters: 2, passives: 0, detractors: 1, score: 33.3 },
      series: [{ period: day, newCandidates: 10, passiveToActive: 1, touchpoints: 3, talentCommunityJoined: 1, replies: 1, unsubscribes: 2, surveyResponses: 3, nps: { responses: 3, score: 33.3 } }],
    };
    await eventually(async () => expect(await read(`/analytics/overview?${range}`)).toEqual(expected), 60_000);
  });

  it('counts an event delivered twice once', async () => {
    const touchDay = touchpointEvent.detail.occurredAt.slice(0, 10);
    await eventually(async () => expect(await read(`/analytics/overview?from=${touchDay}&to=${touchDay}`)).toMatchObject({ touchpoints: 1 }));
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await read(`/analytics/overview?from=${touchDay}&to=${touchDay}`)).toMatchObject({ touchpoints: 1, talentCommunitySize: 1, averageRelationshipDays: 0.5 });
    expect(await read(`/analytics/overview?${range}`)).toMatchObject({ talentCommunityJoined: 1 });
  });

  it('gives the overview as CSV, a metric a row', async () => {
    const csv = await fetch(`${inject('apiUrl')}/analytics/overview?${range}&format=csv`, { headers: { authorization: `Bearer ${await tokenFor('viewer')}` } });
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const rows = parse(await csv.text()) as string[][];
    expect(rows).toEqual(expect.arrayContaining([['consent.coverage', '0.5'], ['nps.score', '33.3'], [`series.${day}.newCandidates`, '10']]));
  });
});

describe('the funnel', () => {
  // contacted: the five emailed; engaged: A's open and click (B's open was a machine's); applied: A B F;
  // interviewed and offered: A B; hired: A.
  const all = { contacted: 5, engaged: 1, applied: 3, interviewed: 2, offered: 2, hired: 1 };
  // engaged 1/5, applied 3/1 (F applied without being emailed), interviewed 2/3, offered 2/2, hired 1/2; overall 1/5.
  const rates = { conversion: { engaged: 0.2, applied: 3, interviewed: 0.6667, offered: 1, hired: 0.5 }, overall: 0.2 };
  // A and B reached their stages after the campaign's email (and after joining its segment); C D E were only contacted.
  const campaign = { stages: { contacted: 5, engaged: 1, applied: 2, interviewed: 2, offered: 2, hired: 1 }, conversion: { engaged: 0.2, applied: 2, interviewed: 1, offered: 1, hired: 0.5 }, overall: 0.2 };

  it('counts distinct people per stage with their conversion rates', async () => {
    await eventually(async () => expect((await read<{ rows: FunnelRow[] }>(`/analytics/funnel?${range}`)).rows).toEqual([{ key: 'all', stages: all, ...rates }]));
  });

  it('counts them by their source, the campaign that emailed them, the segment they were in and the job', async () => {
    await eventually(async () =>
      expect((await read<{ rows: FunnelRow[] }>(`/analytics/funnel?groupBy=source&${range}`)).rows.map((r) => [r.key, r.stages])).toEqual([
        // B and F applied; B reached offer.
        ['career-site', { contacted: 1, engaged: 0, applied: 2, interviewed: 1, offered: 1, hired: 0 }],
        // A all the way, C contacted.
        ['referral', { contacted: 2, engaged: 1, applied: 1, interviewed: 1, offered: 1, hired: 1 }],
        ['event', { contacted: 1, engaged: 0, applied: 0, interviewed: 0, offered: 0, hired: 0 }],
        ['manual', { contacted: 1, engaged: 0, applied: 0, interviewed: 0, offered: 0, hired: 0 }],
      ]),
    );
    const byCampaign = await read<{ rows: FunnelRow[] }>(`/analytics/funnel?groupBy=campaign&${range}`);
    expect(byCampaign.rows).toEqual([{ key: ids.campaign, ...campaign }]);
    const bySegment = await read<{ rows: FunnelRow[] }>(`/analytics/funnel?groupBy=segment&${range}`);
    expect(bySegment.rows.find((r) => r.key === ids.segment)).toEqual({ key: ids.segment, ...campaign });
    // The job's funnel starts at applied: A B F applied, A B interviewed and offered, A hired.
    expect((await read<{ rows: FunnelRow[] }>(`/analytics/funnel?groupBy=job&${range}`)).rows).toEqual([
      { key: ids.job, stages: { contacted: 0, engaged: 0, applied: 3, interviewed: 2, offered: 2, hired: 1 }, conversion: { engaged: null, applied: null, interviewed: 0.6667, offered: 1, hired: 0.5 }, overall: 0.3333 },
    ]);
  });

  it('counts them per week over time', async () => {
    const monday = new Date(Date.parse(day) - ((new Date(day).getUTCDay() + 6) % 7) * DAY_MS).toISOString().slice(0, 10);
    expect((await read<{ rows: FunnelRow[] }>(`/analytics/funnel?groupBy=week&${range}`)).rows).toEqual([{ key: monday, stages: all, ...rates }]);
  });
});

describe('the sources', () => {
  it('count applications and hires by UTM source, medium and campaign', async () => {
    // A: newsletter/email/spring (hired), B: linkedin/social, F: none.
    expect((await read<{ rows: unknown[] }>(`/analytics/sources?${range}`)).rows).toEqual([
      { key: '-', applications: 1, hires: 0, hireRate: 0 },
      { key: 'linkedin', applications: 1, hires: 0, hireRate: 0 },
      { key: 'newsletter', applications: 1, hires: 1, hireRate: 1 },
    ]);
    expect((await read<{ rows: unknown[] }>(`/analytics/sources?groupBy=medium&${range}`)).rows).toEqual([
      { key: '-', applications: 1, hires: 0, hireRate: 0 },
      { key: 'email', applications: 1, hires: 1, hireRate: 1 },
      { key: 'social', applications: 1, hires: 0, hireRate: 0 },
    ]);
    expect((await read<{ rows: unknown[] }>(`/analytics/sources?groupBy=campaign&${range}`)).rows).toEqual([
      { key: '-', applications: 2, hires: 0, hireRate: 0 },
      { key: 'spring', applications: 1, hires: 1, hireRate: 1 },
    ]);
  });
});

describe('a campaign', () => {
  // Five sent and delivered; A opened (a person) and clicked, B's open was Apple's proxy, B replied, C bounced, D
  // complained, E unsubscribed; A and B applied afterwards. Engagement over delivered, bounces and complaints over sent.
  const counts = { sent: 5, delivered: 5, bounced: 1, complained: 1, opened: { human: 1, machine: 1 }, clicked: 1, replied: 1, applied: 2, unsubscribed: 1 };
  const rates = {
    delivery: 1, humanOpen: 0.2, machineOpen: 0.2, click: 0.2, reply: 0.2, apply: 0.4, unsubscribe: 0.2, bounce: 0.2, complaint: 0.2,
    // 20 % bounces (≥ 10 %) and 20 % complaints (≥ 0.5 %) put sending at risk.
    reputation: { bounce: 'at-risk', complaint: 'at-risk' },
  };

  it('gives its counts and rates from its creation, the same counts its own stats keep', async () => {
    await eventually(async () => expect(await read(`/analytics/campaigns/${ids.campaign}`)).toEqual({ from: day, to: day, campaignId: ids.campaign, counts, rates }));
    expect(await read(`/campaigns/${ids.campaign}/stats`)).toMatchObject(counts);
  });

  it('counts only what happened within from and to', async () => {
    expect(await read(`/analytics/campaigns/${ids.campaign}?from=2020-01-01&to=2020-01-31`)).toMatchObject({
      counts: { sent: 0, delivered: 0, bounced: 0, complained: 0, opened: { human: 0, machine: 0 }, clicked: 0, replied: 0, applied: 0, unsubscribed: 0 },
      rates: { delivery: null, reputation: { bounce: 'ok', complaint: 'ok' } },
    });
  });
});

describe('a job', () => {
  it('gives its applications by source, offers, acceptance and time to fill', async () => {
    await eventually(async () =>
      expect(await read(`/analytics/jobs/${ids.job}?${range}`)).toEqual({
        from: day, to: day, jobId: ids.job,
        // By UTM source, else the person's source type (F: career-site).
        applications: 3, applicationsBySource: [{ source: 'career-site', applications: 1 }, { source: 'linkedin', applications: 1 }, { source: 'newsletter', applications: 1 }],
        // A accepted (offer → hired), B declined (offer → rejected): 1 ÷ 2.
        offers: 2, offersAccepted: 1, offersDeclined: 1, offerAcceptanceRate: 0.5, hires: 1,
        firstApplicationAt: expect.stringMatching(new RegExp(`^${day}`)), filledAt: expect.stringMatching(new RegExp(`^${day}`)),
        // Minutes from the first application to the hire: 0.0 days.
        timeToFillDays: 0,
      }),
    );
  });
});

describe('a hiring event', () => {
  it('gives RSVPs, attendance, no-shows and hires among attendees', async () => {
    await eventually(async () =>
      expect(await read(`/analytics/events/${ids.hiringEvent}?${range}`)).toEqual({
        from: day, to: day, hiringEventId: ids.hiringEvent,
        // A and F held seats; A came, F did not; E walked in. A was hired after attending: 1 of 2 attendees.
        rsvps: { confirmed: 2, waitlisted: 0, promotedFromWaitlist: 0, cancelled: 0 }, seatsHeld: 2, attended: 2, walkIns: 1,
        noShows: 1, attendanceRate: 0.5, noShowRate: 0.5, hiredAttendees: 1, attendeeHireRate: 0.5,
      }),
    );
  });
});

describe('analytics parameters', () => {
  it.each([
    ['from after to', '/analytics/funnel?from=2026-03-02&to=2026-03-01', 'query.from'],
    ['an unknown groupBy on the funnel', '/analytics/funnel?groupBy=planet', 'query.groupBy'],
    ['an unknown groupBy on the overview', '/analytics/overview?groupBy=quarter', 'query.groupBy'],
    ['a range over two years', '/analytics/sources?from=2023-01-01&to=2026-01-01', 'query.to'],
    ['a date that is not one', '/analytics/overview?from=2026-13-01', 'query.from'],
  ])('answer 400 naming the parameter for %s', async (_, path, parameter) => {
    const response = await api(path, { role: 'viewer' });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect((response.body as { errors: { path: string }[] }).errors.map((e) => e.path)).toContain(parameter);
  });

  it.each([
    ['campaign', '/analytics/campaigns/cmp_01JAAAAAAAAAAAAAAAAAAAAAAA'],
    ['job', '/analytics/jobs/job_01JAAAAAAAAAAAAAAAAAAAAAAA'],
    ['hiring event', '/analytics/events/hev_01JAAAAAAAAAAAAAAAAAAAAAAA'],
  ])('answer 404 for a %s that does not exist', async (_, path) => {
    const response = await api(path, { role: 'viewer' });
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
  });
});
