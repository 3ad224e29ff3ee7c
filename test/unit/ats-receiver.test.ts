import { describe, expect, it } from 'vitest';
import { applicationService } from '../../functions/candidates/domain/application-service.ts';
import { candidateService } from '../../functions/candidates/domain/candidate-service.ts';
import { StaleVersion, type ApplicationStore } from '../../functions/candidates/domain/ports.ts';
import type { Application } from '../../functions/candidates/schemas.ts';
import type { AtsEventResult } from '../../functions/integrations/ats-schemas.ts';
import type { AtsConnectionRecord, AtsLinks } from '../../functions/integrations/domain/ats-ports.ts';
import { atsReceiver } from '../../functions/integrations/domain/ats-receiver.ts';
import { Unauthorized } from '../../shared/errors.ts';
import { signWebhook } from '../../shared/webhook-signature.ts';
import { inMemoryStores } from '../fixtures/in-memory-stores.ts';

const SECRET = 'connection-secret-for-the-tests';

function setup(options: { erased?: string[] } = {}) {
  const stores = inMemoryStores();
  const { clock } = stores;
  const ids = { next: stores.ids.next as (prefix: string) => string };
  const people = candidateService({
    candidates: stores.candidateStore,
    erased: { among: async (emails) => new Set(emails.filter((e) => options.erased?.includes(e))), forget: async () => undefined },
    clock,
    ids,
  });
  const stored = new Map<string, Application>();
  const applicationStore: ApplicationStore = {
    get: async (id) => stored.get(id),
    async save(next, previous, candidate, events) {
      if (previous ? stored.get(next.id)?.version !== previous.version : stored.has(next.id)) throw new StaleVersion(next.id);
      await stores.candidateStore.replace(candidate.previous, candidate.next, events);
      stored.set(next.id, next);
    },
  };
  const applications = applicationService({ applications: applicationStore, candidates: people, clock, ids });
  const connection: AtsConnectionRecord = {
    id: 'ats_01J00000000000000000000000', name: 'Our ATS', format: 'native', stageMap: { 'culture chat': 'interview' },
    sealedSecret: `sealed:${SECRET}`, secretRotatedAt: clock.now(), createdAt: clock.now(), createdBy: 'admin', updatedAt: clock.now(), version: 1,
  };
  const results = new Map<string, AtsEventResult>();
  const links = new Map<string, string>();
  const claims = new Map<string, { applicationId: string; syncedAt?: string }>();
  const atsLinks: AtsLinks = {
    holders: async (connectionId, externalId) => (links.has(`${connectionId}#${externalId}`) ? [links.get(`${connectionId}#${externalId}`)!] : []),
    link: async (candidateId, connectionId, externalId) => void links.set(`${connectionId}#${externalId}`, candidateId),
    unlink: async (_candidateId, connectionId, externalId) => void links.delete(`${connectionId}#${externalId}`),
    claimed: async (candidateId, connectionId, externalId) => claims.get(`${candidateId}#${connectionId}#${externalId}`)?.applicationId,
    async claim(candidateId, connectionId, externalId, proposedId, at) {
      const key = `${candidateId}#${connectionId}#${externalId}`;
      const claim = claims.get(key) ?? { applicationId: proposedId };
      if (at && claim.syncedAt && claim.syncedAt > at) return undefined;
      claims.set(key, { ...claim, ...(at ? { syncedAt: at } : {}) });
      return claim.applicationId;
    },
  };
  const receiver = atsReceiver({
    connections: { get: async (id) => (id === connection.id ? connection : undefined), create: async () => undefined, list: async () => ({ items: [] }), replace: async () => undefined },
    events: {
      get: async (_connectionId, eventId) => results.get(eventId),
      async record(_connectionId, result) {
        if (!results.has(result.eventId)) results.set(result.eventId, result);
        return results.get(result.eventId)!;
      },
    },
    links: atsLinks,
    requisitions: { jobFor: async (requisitionId) => (requisitionId === 'REQ-1' ? 'job_backend' : undefined) },
    people,
    applications,
    secrets: { generate: () => 'generated', seal: async (plain) => `sealed:${plain}`, open: async (sealed) => sealed.slice('sealed:'.length) },
    clock,
    ids,
  });
  const nowSeconds = Math.floor(Date.parse(clock.now()) / 1000);
  const send = (event: unknown, secret = SECRET) => {
    const rawBody = JSON.stringify(event);
    return receiver.receive(connection.id, { rawBody, headers: { 'x-talentrelay-signature': signWebhook(secret, rawBody, nowSeconds) } });
  };
  return { ...stores, people, stored, send, receiver, connection };
}

let sequence = 0;
/** Each a new event, a minute after the one before unless said how long before now it happened. */
const anEvent = (application: Record<string, unknown> = {}, candidate: Record<string, unknown> = {}, minutesAgo?: number) => ({
  eventId: `evt-${++sequence}`,
  occurredAt: new Date(Date.parse('2026-11-25T10:00:00.000Z') - (minutesAgo ?? 60 - sequence) * 60_000).toISOString(),
  candidate: { externalId: 'person-1', email: 'grace@example.com', firstName: 'Grace', lastName: 'Hopper', ...candidate },
  application: { externalId: 'app-1', requisitionId: 'REQ-1', status: 'applied', ...application },
});

describe('the ATS receiver', () => {
  it('refuses a delivery signed with another secret before reading or writing anything about the person', async () => {
    const { send, candidates, published } = setup();
    await expect(send(anEvent(), 'another-secret')).rejects.toThrow(Unauthorized);
    expect(candidates.size).toBe(0);
    expect(published).toEqual([]);
  });

  it('creates the person and the application with the job of the requisition, and publishes the status change', async () => {
    const { send, stored, published } = setup();
    const result = await send(anEvent({ status: 'screening' }));
    expect(result).toMatchObject({ outcome: 'changed', candidateCreated: true, status: 'screening' });
    expect(stored.get(result.applicationId!)).toMatchObject({ jobId: 'job_backend', requisitionId: 'REQ-1', external: { id: 'app-1' } });
    expect(published.filter((e) => e.detailType === 'ApplicationStatusChanged').map((e) => e.detail)).toEqual([
      expect.objectContaining({ candidateId: result.candidateId, applicationId: result.applicationId, jobId: 'job_backend', to: 'screening' }),
    ]);
  });

  it('fills only what an existing profile lacks: a recruiter\'s correction survives the ATS', async () => {
    const { send, people } = setup();
    const existing = await people.create({ email: 'grace@example.com', firstName: 'Gracie' }, 'recruiter');
    const result = await send(anEvent({}, { phone: '+1 555 0100' }));
    expect(result.candidateId).toBe(existing.id);
    expect(await people.get(existing.id)).toMatchObject({ firstName: 'Gracie', lastName: 'Hopper', phone: '+1 555 0100', externalIds: [{ id: 'person-1' }] });
  });

  it('lets the ATS move an application back and reopen it, which the recruiters\' ladder refuses', async () => {
    const { send, stored } = setup();
    const { applicationId } = await send(anEvent({ status: 'offer' }));
    expect(await send(anEvent({ status: 'Culture Chat' }))).toMatchObject({ outcome: 'changed', status: 'interview' });
    expect(await send(anEvent({ status: 'rejected' }))).toMatchObject({ status: 'rejected' });
    expect(await send(anEvent({ status: 'screening' }))).toMatchObject({ outcome: 'changed', status: 'screening' });
    expect(stored.get(applicationId!)!.history.map((h) => h.status)).toEqual(['offer', 'interview', 'rejected', 'screening']);
  });

  it('refuses to apply an event older than one applied already: stale', async () => {
    const { send } = setup();
    await send(anEvent({ status: 'interview' }, {}, 10));
    expect(await send(anEvent({ status: 'applied' }, {}, 20))).toMatchObject({ outcome: 'stale' });
  });

  it('answers a redelivery with the first result and changes nothing', async () => {
    const { send, published } = setup();
    const event = anEvent();
    const first = await send(event);
    const count = published.length;
    expect(await send(event)).toEqual(first);
    expect(published).toHaveLength(count);
  });

  it('keeps nothing about someone erased at their request', async () => {
    const { send, candidates, published } = setup({ erased: ['grace@example.com'] });
    expect(await send(anEvent())).toMatchObject({ outcome: 'withheld' });
    expect(candidates.size).toBe(0);
    expect(published).toEqual([]);
  });
});
