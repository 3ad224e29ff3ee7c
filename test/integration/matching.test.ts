import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { EmailActivity } from '../../events/campaigns.ts';
import { makeEvent, type DomainEvent } from '../../events/contract.ts';
import { LOCAL_TABLE } from '../../infra/local/stack.ts';
import { newId } from '../../shared/ids.ts';
import { api, eventually, local } from './helpers.ts';

type Reason = { criterion: string; detail: string; points: number };
type Match = { candidateId: string; score: number; reasons: Reason[] };
type Suggestion = { jobId: string; title: string; score: number; reasons: Reason[] };
type Mail = { messageId: string; to: string[]; subject: string; text: string; html: string };

const m = `m${randomUUID().slice(0, 8)}`;
const consents = [{ purpose: 'marketing-email', granted: true }];
/** The tag of people added by the tests below the first ones, so the campaign's segment stays the first two. */
const bystander = `${m}-bystander`;
const sum = (reasons: Reason[]) => reasons.reduce((total, r) => total + r.points, 0);
const dynamo = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: inject('dynamoEndpoint'), region: 'eu-west-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }));
afterAll(() => dynamo.destroy());

async function mailTo(address: string): Promise<Mail[]> {
  const response = await fetch(`${inject('apiUrl')}/_local/mail?to=${encodeURIComponent(address)}`);
  return ((await response.json()) as { items: Mail[] }).items.filter((mail) => mail.to.includes(address));
}

async function publishedJob(body: Record<string, unknown>): Promise<{ id: string; title: string }> {
  const created = await api('/jobs', { method: 'POST', body: { employmentTypes: ['FULL_TIME'], ...body } });
  expect(created.status).toBe(201);
  const job = created.body as { id: string; title: string };
  expect((await api(`/jobs/${job.id}/publish`, { method: 'POST' })).status).toBe(200);
  return job;
}

async function candidate(body: Record<string, unknown>): Promise<string> {
  const created = await api('/candidates', { method: 'POST', body: { tags: [m], consents, ...body } });
  expect(created.status).toBe(201);
  return (created.body as { id: string }).id;
}

let engineering: { id: string; title: string };
let bakery: { id: string; title: string };
let fit: string;
let unfit: string;

beforeAll(async () => {
  engineering = await publishedJob({
    title: `Payments ${m} Engineer`,
    description: `<p>Build ${m} payment APIs on Kubernetes. You have 5+ years of backend experience.</p>`,
    skills: [`${m}lang`, 'kubernetes'],
    location: { type: 'onsite', address: { city: 'Berlin', country: 'DE' } },
  });
  bakery = await publishedJob({
    title: `Pastry ${m} Chef`,
    description: '<p>Croissants and sourdough at dawn.</p>',
    skills: [`${m}baking`],
    location: { type: 'onsite', address: { city: 'Lima', country: 'PE' } },
  });
  fit = await candidate({
    email: `${m}-fit@example.com`, firstName: 'Grace', headline: `${m} payment APIs engineer`, skills: [`${m}lang`, 'k8s'],
    location: { city: 'Berlin', country: 'DE' }, experienceYears: 7, status: 'active',
  });
  unfit = await candidate({
    email: `${m}-unfit@example.com`, firstName: 'Pierre', headline: 'Pastry chef', skills: [`${m}baking`],
    location: { city: 'Lima', country: 'PE' }, experienceYears: 1, status: 'passive',
  });
  // A person who shares one skill: considered through the skill index, ranked between the two.
  await candidate({ email: `${m}-half@example.com`, skills: [`${m}lang`], location: { country: 'PE' }, status: 'former' });
});

describe('matching a job to the pool', () => {
  it('lists the fitting candidate first, each with reasons that add up to the score', async () => {
    await eventually(async () => {
      const response = await api(`/jobs/${engineering.id}/matches?limit=10`, { role: 'viewer' });
      expect(response.status).toBe(200);
      const mine = (response.body as { items: Match[] }).items;
      expect(mine[0]!.candidateId).toBe(fit);
      expect(mine.filter((item) => item.reasons.some((r) => r.detail === `has ${m}lang`))).toHaveLength(2);
    });
    const { items, considered } = (await api(`/jobs/${engineering.id}/matches?limit=10`)).body as { items: Match[]; considered: number };
    expect(considered).toBeGreaterThanOrEqual(2);
    for (const item of items) expect(sum(item.reasons)).toBe(item.score);
    expect(items[0]!.reasons).toEqual(expect.arrayContaining([
      { criterion: 'skill', detail: 'has kubernetes (as k8s)', points: 15 },
      { criterion: 'location', detail: 'lives in Berlin, DE', points: 15 },
      { criterion: 'experience', detail: '7 years of experience, 5 asked for', points: 10 },
    ]));
  });

  it('finds the person who has both required skills behind hundreds of newer people who have one', async () => {
    const job = await publishedJob({
      title: `Ranking ${m} Engineer`, description: '<p>Ranking at scale.</p>', skills: [`${m}alpha`, `${m}beta`],
      location: { type: 'onsite', address: { city: 'Porto', country: 'PT' } },
    });
    const both = await candidate({ email: `${m}-both@example.com`, tags: [bystander], skills: [`${m}alpha`, `${m}beta`], location: { country: 'PT' }, status: 'active' });
    await eventually(async () => {
      const { items } = (await api(`/jobs/${job.id}/matches?limit=1`)).body as { items: Match[] };
      expect(items[0]?.candidateId).toBe(both);
    });
    // 300 newer people per skill, as the profile indexer files them (their profiles are not needed to crowd the index).
    const entries = [`${m}alpha`, `${m}beta`].flatMap((skill) => Array.from({ length: 300 }, () => {
      const id = newId('cand');
      return { PK: `CAND#${id}`, SK: `IDX#SKILL#${skill}#${id}`, GSI1PK: `SKILL#${skill}`, GSI1SK: id, candidateId: id };
    }));
    for (let start = 0; start < entries.length; start += 25) {
      await dynamo.send(new BatchWriteCommand({ RequestItems: { [LOCAL_TABLE]: entries.slice(start, start + 25).map((Item) => ({ PutRequest: { Item } })) } }));
    }
    const response = await api(`/jobs/${job.id}/matches?limit=5`);
    expect(response.status).toBe(200);
    const { items } = response.body as { items: Match[] };
    expect(items[0]!.candidateId).toBe(both);
    expect(items[0]!.reasons.filter((r) => r.criterion === 'skill')).toHaveLength(2);
  }, 120_000);

  it('leaves out someone who objected to profiling, however well they fit (GDPR Art. 21)', async () => {
    const objected = await candidate({
      email: `${m}-objected@example.com`, tags: [bystander], headline: `${m} payment APIs engineer`, skills: [`${m}lang`, 'kubernetes'], location: { city: 'Berlin', country: 'DE' }, status: 'active',
      consents: [...consents, { purpose: 'profiling', granted: false, lawfulBasis: 'legitimate-interest' }],
    });
    const control = await candidate({ email: `${m}-control@example.com`, tags: [bystander], skills: [`${m}lang`, 'kubernetes'], location: { city: 'Berlin', country: 'DE' }, status: 'active' });
    await eventually(async () => {
      const { items } = (await api(`/jobs/${engineering.id}/matches?limit=20`)).body as { items: Match[] };
      expect(items.map((item) => item.candidateId)).toContain(control);
    });
    const { items } = (await api(`/jobs/${engineering.id}/matches?limit=100`)).body as { items: Match[] };
    expect(items.map((item) => item.candidateId)).not.toContain(objected);
    expect((await api(`/candidates/${objected}/job-suggestions`)).body).toEqual({ candidateId: objected, items: [], withheld: 'objected-to-profiling' });
  });

  it('answers 404 for an unknown job and 400 for a limit out of range', async () => {
    expect((await api('/jobs/job_01JZZZZZZZZZZZZZZZZZZZZZZZ/matches')).status).toBe(404);
    for (const limit of ['0', '101', 'many']) {
      const response = await api(`/jobs/${engineering.id}/matches?limit=${limit}`);
      expect(response.status).toBe(400);
      expect(JSON.stringify(response.body)).toContain('limit');
    }
  });
});

describe('job suggestions', () => {
  it('lists the fitting job first for each person, with the same reasons as the job’s matches', async () => {
    const forFit = (await api(`/candidates/${fit}/job-suggestions`)).body as { items: Suggestion[] };
    expect(forFit.items[0]!.jobId).toBe(engineering.id);
    const forUnfit = (await api(`/candidates/${unfit}/job-suggestions`)).body as { items: Suggestion[] };
    expect(forUnfit.items[0]!.jobId).toBe(bakery.id);
    // Only jobs that fit: the engineering job shares no skill with the pastry chef.
    expect(forUnfit.items.map((item) => item.jobId)).not.toContain(engineering.id);
    const match = ((await api(`/jobs/${engineering.id}/matches`)).body as { items: Match[] }).items.find((item) => item.candidateId === fit)!;
    expect(forFit.items[0]!.score).toBe(match.score);
    expect(forFit.items[0]!.reasons.map((r) => r.criterion)).toEqual(match.reasons.map((r) => r.criterion));
  });

  it('answers 404 for an unknown candidate', async () => {
    expect((await api('/candidates/cand_01JZZZZZZZZZZZZZZZZZZZZZZZ/job-suggestions')).status).toBe(404);
  });
});

describe('campaign emails and engagement', () => {
  it('fills each recipient’s suggestion block with their best jobs, and a human open and click move the engagement score once', async () => {
    const segment = await api('/segments', { method: 'POST', body: { name: `Matching ${m}`, rule: { all: [{ field: 'tags', op: 'contains', value: m }, { field: 'status', op: 'neq', value: 'former' }] } } });
    expect(segment.status).toBe(201);
    const segmentId = (segment.body as { id: string }).id;
    await eventually(async () => expect((await api(`/segments/${segmentId}`)).body).toMatchObject({ memberCount: 2, backfill: { status: 'completed' } }));
    const template = await api('/templates', {
      method: 'POST',
      body: { name: `Jobs ${m}`, subject: 'Jobs for you', html: '<p>Hi {{firstName}}</p>{{jobSuggestions}}<p><a href="{{unsubscribeUrl}}">Unsubscribe</a></p>' },
    });
    expect(template.status).toBe(201);
    const campaign = await api('/campaigns', { method: 'POST', body: { name: `Newsletter ${m}`, kind: 'one-shot', audience: { segmentId }, templateId: (template.body as { id: string }).id } });
    const campaignId = (campaign.body as { id: string }).id;
    expect((await api(`/campaigns/${campaignId}/launch`, { method: 'POST' })).status).toBe(200);

    let toFit: Mail | undefined;
    await eventually(async () => {
      [toFit] = await mailTo(`${m}-fit@example.com`);
      expect(toFit).toBeDefined();
    });
    const [toUnfit] = await mailTo(`${m}-unfit@example.com`);
    expect(toFit!.text).toContain(engineering.title);
    expect(toFit!.text).not.toContain(bakery.title);
    expect(toUnfit!.text).toContain(bakery.title);
    expect(toUnfit!.text).not.toContain(engineering.title);
    // The email's block is the API's list: the same jobs in the same order (the block shows three).
    const suggestedInEmail = (mail: Mail) => [...mail.html.matchAll(/<li><a href="[^"]*">([^<]*)<\/a>/g)].map((found) => found[1]);
    for (const [id, mail] of [[fit, toFit!], [unfit, toUnfit!]] as const) {
      const fromApi = ((await api(`/candidates/${id}/job-suggestions?limit=3`)).body as { items: Suggestion[] }).items.map((item) => item.title);
      expect(suggestedInEmail(mail)).toEqual(fromApi);
    }

    await eventually(async () => expect(((await api(`/campaigns/${campaignId}/stats`)).body as { delivered: number }).delivered).toBe(2));
    const later = new Date(Date.now() + 60_000).toISOString();
    for (let twice = 0; twice < 2; twice++) {
      await local('/_local/ses-events', { messageId: toFit!.messageId, eventType: 'Open', open: { timestamp: later } });
      await local('/_local/ses-events', { messageId: toFit!.messageId, eventType: 'Click', click: { timestamp: later, link: 'https://jobs.example.com/1' } });
    }
    // A human open (1) and a click (3), each counted once: 4, less a few seconds of decay.
    await eventually(async () => {
      const { engagement } = (await api(`/candidates/${fit}`)).body as { engagement?: { score: number; updatedAt: string } };
      expect(engagement?.score).toBeCloseTo(4, 3);
    });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(((await api(`/candidates/${fit}`)).body as { engagement: { score: number } }).engagement.score).toBeCloseTo(4, 3);
    expect(((await api(`/candidates/${unfit}`)).body as { engagement?: unknown }).engagement).toBeUndefined();

    const engaged = await api('/segments', { method: 'POST', body: { name: `Engaged ${m}`, rule: { all: [{ field: 'tags', op: 'contains', value: m }, { field: 'engagementScore', op: 'gte', value: 3 }] } } });
    expect(engaged.status).toBe(201);
    const engagedId = (engaged.body as { id: string }).id;
    await eventually(async () => expect((await api(`/segments/${engagedId}`)).body).toMatchObject({ memberCount: 1, backfill: { status: 'completed' } }));
    const members = (await api(`/segments/${engagedId}/members`)).body as { items: { id: string }[] };
    expect(members.items.map((c) => c.id)).toEqual([fit]);
  });
});

/** Puts events on the bus through the outbox, as the relay publishes them; `copies` outbox entries each (a redelivery). */
async function deliver(events: DomainEvent[], copies = 1) {
  await Promise.all(events.flatMap((event) => Array.from({ length: copies }, (_, copy) =>
    dynamo.send(new PutCommand({ TableName: LOCAL_TABLE, Item: { PK: `EVENT#${event.detail.eventId}#${copy}`, SK: 'EVENT', events: [event], expiresAt: Math.floor(Date.now() / 1000) + 3600 } })))));
}

describe('the engagement score under concurrent events', () => {
  it('counts every one of many opens and clicks arriving at once, a redelivered one once, and survives a profile edit that raced them', async () => {
    const id = await candidate({ email: `${m}-busy@example.com`, tags: [bystander], skills: ['gardening'] });
    const at = new Date().toISOString();
    const activity = (kind: 'opened' | 'clicked') =>
      makeEvent(EmailActivity, { eventId: newId('evt'), occurredAt: at, actor: 'system' }, { candidateId: id, campaignId: `camp_${m}`, kind, messageId: `${m}-busy` });
    const events = [...Array.from({ length: 4 }, () => activity('opened')), ...Array.from({ length: 4 }, () => activity('clicked'))];
    await deliver(events.slice(1));
    await deliver(events.slice(0, 1), 2);
    // Four opens (1 each) and four clicks (3 each), as of `at`. One person's events are applied one after the
    // other (each retry waits), so a burst takes a while on a busy machine.
    const engagementOf = async () => ((await api(`/candidates/${id}`)).body as { engagement?: { score: number; updatedAt: string } }).engagement;
    await eventually(async () => expect(await engagementOf()).toEqual({ score: 16, updatedAt: at }), 120_000);

    // A profile write that read the profile before the last engagement write puts back the older copy.
    const { Item: profile } = await dynamo.send(new GetCommand({ TableName: LOCAL_TABLE, Key: { PK: `CAND#${id}`, SK: 'PROFILE' } }));
    await dynamo.send(new PutCommand({
      TableName: LOCAL_TABLE,
      Item: { ...profile, headline: 'Head gardener', engagement: { score: 1, updatedAt: at }, version: (profile!.version as number) + 1 },
      ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': profile!.version },
    }));
    await eventually(async () => expect(await engagementOf()).toEqual({ score: 16, updatedAt: at }), 60_000);
    expect(((await api(`/candidates/${id}`)).body as { headline: string }).headline).toBe('Head gardener');
  }, 240_000);
});
