import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { api, eventually } from './helpers.ts';

const newCandidate = async (overrides: Record<string, unknown> = {}) => {
  const response = await api('/candidates', { method: 'POST', body: { email: `c.${randomUUID().slice(0, 8)}@example.com`, firstName: 'Cleo', ...overrides } });
  expect(response.status).toBe(201);
  return response.body as { id: string; email: string; status: string };
};

describe('adding someone who is already in the pool', () => {
  it('answers 409 with the existing id, or merges the new details with ?onDuplicate=merge', async () => {
    const existing = await newCandidate({ tags: ['java'] });
    const again = { email: existing.email.toUpperCase(), lastName: 'Okafor', tags: ['kotlin'], source: { type: 'sourced', url: 'https://www.linkedin.com/in/cleo' } };
    const refused = await api('/candidates', { method: 'POST', body: again });
    expect(refused).toMatchObject({ status: 409, body: { existingId: existing.id } });

    const merged = await api('/candidates?onDuplicate=merge', { method: 'POST', body: again });
    expect(merged.status).toBe(200);
    expect(merged.body).toMatchObject({ id: existing.id, firstName: 'Cleo', lastName: 'Okafor', tags: ['java', 'kotlin'], source: { type: 'manual' }, version: 2 });
  });
});

describe('applications', () => {
  it('climb the status ladder with every change timestamped, on the timeline and on the candidate', async () => {
    const candidate = await newCandidate();
    const created = await api(`/candidates/${candidate.id}/applications`, { method: 'POST', body: { jobId: 'job_backend', utm: { source: 'linkedin' } } });
    expect(created.status).toBe(201);
    const application = created.body as { id: string; status: string; history: unknown[] };
    expect(application).toMatchObject({ status: 'applied', history: [{ status: 'applied', at: expect.any(String) }] });

    for (const status of ['screening', 'offer']) {
      expect((await api(`/applications/${application.id}`, { method: 'PATCH', body: { status } })).status).toBe(200);
    }
    const read = await api(`/applications/${application.id}`, { role: 'viewer' });
    expect(read.body).toMatchObject({ status: 'offer', version: 3 });
    expect((read.body as { history: { status: string }[] }).history.map((h) => h.status)).toEqual(['applied', 'screening', 'offer']);

    const person = await api(`/candidates/${candidate.id}`);
    expect(person.body).toMatchObject({ status: 'active', applications: [{ id: application.id, status: 'offer', jobId: 'job_backend' }] });

    await eventually(async () => {
      const timeline = (await api(`/candidates/${candidate.id}/timeline`)).body as { items: { type: string; summary: string }[] };
      expect(timeline.items.filter((e) => e.type === 'application').map((e) => e.summary)).toEqual([
        'Application moved from screening to offer',
        'Application moved from applied to screening',
        'Applied to job_backend (applied)',
      ]);
    });
  });

  it('refuses to move back down the ladder or out of an end state, naming the allowed moves', async () => {
    const candidate = await newCandidate();
    const { id } = (await api(`/candidates/${candidate.id}/applications`, { method: 'POST', body: { requisitionId: 'REQ-7', status: 'interview' } })).body as { id: string };
    const back = await api(`/applications/${id}`, { method: 'PATCH', body: { status: 'screening' } });
    expect(back).toMatchObject({ status: 422, body: { allowed: ['offer', 'hired', 'rejected', 'withdrawn'] } });
    expect((await api(`/applications/${id}`, { method: 'PATCH', body: { status: 'hired' } })).status).toBe(200);
    expect((await api(`/candidates/${candidate.id}`)).body).toMatchObject({ status: 'hired' });
    expect((await api(`/applications/${id}`, { method: 'PATCH', body: { status: 'withdrawn' } })).status).toBe(422);
    expect((await api(`/applications/${id}`, { method: 'PATCH', body: { status: 'offer' }, headers: { 'if-match': '"1"' } })).status).toBe(412);
  });

  it('answers 404 for an unknown candidate or application', async () => {
    expect((await api('/candidates/cand_01JAAAAAAAAAAAAAAAAAAAAAAA/applications', { method: 'POST', body: {} })).status).toBe(404);
    expect((await api('/applications/app_01JAAAAAAAAAAAAAAAAAAAAAAA')).status).toBe(404);
  });
});

describe('follow-up tasks', () => {
  it('lists a recruiter\'s open tasks by due date, filters overdue, today and week, and completes them', async () => {
    const candidate = await newCandidate();
    const assignee = `rec.${randomUUID().slice(0, 8)}@example.com`;
    const inHours = (h: number) => new Date(Date.now() + h * 3600_000).toISOString();
    const add = async (title: string, dueAt: string) =>
      ((await api(`/candidates/${candidate.id}/tasks`, { method: 'POST', body: { title, dueAt, assignee } })).body as { id: string });
    const overdue = await add('Call back', inHours(-30));
    await add('Send offer details', inHours(24 * 20));
    const titles = async (query: string) =>
      ((await api(`/tasks?assignee=${assignee}${query}`)).body as { items: { title: string }[] }).items.map((t) => t.title);

    expect(await titles('')).toEqual(['Call back', 'Send offer details']);
    expect(await titles('&due=overdue')).toEqual(['Call back']);
    expect(await titles('&due=week')).toEqual(['Call back']);

    const done = await api(`/tasks/${overdue.id}`, { method: 'PATCH', body: { done: true } });
    expect(done.body).toMatchObject({ status: 'done', completedAt: expect.any(String) });
    expect(await titles('')).toEqual(['Send offer details']);
    expect(await titles('&status=done')).toEqual(['Call back']);
  });

  it('defaults to the caller\'s own tasks, from the email in their token', async () => {
    const candidate = await newCandidate();
    await api(`/candidates/${candidate.id}/tasks`, { method: 'POST', body: { title: 'Mine', dueAt: new Date().toISOString(), assignee: 'viewer@talent-relay.local' } });
    const mine = (await api('/tasks', { role: 'viewer' })).body as { items: { assignee: string }[] };
    expect(mine.items.length).toBeGreaterThan(0);
    expect(mine.items.every((t) => t.assignee === 'viewer@talent-relay.local')).toBe(true);
  });

  it('emails each recruiter a daily digest of due tasks, once per day', async () => {
    const candidate = await newCandidate();
    const assignee = `digest.${randomUUID().slice(0, 8)}@example.com`;
    await api(`/candidates/${candidate.id}/tasks`, { method: 'POST', body: { title: 'Chase <references>', dueAt: new Date(Date.now() - 3600_000).toISOString(), assignee } });
    const run = async () => (await fetch(`${(await import('vitest')).inject('apiUrl')}/_local/schedules/task-digest/run`, { method: 'POST' })).status;
    expect(await run()).toBe(200);
    expect(await run()).toBe(200);
    const mail = (await api(`/_local/mail?to=${encodeURIComponent(assignee)}`)).body as { items: { subject: string; text: string; html: string }[] };
    expect(mail.items).toHaveLength(1);
    expect(mail.items[0]!.subject).toMatch(/1 overdue/);
    expect(mail.items[0]!.text).toContain('Chase <references>');
    expect(mail.items[0]!.html).toContain('Chase &#60;references&#62;');
  });
});
