import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { api, eventually } from './helpers.ts';

type Segment = { id: string; memberCount: number; backfill?: { status: string; processed: number; total: number; progress: number } };

const marker = () => `seg-${randomUUID().slice(0, 8)}`;
const add = async (body: Record<string, unknown>) => {
  const response = await api('/candidates', { method: 'POST', body: { email: `${randomUUID().slice(0, 12)}@example.com`, ...body } });
  expect(response.status).toBe(201);
  return response.body as { id: string };
};
const memberIds = async (segmentId: string) =>
  ((await api(`/segments/${segmentId}/members?limit=200`)).body as { items: { id: string }[] }).items.map((c) => c.id).sort();

describe('dynamic segments over HTTP on the local stack', () => {
  it('backfills existing candidates, then follows their changes, publishing entries and exits', async () => {
    const tag = marker();
    const berliner = await add({ tags: [tag], location: { country: 'DE', city: 'Berlin' }, experienceYears: 6 });
    const junior = await add({ tags: [tag], location: { country: 'DE' }, experienceYears: 1 });
    await add({ tags: [tag], location: { country: 'FR' }, experienceYears: 9 });
    const rule = { all: [{ field: 'tags', op: 'contains', value: tag }, { field: 'location.country', op: 'eq', value: 'de' }, { field: 'experienceYears', op: 'gte', value: 5 }] };

    await eventually(async () => {
      const preview = await api('/segments/preview', { method: 'POST', body: { rule } });
      expect(preview.body).toMatchObject({ count: 1, exact: true, sample: [{ id: berliner.id }] });
    });

    const created = await api('/segments', { method: 'POST', body: { name: 'Senior engineers in Germany', rule } });
    expect(created.status).toBe(201);
    const segment = created.body as Segment;
    expect(segment.backfill).toMatchObject({ status: 'running', processed: 0 });

    await eventually(async () => {
      const read = (await api(`/segments/${segment.id}`)).body as Segment;
      expect(read).toMatchObject({ memberCount: 1, backfill: { status: 'completed', progress: 100 } });
    });
    expect(await memberIds(segment.id)).toEqual([berliner.id]);

    // The junior gains experience: they enter. The Berliner moves to France: they leave.
    await api(`/candidates/${junior.id}`, { method: 'PATCH', body: { experienceYears: 5 } });
    await api(`/candidates/${berliner.id}`, { method: 'PATCH', body: { location: { country: 'FR' } } });
    await eventually(async () => {
      expect(await memberIds(segment.id)).toEqual([junior.id]);
      expect(((await api(`/segments/${segment.id}`)).body as Segment).memberCount).toBe(1);
    });
  });

  it('evaluates again when the rule changes, and matches nested any / not rules and application status', async () => {
    const tag = marker();
    const applicant = await add({ tags: [tag] });
    const contractor = await add({ tags: [tag, 'contractor'] });
    const other = await add({ tags: [tag] });
    await api(`/candidates/${applicant.id}/applications`, { method: 'POST', body: { status: 'interview' } });

    const created = (await api('/segments', { method: 'POST', body: { name: 'Tagged', rule: { field: 'tags', op: 'contains', value: tag } } })).body as Segment;
    await eventually(async () => expect(await memberIds(created.id)).toEqual([applicant.id, contractor.id, other.id].sort()));

    const rule = { all: [{ field: 'tags', op: 'contains', value: tag }, { any: [{ field: 'applications.status', op: 'in', value: ['interview', 'offer'] }, { not: { field: 'tags', op: 'contains', value: 'contractor' } }] }] };
    const updated = await api(`/segments/${created.id}`, { method: 'PATCH', body: { rule }, headers: { 'if-match': '"1"' } });
    expect(updated.status).toBe(200);
    await eventually(async () => expect(await memberIds(created.id)).toEqual([applicant.id, other.id].sort()));
  });

  it('keeps static lists by hand', async () => {
    const one = await add({});
    const two = await add({});
    const created = (await api('/segments', { method: 'POST', body: { kind: 'static', name: 'Shortlist', candidateIds: [one.id] } })).body as Segment;
    expect(created.memberCount).toBe(1);
    const added = await api(`/segments/${created.id}/members`, { method: 'POST', body: { candidateIds: [one.id, two.id] } });
    expect(added.body).toMatchObject({ added: [two.id], alreadyMembers: [one.id] });
    expect((await api(`/segments/${created.id}/members/${one.id}`, { method: 'DELETE' })).status).toBe(204);
    expect(await memberIds(created.id)).toEqual([two.id]);
  });

  it('names the wrong part of an invalid rule', async () => {
    const cases: [unknown, string][] = [
      [{ all: [{ field: 'tags', op: 'gt', value: 3 }] }, 'body.rule.all.0.op'],
      [{ any: [{ field: 'shoeSize', op: 'eq', value: 3 }] }, 'body.rule.any.0.field'],
      [{ not: { field: 'experienceYears', op: 'gte', value: 'five' } }, 'body.rule.not.value'],
      [{ all: [] }, 'body.rule.all'],
      [{ all: [{ field: 'status', op: 'eq', value: 'active', extra: 1 }] }, 'body.rule.all.0.extra'],
    ];
    for (const [rule, path] of cases) {
      const response = await api('/segments', { method: 'POST', body: { name: 'Broken', rule } });
      expect(response.status, JSON.stringify(rule)).toBe(400);
      expect((response.body as { errors: { path: string }[] }).errors.map((e) => e.path)).toContain(path);
    }
  });
});
