import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { api, eventually, firedFaults, local } from './helpers.ts';

type Candidate = { id: string; email: string; version: number; tags: string[]; pools: string[]; applications: { id: string }[]; [field: string]: unknown };
type Pair = { id: string; candidateIds: string[]; score: number; reasons: string[] };

const run = () => randomUUID().slice(0, 8);
const add = async (body: Record<string, unknown>) => {
  const response = await api('/candidates', { method: 'POST', body });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body as Candidate;
};
/** The pair of these two, looked for on every page: other files' look-alikes share the list. */
const pairOf = async (a: string, b: string) => {
  for (let cursor: string | undefined, pages = 0; pages < 50; pages++) {
    const page = (await api(`/candidates/duplicates?limit=200${cursor ? `&cursor=${cursor}` : ''}`)).body as { items: Pair[]; nextCursor?: string };
    const pair = page.items.find((p) => p.candidateIds.includes(a) && p.candidateIds.includes(b));
    if (pair || !page.nextCursor) return pair;
    cursor = page.nextCursor;
  }
  return undefined;
};
const without = ({ version, updatedAt, ...rest }: Candidate) => rest;

describe('duplicates, merge and undo over HTTP on the local stack', () => {
  it('finds people who look alike through accents, word order, nicknames and phone formats, with the reasons', async () => {
    const id = run();
    const a = await add({ email: `jose.${id}@example.com`, firstName: 'José', lastName: 'Núñez', company: `Acme ${id}`, phone: '+49 30 1234567', location: { country: 'DE' } });
    const b = await add({ email: `jnunez.${id}@example.org`, firstName: 'Nunez', lastName: 'Jose', company: `ACME ${id}`, phone: '030 1234567', location: { country: 'DE' } });
    const c = await add({ email: `bob.${id}@example.com`, firstName: 'Bob', lastName: `Smith${id}`, location: { city: 'Leeds' } });
    const d = await add({ email: `robert.${id}@example.com`, firstName: 'Robert', lastName: `Smith${id}`, location: { city: 'leeds' } });
    await eventually(async () => {
      const pair = await pairOf(a.id, b.id);
      expect(pair?.reasons.sort()).toEqual(['same name (allowing accents, order and nicknames) at the same company', 'same phone number']);
      expect(pair!.score).toBeGreaterThanOrEqual(90);
      expect((await pairOf(c.id, d.id))?.reasons).toEqual(['same name (allowing accents, order and nicknames) in the same city']);
    });

    // Dismissed pairs stay dismissed, even when the people change again.
    expect((await api('/candidates/duplicates/dismissals', { method: 'POST', body: { candidateIds: [c.id, d.id] } })).status).toBe(204);
    await api(`/candidates/${d.id}`, { method: 'PATCH', body: { headline: 'Engineer' } });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await pairOf(c.id, d.id)).toBeUndefined();
  });

  it('merges field by field and moves everything, then undo restores both records and every related item', async () => {
    const id = run();
    const pool = (await api('/pools', { method: 'POST', body: { name: `Pool ${id}` } })).body as { id: string };
    const primary = await add({ email: `ada.${id}@example.com`, firstName: 'Ada', lastName: 'Lovelace', company: `Engines ${id}`, tags: ['math'] });
    const duplicate = await add({ email: `ada.l.${id}@example.org`, firstName: 'Ada', lastName: 'Lovelace', company: `Engines ${id}`, headline: 'Analyst', tags: ['poetry'] });
    await api(`/pools/${pool.id}/members`, { method: 'POST', body: { candidateIds: [duplicate.id] } });
    await api(`/candidates/${duplicate.id}/touchpoints`, { method: 'POST', body: { type: 'call', summary: `Call ${id}` } });
    const application = (await api(`/candidates/${duplicate.id}/applications`, { method: 'POST', body: { jobId: `job_${id}` } })).body as { id: string };
    const task = (await api(`/candidates/${duplicate.id}/tasks`, { method: 'POST', body: { title: 'Follow up', dueAt: new Date().toISOString(), assignee: `r.${id}@example.com` } })).body as { id: string };
    const shortlist = (await api('/segments', { method: 'POST', body: { kind: 'static', name: 'Shortlist', candidateIds: [duplicate.id] } })).body as { id: string };
    await eventually(async () => expect(await pairOf(primary.id, duplicate.id)).toBeDefined());
    // The application raises the person's engagement score on their profile a moment later: take the records after it.
    await eventually(async () => expect(((await api(`/candidates/${duplicate.id}`)).body as Candidate).engagement).toBeDefined());
    const before = { primary: (await api(`/candidates/${primary.id}`)).body as Candidate, duplicate: (await api(`/candidates/${duplicate.id}`)).body as Candidate };

    expect((await api(`/candidates/${primary.id}/merge`, { method: 'POST', body: { duplicateId: primary.id } })).status).toBe(409);
    const merged = await api(`/candidates/${primary.id}/merge`, { method: 'POST', body: { duplicateId: duplicate.id, prefer: { headline: 'duplicate' } } });
    expect(merged.status, JSON.stringify(merged.body)).toBe(200);
    const { mergeId, candidate } = merged.body as { mergeId: string; candidate: Candidate };
    expect(candidate).toMatchObject({ id: primary.id, email: primary.email, headline: 'Analyst', tags: ['math', 'poetry'], pools: [pool.id], applications: [{ id: application.id }] });

    const gone = await api(`/candidates/${duplicate.id}`);
    expect(gone).toMatchObject({ status: 404, body: { mergedInto: primary.id } });
    expect((await api(`/candidates/${primary.id}/merge`, { method: 'POST', body: { duplicateId: duplicate.id } })).status).toBe(409);
    expect((await api(`/applications/${application.id}`)).body).toMatchObject({ candidateId: primary.id });
    expect(((await api(`/segments/${shortlist.id}/members`)).body as { items: { id: string }[] }).items.map((c) => c.id)).toEqual([primary.id]);
    expect(((await api(`/pools/${pool.id}/members`)).body as { items: { id: string }[] }).items.map((c) => c.id)).toEqual([primary.id]);
    await eventually(async () => {
      const timeline = ((await api(`/candidates/${primary.id}/timeline?limit=200`)).body as { items: { summary?: string; type: string }[] }).items;
      expect(timeline.map((e) => e.summary)).toContain(`Call ${id}`);
      expect(timeline.map((e) => e.type)).toContain('merged');
      expect(await pairOf(primary.id, duplicate.id)).toBeUndefined();
    });
    // The merged-away address now finds the survivor.
    expect((await api('/candidates', { method: 'POST', body: { email: duplicate.email } })).body).toMatchObject({ existingId: primary.id });

    const undone = await api(`/merges/${mergeId}/undo`, { method: 'POST' });
    expect(undone.status, JSON.stringify(undone.body)).toBe(200);
    const after = undone.body as { survivor: Candidate; merged: Candidate };
    expect(without(after.survivor)).toEqual(without(before.primary));
    expect(after.merged).toEqual(before.duplicate);
    expect((await api(`/applications/${application.id}`)).body).toMatchObject({ candidateId: duplicate.id });
    expect(((await api(`/segments/${shortlist.id}/members`)).body as { items: { id: string }[] }).items.map((c) => c.id)).toEqual([duplicate.id]);
    expect(((await api(`/pools/${pool.id}/members`)).body as { items: { id: string }[] }).items.map((c) => c.id)).toEqual([duplicate.id]);
    expect((await api(`/pools/${pool.id}`)).body).toMatchObject({ memberCount: 1 });
    const tasks = ((await api(`/tasks?assignee=r.${id}@example.com`)).body as { items: { id: string; candidateId: string }[] }).items;
    expect(tasks).toEqual([expect.objectContaining({ id: task.id, candidateId: duplicate.id })]);
    const timeline = ((await api(`/candidates/${duplicate.id}/timeline?limit=200`)).body as { items: { summary?: string }[] }).items;
    expect(timeline.map((e) => e.summary)).toContain(`Call ${id}`);
    expect((await api('/candidates', { method: 'POST', body: { email: duplicate.email } })).body).toMatchObject({ existingId: duplicate.id });
    expect((await api(`/merges/${mergeId}/undo`, { method: 'POST' })).status).toBe(409);
  });

  it('finishes a merge that died half-way when it is asked for again', async () => {
    const id = run();
    const primary = await add({ email: `m.${id}@example.com`, firstName: 'Max', lastName: `Ray${id}` });
    const duplicate = await add({ email: `n.${id}@example.com`, firstName: 'Max', lastName: `Ray${id}` });
    await api(`/candidates/${duplicate.id}/touchpoints`, { method: 'POST', body: { type: 'note', summary: `Note ${id}` } });
    // The merge transaction lands, then moving the timeline fails: the request dies.
    await local('/_local/faults', { function: 'candidates-duplicates', command: 'BatchWriteItemCommand', times: 1 });
    try {
      expect((await api(`/candidates/${primary.id}/merge`, { method: 'POST', body: { duplicateId: duplicate.id } })).status).toBe(500);
      expect((await firedFaults()).find((f) => f.function === 'candidates-duplicates')).toMatchObject({ failed: 1 });
    } finally {
      await local('/_local/faults?function=candidates-duplicates', undefined, 'DELETE');
    }
    const again = await api(`/candidates/${primary.id}/merge`, { method: 'POST', body: { duplicateId: duplicate.id } });
    expect(again).toMatchObject({ status: 409, body: { mergedInto: primary.id } });
    const timeline = ((await api(`/candidates/${primary.id}/timeline?limit=200`)).body as { items: { summary?: string }[] }).items;
    expect(timeline.map((e) => e.summary)).toContain(`Note ${id}`);
  });

  it('refuses to undo a merge after the survivor was edited, and says why', async () => {
    const id = run();
    const primary = await add({ email: `p.${id}@example.com`, firstName: 'Pat', lastName: `Lee${id}` });
    const duplicate = await add({ email: `q.${id}@example.com`, firstName: 'Pat', lastName: `Lee${id}` });
    const { mergeId } = (await api(`/candidates/${primary.id}/merge`, { method: 'POST', body: { duplicateId: duplicate.id } })).body as { mergeId: string };
    await api(`/candidates/${primary.id}`, { method: 'PATCH', body: { headline: 'Edited after the merge' } });
    const refused = await api(`/merges/${mergeId}/undo`, { method: 'POST' });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ detail: expect.stringContaining('changed after the merge'), mergedVersion: 2, currentVersion: 3 });
  });
});
