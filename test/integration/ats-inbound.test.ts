import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signWebhook } from '../../shared/webhook-signature.ts';
import { api, eventually } from './helpers.ts';

const run = Date.now().toString(36);
let counter = 0;
const unique = (name: string) => `${name}-${run}-${++counter}`;
const nowSeconds = () => Math.floor(Date.now() / 1000);

interface Connection { id: string; url: string; format: string; secret?: string; version: number }
interface Result { eventId: string; outcome: string; candidateId?: string; candidateCreated?: boolean; applicationId?: string; status?: string; reason?: string }
interface Application { id: string; status: string; jobId?: string; requisitionId?: string; external?: { connectionId: string; id: string }; history: { status: string; by: string }[] }

async function aConnection(format: 'native' | 'greenhouse' | 'lever', extra: Record<string, unknown> = {}): Promise<Connection & { secret: string }> {
  const created = await api('/integrations/ats', { method: 'POST', role: 'admin', body: { name: `${format} ${run}`, format, ...extra } });
  expect(created.status).toBe(201);
  return created.body as Connection & { secret: string };
}

/** One delivery as the ATS makes it: the exact body bytes, signed as its format says. */
const deliver = (connectionId: string, body: string, headers: Record<string, string>) =>
  api(`/public/integrations/ats/${connectionId}/events`, { method: 'POST', token: null, rawBody: body, headers: { 'content-type': 'application/json', ...headers } });

const deliverNative = (connection: Connection & { secret: string }, event: unknown, at = nowSeconds(), secret = connection.secret) => {
  const body = JSON.stringify(event);
  return deliver(connection.id, body, { 'x-talentrelay-signature': signWebhook(secret, body, at) });
};

const deliverGreenhouse = (connection: Connection & { secret: string }, event: unknown) => {
  const body = JSON.stringify(event);
  return deliver(connection.id, body, { signature: `sha256 ${createHmac('sha256', connection.secret).update(body).digest('hex')}` });
};

const deliverLever = (connection: Connection & { secret: string }, event: string, data: Record<string, unknown>, triggeredAt = Date.now()) => {
  const token = unique('lever-token');
  const signature = createHmac('sha256', connection.secret).update(`${token}${triggeredAt}`).digest('hex');
  return deliver(connection.id, JSON.stringify({ event, triggeredAt, token, signature, data }), {});
};

interface NativeEventShape {
  eventId: string;
  occurredAt: string;
  candidate: { externalId: string; email: string; firstName: string; lastName: string; phone?: string };
  application: { externalId?: string; requisitionId: string; status: string };
}
const aNativeEvent = (overrides: { candidate?: Partial<NativeEventShape['candidate']>; application?: Partial<NativeEventShape['application']>; eventId?: string; occurredAt?: string } = {}): NativeEventShape => ({
  eventId: overrides.eventId ?? unique('evt'),
  occurredAt: overrides.occurredAt ?? new Date().toISOString(),
  candidate: { externalId: unique('person'), email: `${unique('ats')}@example.com`, firstName: 'Grace', lastName: 'Hopper', ...overrides.candidate },
  application: { requisitionId: unique('REQ'), status: 'applied', ...overrides.application },
});

async function aJobWithRequisition(requisitionId: string): Promise<string> {
  const created = await api('/jobs', {
    method: 'POST',
    body: { title: 'Compiler Engineer', description: '<p>Compilers.</p>', requisitionId, employmentTypes: ['FULL_TIME'], location: { type: 'remote', applicantCountries: ['DE'] } },
  });
  expect(created.status).toBe(201);
  return (created.body as { id: string }).id;
}

const applicationOf = async (id: string) => (await api(`/applications/${id}`)).body as Application;

describe('ATS connections', () => {
  it('are created by admins, who are shown the secret once: reads never show it', async () => {
    expect((await api('/integrations/ats', { method: 'POST', body: { name: 'Greenhouse', format: 'greenhouse' } })).status).toBe(403);
    const connection = await aConnection('greenhouse', { stageMap: { 'Hiring Manager Chat': 'interview' } });
    expect(connection.secret).toMatch(/^[\w-]{40,}$/);
    expect(connection.url).toMatch(new RegExp(`/public/integrations/ats/${connection.id}/events$`));
    const read = await api(`/integrations/ats/${connection.id}`, { role: 'admin' });
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ id: connection.id, format: 'greenhouse', stageMap: { 'hiring manager chat': 'interview' } });
    expect(JSON.stringify(read.body)).not.toContain(connection.secret);
    const list = (await api('/integrations/ats?limit=200', { role: 'admin' })).body as { items: { id: string }[] };
    expect(list.items.map((c) => c.id)).toContain(connection.id);
  });

  it('rotate their secret: the new one verifies at once and the old one keeps verifying during the grace period', async () => {
    const connection = await aConnection('native');
    const rotated = await api(`/integrations/ats/${connection.id}/rotate-secret`, { method: 'POST', role: 'admin' });
    expect(rotated.status).toBe(200);
    const { secret, previousSecretValidUntil } = rotated.body as { secret: string; previousSecretValidUntil: string };
    expect(secret).not.toBe(connection.secret);
    expect(Date.parse(previousSecretValidUntil)).toBeGreaterThan(Date.now() + 23 * 3_600_000);
    expect((await deliverNative(connection, aNativeEvent(), nowSeconds(), secret)).status).toBe(200);
    expect((await deliverNative(connection, aNativeEvent(), nowSeconds(), connection.secret)).status).toBe(200);
  });
});

describe('inbound ATS events', () => {
  it('create the candidate and the application from a signed native event, link the external id and publish the status change', async () => {
    const connection = await aConnection('native');
    const requisitionId = unique('REQ');
    const jobId = await aJobWithRequisition(requisitionId);
    const event = aNativeEvent({ application: { externalId: unique('app'), requisitionId, status: 'screening' }, candidate: { phone: '+49 30 1234567' } });

    const received = await deliverNative(connection, event);
    expect(received.status).toBe(200);
    const result = received.body as Result;
    expect(result).toMatchObject({ outcome: 'changed', candidateCreated: true, status: 'screening' });

    const person = (await api(`/candidates/${result.candidateId}`)).body as Record<string, unknown>;
    expect(person).toMatchObject({
      email: event.candidate.email, firstName: 'Grace', lastName: 'Hopper', phone: '+49 30 1234567', status: 'active', source: { type: 'ats' },
      externalIds: [{ connectionId: connection.id, id: event.candidate.externalId }],
    });
    const application = await applicationOf(result.applicationId!);
    expect(application).toMatchObject({ status: 'screening', jobId, requisitionId, external: { connectionId: connection.id, id: event.application.externalId } });
    expect(application.history[0]!.by).toBe(`ats:${connection.id}`);
    // ApplicationStatusChanged went through the outbox and the bus to the timeline.
    await eventually(async () => {
      const timeline = (await api(`/candidates/${result.candidateId}/timeline`)).body as { items: { type: string; summary: string }[] };
      expect(timeline.items.filter((e) => e.type === 'application').map((e) => e.summary)).toEqual([`Applied to ${jobId} (screening)`]);
    });
  });

  it("take over the person's open application to the same job instead of adding a second one", async () => {
    const connection = await aConnection('native');
    const requisitionId = unique('REQ');
    const jobId = await aJobWithRequisition(requisitionId);
    const email = `${unique('applicant')}@example.com`;
    const candidate = (await api('/candidates', { method: 'POST', body: { email, firstName: 'Ada' } })).body as { id: string };
    const own = (await api(`/candidates/${candidate.id}/applications`, { method: 'POST', body: { jobId } })).body as { id: string };

    const received = await deliverNative(connection, aNativeEvent({ candidate: { email }, application: { externalId: unique('app'), requisitionId, status: 'interview' } }));
    expect(received.body).toMatchObject({ outcome: 'changed', candidateId: candidate.id, applicationId: own.id, status: 'interview' });
    expect(await applicationOf(own.id)).toMatchObject({ status: 'interview', external: { connectionId: connection.id } });
    expect((await api(`/candidates/${candidate.id}`)).body).toMatchObject({ firstName: 'Ada', lastName: 'Hopper', applications: [{ id: own.id, status: 'interview' }] });
  });

  it('apply an event delivered three times once, and answer the 2nd and 3rd delivery with the same result', async () => {
    const connection = await aConnection('native');
    const first = aNativeEvent({ application: { externalId: unique('app'), status: 'applied' } });
    const created = (await deliverNative(connection, first)).body as Result;
    const move = { ...first, eventId: unique('evt'), occurredAt: new Date(Date.now() + 1000).toISOString(), application: { ...first.application, status: 'interview' } };

    const deliveries = [];
    for (let i = 0; i < 3; i++) deliveries.push(await deliverNative(connection, move));
    expect(deliveries.map((d) => d.status)).toEqual([200, 200, 200]);
    expect(deliveries[1]!.body).toEqual(deliveries[0]!.body);
    expect(deliveries[2]!.body).toEqual(deliveries[0]!.body);
    expect(deliveries[0]!.body).toMatchObject({ outcome: 'changed', applicationId: created.applicationId, status: 'interview' });

    const application = await applicationOf(created.applicationId!);
    expect(application.history.map((h) => h.status)).toEqual(['applied', 'interview']);
    await eventually(async () => {
      const timeline = (await api(`/candidates/${created.candidateId}/timeline`)).body as { items: { type: string }[] };
      expect(timeline.items.filter((e) => e.type === 'application')).toHaveLength(2);
    });
  });

  it('refuse a forged signature with 401 and store nothing', async () => {
    const connection = await aConnection('native');
    const event = aNativeEvent();
    const forged = await deliverNative(connection, event, nowSeconds(), 'not-the-connection-secret');
    expect(forged.status).toBe(401);
    // The same event signed properly still finds nobody: the forged delivery created no one and recorded nothing.
    const genuine = await deliverNative(connection, event);
    expect(genuine.status).toBe(200);
    expect(genuine.body).toMatchObject({ outcome: 'changed', candidateCreated: true });
  });

  it('refuse a signature older than five minutes (a replay) with 401', async () => {
    const connection = await aConnection('native');
    const event = aNativeEvent();
    expect((await deliverNative(connection, event, nowSeconds() - 6 * 60)).status).toBe(401);
    expect((await deliverNative(connection, event)).body).toMatchObject({ candidateCreated: true });
  });

  it('answer an unknown connection like a bad signature, revealing nothing', async () => {
    const response = await deliver('ats_01JAAAAAAAAAAAAAAAAAAAAAAA', JSON.stringify(aNativeEvent()), { 'x-talentrelay-signature': signWebhook('guess', '{}', nowSeconds()) });
    expect(response.status).toBe(401);
  });

  it('answer a malformed payload with 400 naming the field', async () => {
    const connection = await aConnection('native');
    const event = aNativeEvent();
    const { email, ...withoutEmail } = event.candidate;
    const missing = await deliverNative(connection, { ...event, candidate: withoutEmail });
    expect(missing.status).toBe(400);
    expect((missing.body as { errors: { path: string }[] }).errors.map((e) => e.path)).toContain('body.candidate.email');
    const unknownStatus = await deliverNative(connection, aNativeEvent({ application: { status: 'on the moon' } }));
    expect(unknownStatus.status).toBe(400);
    expect((unknownStatus.body as { errors: { path: string }[] }).errors.map((e) => e.path)).toEqual(['body.application.status']);
  });

  it('move an application to interview from a Greenhouse-signed stage change', async () => {
    const connection = await aConnection('greenhouse');
    const email = `${unique('gh')}@example.com`;
    const [applicationId, personId, requisitionId] = [71980812 + counter, 60304594 + counter, unique('GH-REQ')];
    const application = (action: string, stage: { id: number; name: string }, lastActivityAt: string) => ({
      action,
      payload: {
        application: {
          id: applicationId, status: 'active', prospect: false, last_activity_at: lastActivityAt, current_stage: stage,
          candidate: { id: personId, first_name: 'Jane', last_name: 'Smith', email_addresses: [{ value: `work-${email}`, type: 'work' }, { value: email, type: 'personal' }] },
          jobs: [{ id: 274075, name: 'Data Scientist', requisition_id: requisitionId }],
        },
      },
    });
    const created = await deliverGreenhouse(connection, application('new_candidate_application', { id: 2944102, name: 'Application Review' }, '2026-10-27T14:44:42Z'));
    expect(created.status).toBe(200);
    const { candidateId, applicationId: ours } = created.body as Result;
    expect(created.body).toMatchObject({ outcome: 'changed', status: 'screening', candidateCreated: true });
    expect((await api(`/candidates/${candidateId}`)).body).toMatchObject({ email, firstName: 'Jane', externalIds: [{ connectionId: connection.id, id: String(personId) }] });

    const moved = await deliverGreenhouse(connection, application('candidate_stage_change', { id: 2944103, name: 'Face to Face' }, '2026-10-28T09:00:00Z'));
    expect(moved.body).toMatchObject({ outcome: 'changed', applicationId: ours, status: 'interview' });
    expect(await applicationOf(ours!)).toMatchObject({ status: 'interview', requisitionId, external: { id: String(applicationId) } });

    // An older event arriving late (a retry overtaken by a later change) does not move it back.
    const late = await deliverGreenhouse(connection, application('candidate_stage_change', { id: 2944102, name: 'Application Review' }, '2026-10-27T20:00:00Z'));
    expect(late.body).toMatchObject({ outcome: 'stale' });
    expect((await applicationOf(ours!)).status).toBe('interview');

    const unsigned = await deliver(connection.id, JSON.stringify(application('hire_candidate', { id: 1, name: 'Hired' }, '2026-10-29T09:00:00Z')), { signature: 'sha256 00' });
    expect(unsigned.status).toBe(401);
  });

  it('move the application of a linked Lever person to hired, and accept an unlinked one as unmatched', async () => {
    const connection = await aConnection('lever');
    const contactId = unique('lever-contact');
    const opportunityId = unique('lever-opportunity');

    const unmatched = await deliverLever(connection, 'applicationCreated', { contactId, opportunityId, candidateId: opportunityId });
    expect(unmatched.status).toBe(202);
    expect(unmatched.body).toMatchObject({ outcome: 'unmatched' });

    const candidate = (await api('/candidates', { method: 'POST', body: { email: `${unique('lever')}@example.com`, firstName: 'Linus' } })).body as { id: string };
    const linked = await api(`/integrations/ats/${connection.id}/links/${contactId}`, { method: 'PUT', body: { candidateId: candidate.id } });
    expect(linked.status).toBe(200);

    const applied = await deliverLever(connection, 'applicationCreated', { contactId, opportunityId, candidateId: opportunityId });
    expect(applied.status).toBe(200);
    expect(applied.body).toMatchObject({ outcome: 'changed', candidateId: candidate.id, status: 'applied' });
    const hired = await deliverLever(connection, 'candidateHired', { contactId, opportunityId, candidateId: opportunityId }, Date.now() + 1000);
    expect(hired.body).toMatchObject({ outcome: 'changed', applicationId: (applied.body as Result).applicationId, status: 'hired' });

    expect((await api(`/candidates/${candidate.id}`)).body).toMatchObject({
      status: 'hired', firstName: 'Linus', externalIds: [{ connectionId: connection.id, id: contactId }],
    });
    const stale = await deliverLever(connection, 'candidateHired', { contactId, opportunityId }, Date.now() - 6 * 60_000);
    expect(stale.status).toBe(401);
  });

  it('move a link set by mistake to the right candidate: the id leaves the first profile', async () => {
    const connection = await aConnection('lever');
    const contactId = unique('lever-contact');
    const [wrong, right] = await Promise.all(
      ['wrong', 'right'].map(async (who) => ((await api('/candidates', { method: 'POST', body: { email: `${unique(who)}@example.com` } })).body as { id: string }).id),
    );
    await api(`/integrations/ats/${connection.id}/links/${contactId}`, { method: 'PUT', body: { candidateId: wrong } });
    const moved = await api(`/integrations/ats/${connection.id}/links/${contactId}`, { method: 'PUT', body: { candidateId: right } });
    expect(moved.body).toEqual({ connectionId: connection.id, externalId: contactId, candidateId: right });
    expect((await api(`/candidates/${wrong}`)).body).not.toHaveProperty('externalIds');
    expect((await api(`/candidates/${right}`)).body).toMatchObject({ externalIds: [{ connectionId: connection.id, id: contactId }] });
    const applied = await deliverLever(connection, 'applicationCreated', { contactId, opportunityId: unique('lever-opportunity') });
    expect(applied.body).toMatchObject({ outcome: 'changed', candidateId: right });
  });
});
