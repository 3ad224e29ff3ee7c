import { describe, expect, it } from 'vitest';
import { aCandidateInput } from '../fixtures/builders.ts';
import { api, eventually } from './helpers.ts';

const create = async (overrides: Parameters<typeof aCandidateInput>[0] = {}) => {
  const response = await api('/candidates', { method: 'POST', body: aCandidateInput(overrides) });
  expect(response.status).toBe(201);
  return response.body as { id: string; email: string; version: number; tags: string[]; pools: string[] };
};

describe('candidates over HTTP on the local stack', () => {
  it('creates a candidate and reads it back with its version as ETag', async () => {
    const created = await create({ firstName: 'Grace', tags: ['Java'] });
    expect(created.id).toMatch(/^cand_[0-9A-Z]{26}$/);
    const read = await api(`/candidates/${created.id}`, { role: 'viewer' });
    expect(read.status).toBe(200);
    expect(read.headers.get('etag')).toBe('"1"');
    expect(read.body).toMatchObject({ id: created.id, firstName: 'Grace', tags: ['java'], status: 'passive' });
  });

  it('answers 409 with the existing id when the email is already in the pool, whatever its case', async () => {
    const first = await create();
    const again = await api('/candidates', { method: 'POST', body: aCandidateInput({ email: first.email.toUpperCase() }) });
    expect(again.status).toBe(409);
    expect(again.headers.get('content-type')).toBe('application/problem+json');
    expect(again.body).toMatchObject({ status: 409, existingId: first.id });
  });

  it('answers the first result again for a retried POST with the same Idempotency-Key', async () => {
    const body = aCandidateInput();
    const headers = { 'idempotency-key': `retry-${body.email}` };
    const first = await api('/candidates', { method: 'POST', body, headers });
    const retry = await api('/candidates', { method: 'POST', body, headers });
    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect((retry.body as { id: string }).id).toBe((first.body as { id: string }).id);
    const reused = await api('/candidates', { method: 'POST', body: { ...body, firstName: 'Other' }, headers });
    expect(reused.status).toBe(422);
  });

  it('names the wrong fields in a 400 and stores nothing', async () => {
    const email = aCandidateInput().email;
    const response = await api('/candidates', { method: 'POST', body: { email, location: { country: 'XX' }, timezone: 'Nowhere/City', shoeSize: 44 } });
    expect(response.status).toBe(400);
    expect((response.body as { errors: { path: string }[] }).errors.map((e) => e.path)).toEqual(['body.location.country', 'body.timezone', 'body.shoeSize']);
    const search = await api(`/candidates?q=${encodeURIComponent(email)}`, { role: 'viewer' });
    expect((search.body as { items: unknown[] }).items).toEqual([]);
  });

  it('refuses invalid JSON with 400, a non-JSON body with 415 and a body over 1 MB with 413', async () => {
    expect((await api('/candidates', { method: 'POST', rawBody: '{"email": ', headers: { 'content-type': 'application/json' } })).status).toBe(400);
    expect((await api('/candidates', { method: 'POST', rawBody: 'email=a@b.c', headers: { 'content-type': 'application/x-www-form-urlencoded' } })).status).toBe(415);
    const huge = JSON.stringify({ ...aCandidateInput(), headline: 'x'.repeat(1_100_000) });
    expect((await api('/candidates', { method: 'POST', rawBody: huge, headers: { 'content-type': 'application/json' } })).status).toBe(413);
  });

  it('answers 401 without a token, 403 to a viewer who writes, 404 for an unknown id', async () => {
    expect((await api('/candidates', { token: null })).status).toBe(401);
    expect((await api('/candidates', { method: 'POST', body: aCandidateInput(), role: 'viewer' })).status).toBe(403);
    expect((await api('/candidates/cand_01JZZZZZZZZZZZZZZZZZZZZZZZ', { role: 'viewer' })).status).toBe(404);
  });

  it('updates with If-Match, refuses a stale version with 412, and clears a field sent as null', async () => {
    const { id } = await create({ headline: 'Engineer' });
    const updated = await api(`/candidates/${id}`, { method: 'PATCH', body: { headline: null, status: 'active' }, headers: { 'if-match': '"1"' } });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ status: 'active', version: 2 });
    expect(updated.body).not.toHaveProperty('headline');
    const stale = await api(`/candidates/${id}`, { method: 'PATCH', body: { status: 'former' }, headers: { 'if-match': '"1"' } });
    expect(stale.status).toBe(412);
  });

  it('moves the email guard when the email changes, freeing the old address', async () => {
    const first = await create();
    const newEmail = aCandidateInput().email;
    expect((await api(`/candidates/${first.id}`, { method: 'PATCH', body: { email: newEmail } })).status).toBe(200);
    const taken = await create({ email: first.email });
    expect(taken.email).toBe(first.email);
    const clash = await api('/candidates', { method: 'POST', body: aCandidateInput({ email: newEmail }) });
    expect(clash.body).toMatchObject({ existingId: first.id });
  });

  it('filters by tag, skill, status, country and name prefix, alone and combined', async () => {
    const marker = `mk${Date.now().toString(36)}`;
    const match = await create({ firstName: `Zoë${marker}`, tags: [marker], skills: ['rust'], status: 'active', location: { country: 'NL' } });
    await create({ firstName: `Zoe${marker}`, tags: [marker], skills: ['go'], status: 'passive', location: { country: 'NL' } });
    const ids = async (query: string) => {
      const response = await api(`/candidates?${query}`, { role: 'viewer' });
      expect(response.status).toBe(200);
      return (response.body as { items: { id: string }[] }).items.map((c) => c.id);
    };
    await eventually(async () => expect(await ids(`tag=${marker}`)).toHaveLength(2));
    expect(await ids(`tag=${marker}&skill=rust`)).toEqual([match.id]);
    expect(await ids(`tag=${marker}&status=active&country=nl`)).toEqual([match.id]);
    expect(await ids(`q=zoe${marker}`)).toHaveLength(2);
    expect(await ids(`q=ZOË${marker}&skill=rust`)).toEqual([match.id]);
  });

  it('pages through a filtered list with a cursor, without repeats', async () => {
    const marker = `pg${Date.now().toString(36)}`;
    const created = [];
    for (let i = 0; i < 5; i++) created.push((await create({ tags: [marker] })).id);
    const seen: string[] = [];
    let cursor: string | undefined;
    await eventually(async () => expect(((await api(`/candidates?tag=${marker}`, { role: 'viewer' })).body as { items: unknown[] }).items).toHaveLength(5));
    do {
      const page = await api(`/candidates?tag=${marker}&limit=2${cursor ? `&cursor=${cursor}` : ''}`, { role: 'viewer' });
      const body = page.body as { items: { id: string }[]; nextCursor?: string };
      expect(body.items.length).toBeLessThanOrEqual(2);
      seen.push(...body.items.map((c) => c.id));
      cursor = body.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...created].reverse());
  });

  it('answers 400 for a cursor it did not hand out', async () => {
    const response = await api('/candidates?tag=java&cursor=eyJmb28iOiJiYXIifQ', { role: 'viewer' });
    expect(response.status).toBe(400);
    expect((response.body as { errors: { path: string }[] }).errors[0]!.path).toBe('cursor');
  });

  it('tags and untags idempotently', async () => {
    const { id } = await create();
    const tagged = await api(`/candidates/${id}/tags/Hot%20Lead`, { method: 'PUT' });
    expect(tagged.body).toMatchObject({ tags: ['hot lead'], version: 2 });
    expect((await api(`/candidates/${id}/tags/hot%20lead`, { method: 'PUT' })).body).toMatchObject({ version: 2 });
    expect((await api(`/candidates/${id}/tags/hot%20lead`, { method: 'DELETE' })).body).toMatchObject({ tags: [], version: 3 });
  });
});

describe('pools over HTTP', () => {
  it('adds members, and counts and lists them at once; removes them', async () => {
    const pool = await api('/pools', { method: 'POST', body: { name: 'Platform engineers' } });
    expect(pool.status).toBe(201);
    const poolId = (pool.body as { id: string }).id;
    const a = await create();
    const b = await create();
    const added = await api(`/pools/${poolId}/members`, { method: 'POST', body: { candidateIds: [a.id, b.id, 'cand_01JZZZZZZZZZZZZZZZZZZZZZZZ'] } });
    expect(added.body).toEqual({ added: [a.id, b.id], alreadyMembers: [], notFound: ['cand_01JZZZZZZZZZZZZZZZZZZZZZZZ'] });
    expect((await api(`/pools/${poolId}`, { role: 'viewer' })).body).toMatchObject({ memberCount: 2 });
    const members = await api(`/pools/${poolId}/members`, { role: 'viewer' });
    expect((members.body as { items: { id: string }[] }).items.map((c) => c.id)).toEqual([b.id, a.id]);
    expect((await api(`/pools/${poolId}/members/${a.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await api(`/pools/${poolId}`, { role: 'viewer' })).body).toMatchObject({ memberCount: 1 });
    expect((await api(`/candidates/${a.id}`, { role: 'viewer' })).body).toMatchObject({ pools: [] });
    expect(((await api(`/pools/${poolId}/members`, { role: 'viewer' })).body as { items: { id: string }[] }).items.map((c) => c.id)).toEqual([b.id]);
    expect((await api(`/pools/${poolId}/members/${a.id}`, { method: 'DELETE' })).status).toBe(404);
  });

  it('answers 404 for members of an unknown pool', async () => {
    const { id } = await create();
    const response = await api('/pools/pool_01JZZZZZZZZZZZZZZZZZZZZZZZ/members', { method: 'POST', body: { candidateIds: [id] } });
    expect(response.status).toBe(404);
  });
});

describe('touchpoints and the timeline', () => {
  it('lists touchpoints and recorded activity newest first, paginated', async () => {
    const { id } = await create({ tags: ['java'] });
    const call = await api(`/candidates/${id}/touchpoints`, {
      method: 'POST',
      body: { type: 'call', occurredAt: '2026-01-10T09:00:00+01:00', summary: 'Intro call', direction: 'outbound' },
    });
    expect(call.status).toBe(201);
    expect(call.body).toMatchObject({ kind: 'touchpoint', type: 'call', occurredAt: '2026-01-10T08:00:00.000Z' });
    await api(`/candidates/${id}/touchpoints`, { method: 'POST', body: { type: 'note', body: 'Prefers remote' } });

    // Activity arrives through the outbox, the stream relay, the bus and the activity consumer.
    await eventually(async () => {
      const timeline = await api(`/candidates/${id}/timeline`, { role: 'viewer' });
      const types = (timeline.body as { items: { type: string }[] }).items.map((e) => e.type);
      expect(types).toEqual(expect.arrayContaining(['note', 'created', 'tagged', 'call']));
    }, 15_000);
    const timeline = (await api(`/candidates/${id}/timeline?limit=50`, { role: 'viewer' })).body as { items: { occurredAt: string; type: string }[] };
    const times = timeline.items.map((e) => e.occurredAt);
    expect(times).toEqual([...times].sort().reverse());
    expect(timeline.items.at(-1)!.type).toBe('call');

    const firstPage = (await api(`/candidates/${id}/timeline?limit=1`, { role: 'viewer' })).body as { items: unknown[]; nextCursor: string };
    expect(firstPage.items).toHaveLength(1);
    const secondPage = (await api(`/candidates/${id}/timeline?limit=1&cursor=${firstPage.nextCursor}`, { role: 'viewer' })).body as { items: unknown[] };
    expect(secondPage.items[0]).toEqual(timeline.items[1]);
  });

  it('answers 404 for a touchpoint on an unknown candidate', async () => {
    const response = await api('/candidates/cand_01JZZZZZZZZZZZZZZZZZZZZZZZ/touchpoints', { method: 'POST', body: { type: 'note' } });
    expect(response.status).toBe(404);
  });
});

describe('last activity', () => {
  it('moves forward when a touchpoint is logged, without changing the version a recruiter holds for If-Match', async () => {
    const candidate = await create();
    const before = (await api(`/candidates/${candidate.id}`)).body as { version: number; lastActivityAt?: string };
    expect(before.lastActivityAt).toBeUndefined();
    await api(`/candidates/${candidate.id}/touchpoints`, { method: 'POST', body: { type: 'call', summary: 'Catch-up call' } });
    await eventually(async () => expect((await api(`/candidates/${candidate.id}`)).body).toMatchObject({ lastActivityAt: expect.any(String), version: before.version }));
    const patched = await api(`/candidates/${candidate.id}`, { method: 'PATCH', body: { headline: 'Still current' }, headers: { 'if-match': `"${before.version}"` } });
    expect(patched.status).toBe(200);
  });
});
