import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { api, eventually, firedFaults, local } from './helpers.ts';

const SILVER = 'seg_silver-medalists';
const FORMER = 'seg_former-applicants';
/** The recruiter's token carries this address: GET /tasks lists their own tasks. */
const RECRUITER = 'recruiter@talent-relay.local';
const marker = () => `r${randomUUID().slice(0, 8)}`;
const aYearAhead = () => new Date(Date.now() + 365 * 86_400_000).toISOString();

interface Task { id: string; candidateId: string; title: string; assignee: string; notes?: string }
interface Enrollment { candidateId: string; state: string; manual?: boolean }

/** A candidate who applied and went through these statuses, by the API's own routes. */
async function applicant(statuses: string[], profile: { skills: string[]; country: string }) {
  const email = `${marker()}@example.com`;
  const created = await api('/candidates', {
    method: 'POST',
    body: { email, firstName: 'Mae', skills: profile.skills, location: { country: profile.country }, consents: [{ purpose: 'marketing-email', granted: true }] },
  });
  expect(created.status).toBe(201);
  const id = (created.body as { id: string }).id;
  const application = await api(`/candidates/${id}/applications`, { method: 'POST', body: {} });
  expect(application.status).toBe(201);
  const applicationId = (application.body as { id: string }).id;
  for (const status of statuses) expect((await api(`/applications/${applicationId}`, { method: 'PATCH', body: { status } })).status).toBe(200);
  return { id, email };
}

async function pages<T>(path: string): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const page = (await api(`${path}${path.includes('?') ? '&' : '?'}limit=200${cursor ? `&cursor=${cursor}` : ''}`)).body as { items: T[]; nextCursor?: string };
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}
const memberIds = async (segmentId: string) => (await pages<{ id: string }>(`/segments/${segmentId}/members`)).map((c) => c.id);
const tasksOf = async (candidateId: string) => (await pages<Task>('/tasks')).filter((t) => t.candidateId === candidateId);
const enrollmentOf = async (campaignId: string, candidateId: string) =>
  (await pages<Enrollment>(`/campaigns/${campaignId}/enrollments`)).find((e) => e.candidateId === candidateId);
const mailTo = async (address: string) =>
  ((await (await fetch(`${inject('apiUrl')}/_local/mail?to=${encodeURIComponent(address)}`)).json()) as { items: { subject: string; to: string[] }[] }).items;

async function publishedJob(skills: string[], location: Record<string, unknown> = { type: 'onsite', address: { city: 'London', country: 'GB' } }) {
  const created = await api('/jobs', { method: 'POST', body: { title: 'Site Reliability Engineer', description: '<p>Keep us up.</p>', location, skills, validThrough: aYearAhead() } });
  expect(created.status).toBe(201);
  const job = created.body as { id: string; title: string };
  expect((await api(`/jobs/${job.id}/publish`, { method: 'POST' })).status).toBe(200);
  return job;
}

let dripId: string;
const dripSubject = `We have new roles for you ${marker()}`;

beforeAll(async () => {
  const template = await api('/templates', { method: 'POST', body: { name: 'Come back', subject: dripSubject, html: '<p>Hi {{firstName|default:"there"}}.</p><p><a href="{{unsubscribeUrl}}">Unsubscribe</a></p>' } });
  expect(template.status).toBe(201);
  // An empty pool as the audience: the only way into this drip is a match (or a recruiter's hand).
  const pool = await api('/pools', { method: 'POST', body: { name: 'Nobody yet' } });
  const templateId = (template.body as { id: string }).id;
  const drip = await api('/campaigns', {
    method: 'POST',
    body: { name: 'Reactivation', kind: 'drip', audience: { poolId: (pool.body as { id: string }).id }, steps: [{ templateId, delay: 'PT0M' }, { templateId, delay: 'P30D' }] },
  });
  expect(drip.status).toBe(201);
  dripId = (drip.body as { id: string }).id;
  expect((await api(`/campaigns/${dripId}/launch`, { method: 'POST' })).status).toBe(200);
  // No waiting period, so people who were just turned down count at once.
  const saved = await api('/settings/reactivation', { method: 'PUT', role: 'admin', body: { silverMedalistAfterDays: 0, campaignId: dripId, taskAssignee: RECRUITER } });
  expect(saved).toMatchObject({ status: 200, body: { silverMedalistAfterDays: 0, campaignId: dripId, taskAssignee: RECRUITER } });
}, 60_000);

describe('built-in segments', () => {
  it('lists the silver medalists and the former applicants as built-in segments', async () => {
    const segments = await pages<{ id: string; builtIn: boolean; kind: string }>('/segments');
    expect(segments.filter((s) => s.builtIn).map((s) => s.id).sort()).toEqual([FORMER, SILVER]);
    expect(segments.find((s) => s.id === SILVER)).toMatchObject({ kind: 'dynamic', builtIn: true });
  });

  it('makes someone who reached interview and was then rejected a silver medalist once the waiting period has passed', async () => {
    const person = await applicant(['screening', 'interview', 'rejected'], { skills: ['go'], country: 'GB' });
    await eventually(async () => expect(await memberIds(SILVER)).toContain(person.id));
    expect(await memberIds(FORMER)).toContain(person.id);
  });

  it('makes someone rejected at screening a former applicant, not a silver medalist', async () => {
    const person = await applicant(['screening', 'rejected'], { skills: ['go'], country: 'GB' });
    await eventually(async () => expect(await memberIds(FORMER)).toContain(person.id));
    expect(await memberIds(SILVER)).not.toContain(person.id);
  });

  it('answers 409 with a clear problem when a recruiter tries to change a built-in segment', async () => {
    const response = await api(`/segments/${SILVER}`, { method: 'PATCH', body: { name: 'My medalists' } });
    expect(response.status).toBe(409);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect((response.body as { detail: string }).detail).toMatch(/built-in.*\/settings\/reactivation/);
    expect((await api(`/segments/${FORMER}/members`, { method: 'POST', body: { candidateIds: ['cand_01JDX5Q9S3P5W7V9X1Z3B5D7F0'] } })).status).toBe(409);
  });
});

describe('reactivation settings', () => {
  it('are for admins only', async () => {
    expect((await api('/settings/reactivation', { role: 'recruiter' })).status).toBe(403);
    expect((await api('/settings/reactivation', { role: 'admin' })).body).toMatchObject({ silverMedalistAfterDays: 0, campaignId: dripId });
  });

  it('refuse a campaign that is not a drip, naming the field', async () => {
    const oneShot = await api('/campaigns', {
      method: 'POST',
      body: { name: 'Not a drip', kind: 'one-shot', audience: { segmentId: FORMER }, templateId: ((await api('/templates')).body as { items: { id: string }[] }).items[0]!.id },
    });
    expect(oneShot.status).toBe(201);
    const response = await api('/settings/reactivation', { method: 'PUT', role: 'admin', body: { campaignId: (oneShot.body as { id: string }).id } });
    expect(response.status).toBe(422);
    expect((response.body as { errors: { path: string }[] }).errors.map((e) => e.path)).toEqual(['body.campaignId']);
    expect((await api('/settings/reactivation', { role: 'admin' })).body).toMatchObject({ campaignId: dripId });
  });
});

describe('a published job that fits a silver medalist', () => {
  it('gives the recruiter a task with the reasons and enrols the person in the drip; someone who does not fit gets neither', async () => {
    const skill = marker();
    // Created first, so read first: by the time the later one is handled, this one has been.
    const abroad = await applicant(['interview', 'rejected'], { skills: [skill], country: 'JP' });
    const fits = await applicant(['interview', 'offer', 'withdrawn'], { skills: [skill.toUpperCase(), 'go'], country: 'GB' });
    await eventually(async () => expect(await memberIds(SILVER)).toEqual(expect.arrayContaining([abroad.id, fits.id])));

    const job = await publishedJob([skill, 'terraform']);

    await eventually(async () => expect(await enrollmentOf(dripId, fits.id)).toMatchObject({ manual: true }));
    const [task, ...more] = await tasksOf(fits.id);
    expect(more).toEqual([]);
    expect(task).toMatchObject({ assignee: RECRUITER, title: `Silver medalist for ${job.title}: skills ${skill}; lives in GB; reached offer before` });
    await eventually(async () => expect((await mailTo(fits.email)).map((m) => m.subject)).toContain(dripSubject));

    expect(await tasksOf(abroad.id)).toEqual([]);
    expect(await enrollmentOf(dripId, abroad.id)).toBeUndefined();
  }, 60_000);

  it('creates one task when JobPublished is delivered twice (a failed attempt redelivered)', async () => {
    const skill = marker();
    const first = await applicant(['interview', 'rejected'], { skills: [skill], country: 'GB' });
    const second = await applicant(['interview', 'rejected'], { skills: [skill], country: 'GB' });
    await eventually(async () => expect(await memberIds(SILVER)).toEqual(expect.arrayContaining([first.id, second.id])));
    // The first attempt creates both tasks and enrols the first person, then crashes enrolling the second: the bus delivers the event again.
    await local('/_local/faults', { function: 'candidates-reactivation-matcher', command: 'PutItemCommand', after: 1, times: 1 });
    try {
      await publishedJob([skill]);
      await eventually(async () => expect(await enrollmentOf(dripId, second.id)).toBeDefined());
      expect((await firedFaults()).find((f) => f.function === 'candidates-reactivation-matcher')?.failed).toBe(1);
    } finally {
      await local('/_local/faults?function=candidates-reactivation-matcher', undefined, 'DELETE');
    }
    expect(await tasksOf(first.id)).toHaveLength(1);
    expect(await tasksOf(second.id)).toHaveLength(1);
  }, 60_000);

  it('creates no second task when the job is closed and published again', async () => {
    const skill = marker();
    const earlier = await applicant(['interview', 'rejected'], { skills: [skill], country: 'DE' });
    await eventually(async () => expect(await memberIds(SILVER)).toContain(earlier.id));
    const job = await publishedJob([skill], { type: 'remote', applicantCountries: ['DE', 'AT'] });
    await eventually(async () => expect(await tasksOf(earlier.id)).toHaveLength(1));
    expect((await tasksOf(earlier.id))[0]!.title).toContain('remote from DE');

    // Someone new who fits: their task shows that the second publication has been handled.
    const later = await applicant(['interview', 'rejected'], { skills: [skill], country: 'AT' });
    await eventually(async () => expect(await memberIds(SILVER)).toContain(later.id));
    expect((await api(`/jobs/${job.id}/close`, { method: 'POST' })).status).toBe(200);
    expect((await api(`/jobs/${job.id}/publish`, { method: 'POST' })).status).toBe(200);
    await eventually(async () => expect(await tasksOf(later.id)).toHaveLength(1));
    expect(await tasksOf(earlier.id)).toHaveLength(1);
  }, 60_000);
});

describe('enrolling by hand', () => {
  it('enrols people in a running drip, once, and says who was not found', async () => {
    const person = await applicant(['rejected'], { skills: ['go'], country: 'GB' });
    const unknown = 'cand_01JDX5Q9S3P5W7V9X1Z3B5D7F0';
    const response = await api(`/campaigns/${dripId}/enrollments`, { method: 'POST', body: { candidateIds: [person.id, unknown] } });
    expect(response).toMatchObject({ status: 200, body: { enrolled: [person.id], alreadyEnrolled: [], notFound: [unknown] } });
    const again = await api(`/campaigns/${dripId}/enrollments`, { method: 'POST', body: { candidateIds: [person.id] } });
    expect(again.body).toMatchObject({ enrolled: [], alreadyEnrolled: [person.id] });
    expect(await enrollmentOf(dripId, person.id)).toMatchObject({ manual: true });
  });
});
