import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { api, eventually, local } from './helpers.ts';

type Reason = { criterion: string; detail: string; points: number };
type Match = { candidateId: string; score: number; reasons: Reason[] };
type Suggestion = { jobId: string; title: string; score: number; reasons: Reason[] };
type Mail = { messageId: string; to: string[]; subject: string; text: string; html: string };

const m = `m${randomUUID().slice(0, 8)}`;
const consents = [{ purpose: 'marketing-email', granted: true }];
const sum = (reasons: Reason[]) => reasons.reduce((total, r) => total + r.points, 0);

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
