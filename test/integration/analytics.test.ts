import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { parse } from 'csv-parse/sync';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { ApplicationReceived, CandidateCreated, TouchpointLogged } from '../../events/candidates.ts';
import { makeEvent, type DomainEvent } from '../../events/contract.ts';
import { SurveyAnswered } from '../../events/surveys.ts';
import { TalentCommunityJoined } from '../../events/syndication.ts';
import { LOCAL_TABLE } from '../../infra/local/stack.ts';
import { newId } from '../../shared/ids.ts';
import { aCandidateInput } from '../fixtures/builders.ts';
import { api, eventually, local, tokenFor } from './helpers.ts';

const marker = () => randomUUID().slice(0, 8);
const dynamo = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: inject('dynamoEndpoint'), region: 'eu-west-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }));
afterAll(() => dynamo.destroy());

/** Puts events on the bus through the outbox, as the relay publishes them; `copies` outbox entries each (a redelivery). */
async function deliver(events: DomainEvent[], copies = 1) {
  for (const event of events) {
    for (let copy = 0; copy < copies; copy++) {
      await dynamo.send(new PutCommand({ TableName: LOCAL_TABLE, Item: { PK: `EVENT#${event.detail.eventId}#${copy}`, SK: 'EVENT', events: [event], expiresAt: Math.floor(Date.now() / 1000) + 3600 } }));
    }
  }
}

async function aPerson() {
  const created = await api('/candidates', { method: 'POST', body: aCandidateInput() });
  expect(created.status).toBe(201);
  return created.body as { id: string; email: string };
}

async function apply(candidateId: string, jobId: string, utm: Record<string, string>) {
  const created = await api(`/candidates/${candidateId}/applications`, { method: 'POST', body: { jobId, utm } });
  expect(created.status).toBe(201);
  return (created.body as { id: string }).id;
}

async function move(applicationId: string, ...statuses: string[]) {
  for (const status of statuses) expect((await api(`/applications/${applicationId}`, { method: 'PATCH', body: { status } })).status).toBe(200);
}

const read = async <T>(path: string) => {
  const response = await api(path, { role: 'viewer' });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body as T;
};

type FunnelRow = { key: string; stages: Record<string, number>; conversion: Record<string, number | null> };
const today = () => new Date().toISOString().slice(0, 10);

describe('analytics of applications', () => {
  it('count a job\'s funnel, its sources, its offers and their acceptance from applications moving through their statuses, CSV cells neutralised', async () => {
    const [jobId, source, medium, campaign] = [`job-${marker()}`, `src-${marker()}`, `med-${marker()}`, `=sum-${marker()}`];
    const [hired, declined, waiting] = await Promise.all([aPerson(), aPerson(), aPerson()]);
    const apps = await Promise.all([
      apply(hired.id, jobId, { source, medium, campaign }),
      apply(declined.id, jobId, { source, medium: `${medium}-cpc` }),
      apply(waiting.id, jobId, { source, medium: `${medium}-cpc` }),
    ]);
    await move(apps[0]!, 'screening', 'interview', 'offer', 'hired');
    await move(apps[1]!, 'interview', 'offer', 'rejected');

    const range = `from=${today()}&to=${today()}`;
    await eventually(async () => {
      const job = (await read<{ rows: FunnelRow[] }>(`/analytics/funnel?groupBy=job&${range}`)).rows.find((r) => r.key === jobId);
      expect(job).toMatchObject({ stages: { applied: 3, interviewed: 2, offered: 2, hired: 1 }, conversion: { interviewed: 0.6667, offered: 1, hired: 0.5 } });
    });
    await eventually(async () =>
      expect(await read(`/analytics/jobs/${jobId}?${range}`)).toMatchObject({
        applications: 3, applicationsBySource: [{ source, applications: 3 }], offers: 2, offersAccepted: 1, offersDeclined: 1, offerAcceptanceRate: 0.5, hires: 1,
        timeToFillDays: expect.any(Number),
      }),
    );
    const bySource = await read<{ rows: { key: string }[] }>(`/analytics/sources?${range}`);
    expect(bySource.rows.find((r) => r.key === source)).toEqual({ key: source, applications: 3, hires: 1, hireRate: 0.3333 });
    const byMedium = await read<{ rows: { key: string }[] }>(`/analytics/sources?groupBy=medium&${range}`);
    expect(byMedium.rows.filter((r) => r.key.startsWith(medium))).toEqual([
      { key: `${medium}-cpc`, applications: 2, hires: 0, hireRate: 0 },
      { key: medium, applications: 1, hires: 1, hireRate: 1 },
    ]);

    const csv = await fetch(`${inject('apiUrl')}/analytics/sources?${range}&format=csv`, { headers: { authorization: `Bearer ${await tokenFor('viewer')}` } });
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const rows = parse(await csv.text()) as string[][];
    expect(rows[0]).toEqual(['source', 'applications', 'hires', 'hireRate']);
    expect(rows.find((r) => r[0] === source)).toEqual([source, '3', '1', '0.3333']);
    // A value a spreadsheet would run as a formula comes out as text.
    const byCampaign = await fetch(`${inject('apiUrl')}/analytics/sources?${range}&groupBy=campaign&format=csv`, { headers: { authorization: `Bearer ${await tokenFor('viewer')}` } });
    expect((parse(await byCampaign.text()) as string[][]).find((r) => r[0] === `'${campaign}`)).toEqual([`'${campaign}`, '1', '1', '1']);
  });

  it('count an application delivered twice once', async () => {
    const jobId = `job-${marker()}`;
    const person = await aPerson();
    const event = makeEvent(ApplicationReceived, { eventId: newId('evt'), occurredAt: new Date().toISOString(), actor: 'test' }, { candidateId: person.id, applicationId: newId('app'), jobId, utm: { source: `src-${marker()}` } });
    await deliver([event], 2);
    await eventually(async () => expect(await read(`/analytics/jobs/${jobId}`)).toMatchObject({ applications: 1 }));
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await read(`/analytics/jobs/${jobId}`)).toMatchObject({ applications: 1 });
    const funnel = await read<{ rows: FunnelRow[] }>('/analytics/funnel?groupBy=job');
    expect(funnel.rows.find((r) => r.key === jobId)?.stages).toMatchObject({ applied: 1 });
  });
});

describe('analytics overview', () => {
  it('count new candidates, touchpoints, community sign-ups and NPS of a day once each, whatever how often their events arrive', async () => {
    // A day of its own, long ago: no other test's events fall on it.
    const day = `2003-0${1 + Math.floor(Math.random() * 9)}-1${Math.floor(Math.random() * 9)}`;
    const meta = () => ({ eventId: newId('evt'), occurredAt: `${day}T09:00:00.000Z`, actor: 'test' });
    const people = [newId('cand'), newId('cand'), newId('cand'), newId('cand')];
    const events = [
      ...people.map((candidateId) => makeEvent(CandidateCreated, meta(), { candidateId, status: 'passive', sourceType: 'event' })),
      makeEvent(TalentCommunityJoined, meta(), { candidateId: people[0]!, siteId: 'site_x', created: true }),
      makeEvent(TouchpointLogged, meta(), { candidateId: people[1]!, touchpointId: newId('tp'), kind: 'call' }),
      ...[10, 9, 8, 3].map((npsScore, i) => makeEvent(SurveyAnswered, meta(), { surveyId: 'srv_x', candidateId: people[i]!, invitationId: newId('inv'), trigger: 'manual', npsScore })),
      makeEvent(SurveyAnswered, meta(), { surveyId: 'srv_x', candidateId: people[0]!, invitationId: newId('inv'), trigger: 'manual' }),
    ];
    await deliver(events, 2);
    const expected = { from: day, to: day, newCandidates: 4, touchpoints: 1, talentCommunityJoined: 1, surveyResponses: 5, nps: { responses: 4, promoters: 2, passives: 1, detractors: 1, score: 25 } };
    await eventually(async () => expect(await read(`/analytics/overview?from=${day}&to=${day}`)).toMatchObject(expected));
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const overview = await read<{ poolByStatus: Record<string, number> }>(`/analytics/overview?from=${day}&to=${day}`);
    expect(overview).toMatchObject(expected);
    expect(overview.poolByStatus.passive).toBeGreaterThanOrEqual(4);
  });
});

describe('analytics parameters', () => {
  it.each([
    ['from after to', '/analytics/funnel?from=2026-03-02&to=2026-03-01', 'query.from'],
    ['an unknown groupBy', '/analytics/funnel?groupBy=planet', 'query.groupBy'],
    ['a range over two years', '/analytics/sources?from=2023-01-01&to=2026-01-01', 'query.to'],
    ['a date that is not one', '/analytics/overview?from=2026-13-01', 'query.from'],
  ])('answer 400 naming the parameter for %s', async (_, path, parameter) => {
    const response = await api(path, { role: 'viewer' });
    expect(response.status).toBe(400);
    expect((response.body as { errors: { path: string }[] }).errors.map((e) => e.path)).toContain(parameter);
  });

  it('answer 404 for a campaign that does not exist', async () => {
    expect((await api('/analytics/campaigns/cmp_01JAAAAAAAAAAAAAAAAAAAAAAA', { role: 'viewer' })).status).toBe(404);
  });
});

describe('analytics of a campaign', () => {
  const consent = [{ purpose: 'marketing-email', granted: true }];
  const sesEvent = (messageId: string, eventType: string, extra: Record<string, unknown> = {}) => local('/_local/ses-events', { messageId, eventType, ...extra });

  it('give delivery, open, click, bounce and complaint rates with SES reputation flags, and the campaign\'s funnel', async () => {
    const tag = `a${marker()}`;
    const people = ['open', 'bounce', 'complain'].map((who) => ({ email: `${tag}-${who}@example.com`, tags: [tag], consents: consent }));
    const created = await Promise.all(people.map(async (p) => (await api('/candidates', { method: 'POST', body: p })).body as { id: string }));
    const segment = (await api('/segments', { method: 'POST', body: { name: `Tagged ${tag}`, kind: 'static' } })).body as { id: string };
    expect((await api(`/segments/${segment.id}/members`, { method: 'POST', body: { candidateIds: created.map((c) => c.id) } })).status).toBeLessThan(300);
    const template = (await api('/templates', { method: 'POST', body: { name: 'Nurture', subject: 'Hello', html: '<p>Hi</p><p><a href="{{unsubscribeUrl}}">Unsubscribe</a></p>' } })).body as { id: string };
    const campaign = (await api('/campaigns', { method: 'POST', body: { name: 'Analytics', kind: 'one-shot', audience: { segmentId: segment.id }, templateId: template.id } })).body as { id: string };
    expect((await api(`/campaigns/${campaign.id}/launch`, { method: 'POST' })).status).toBe(200);
    await eventually(async () => expect(((await api(`/campaigns/${campaign.id}/stats`)).body as { delivered: number }).delivered).toBe(3));
    const mails = await Promise.all(people.map(async (p) => ((await (await fetch(`${inject('apiUrl')}/_local/mail?to=${encodeURIComponent(p.email)}`)).json()) as { items: { messageId: string }[] }).items[0]!));
    const later = new Date(Date.now() + 60_000).toISOString();
    await sesEvent(mails[0]!.messageId, 'Open', { open: { timestamp: later, userAgent: 'Mozilla/5.0', ipAddress: '17.58.63.12' } });
    await sesEvent(mails[0]!.messageId, 'Open', { open: { timestamp: later } });
    await sesEvent(mails[1]!.messageId, 'Bounce');
    await sesEvent(mails[2]!.messageId, 'Complaint');

    await eventually(async () =>
      expect(await read(`/analytics/campaigns/${campaign.id}`)).toMatchObject({
        counts: { sent: 3, delivered: 3, bounced: 1, complained: 1, opened: { human: 1, machine: 1 } },
        rates: { delivery: 1, humanOpen: 0.3333, machineOpen: 0.3333, bounce: 0.3333, complaint: 0.3333, reputation: { bounce: 'at-risk', complaint: 'at-risk' } },
      }),
    );
    await eventually(async () => {
      const row = (await read<{ rows: FunnelRow[] }>('/analytics/funnel?groupBy=campaign')).rows.find((r) => r.key === campaign.id);
      expect(row).toMatchObject({ stages: { contacted: 3, engaged: 1, applied: 0 }, conversion: { engaged: 0.3333 } });
    });
  });
});

describe('analytics of a hiring event', () => {
  const clientAddress = () => `10.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;
  const soon = (seconds: number) => new Date(Date.now() + seconds * 1000).toISOString();

  it('count RSVPs, attendance, walk-ins, no-shows and attendees hired afterwards', async () => {
    const created = await api('/events', {
      method: 'POST',
      body: { title: `Analytics fair ${marker()}`, kind: 'career-fair', startsAt: soon(3), endsAt: soon(8), timeZone: 'Europe/Berlin', venue: { name: 'Hall 7', address: { street: 'Messedamm 22', city: 'Berlin', postalCode: '14055', country: 'DE' } } },
    });
    expect(created.status).toBe(201);
    const event = created.body as { id: string };
    const [came, stayedAway, walkIn] = ['came', 'away', 'walkin'].map((who) => `${who}.${marker()}@example.com`);
    for (const email of [came, stayedAway]) {
      const answer = await api(`/public/events/${event.id}/rsvps`, { method: 'POST', token: null, headers: { 'x-forwarded-for': clientAddress() }, body: { firstName: 'Ada', lastName: 'Lovelace', email } });
      expect(answer.status).toBe(201);
    }
    const checkedIn = await api(`/events/${event.id}/checkins`, { method: 'POST', body: { email: came } });
    expect(checkedIn.status).toBe(201);
    expect((await api(`/events/${event.id}/checkins`, { method: 'POST', body: { email: walkIn, firstName: 'Walk', lastName: 'In' } })).status).toBe(201);
    await eventually(async () => expect(await read(`/analytics/events/${event.id}`)).toMatchObject({ attended: 2, rsvps: { confirmed: 2 } }));

    const application = await apply((checkedIn.body as { candidateId: string }).candidateId, `job-${marker()}`, { source: 'fair' });
    await move(application, 'hired');
    await eventually(async () =>
      expect(await read(`/analytics/events/${event.id}`)).toMatchObject({
        rsvps: { confirmed: 2, waitlisted: 0, cancelled: 0 }, seatsHeld: 2, attended: 2, walkIns: 1, noShows: 1, attendanceRate: 0.5, noShowRate: 0.5,
        hiredAttendees: 1, attendeeHireRate: 0.5,
      }),
    );
  });
});
