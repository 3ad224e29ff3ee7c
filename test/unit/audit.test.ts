import { describe, expect, it } from 'vitest';
import { auditEntriesOf, auditService, type AuditedEvent, type AuditListing } from '../../functions/privacy/domain/audit.ts';
import { AuditQuery } from '../../functions/privacy/schemas.ts';

const candidateId = 'cand_01JAAAAAAAAAAAAAAAAAAAAAAA';
const meta = { eventId: 'evt_01JBBBBBBBBBBBBBBBBBBBBBBB', occurredAt: '2026-03-01T10:00:00.000Z', actor: 'user-7' };
const event = (detailType: AuditedEvent['detailType'], payload: Record<string, unknown>) => ({ detailType, detail: { ...meta, ...payload } }) as AuditedEvent;

describe('what the audit log records of an event', () => {
  it('records a creation with the event\'s actor and time, and an id derived from the event id', () => {
    expect(auditEntriesOf(event('CandidateCreated', { candidateId, status: 'passive', sourceType: 'sourced' }))).toEqual([
      { id: 'aud_01JBBBBBBBBBBBBBBBBBBBBBBB', at: meta.occurredAt, actor: 'user-7', action: 'create', candidateId, detail: { status: 'passive', sourceType: 'sourced' } },
    ]);
  });

  it('derives the same entries from a redelivered event', () => {
    const updated = event('CandidateUpdated', { candidateId, changed: ['headline'] });
    expect(auditEntriesOf(updated)).toEqual(auditEntriesOf(structuredClone(updated)));
  });

  it('records a change with the names of the fields that changed and the status move', () => {
    const [entry] = auditEntriesOf(event('CandidateUpdated', { candidateId, changed: ['status', 'phone'], statusFrom: 'passive', statusTo: 'active' }));
    expect(entry).toMatchObject({ action: 'update', detail: { changed: ['status', 'phone'], statusFrom: 'passive', statusTo: 'active' } });
  });

  it('records a change of consents as consent, apart from the other fields of the same change', () => {
    const entries = auditEntriesOf(event('CandidateUpdated', { candidateId, changed: ['consents', 'headline'] }));
    expect(entries.map((e) => [e.action, e.detail])).toEqual([['update', { changed: ['headline'] }], ['consent', { changed: ['consents'] }]]);
    expect(new Set(entries.map((e) => e.id)).size).toBe(2);
  });

  it('records the privacy notice being sent as notify', () => {
    expect(auditEntriesOf(event('CandidateUpdated', { candidateId, changed: ['privacyNoticeSentAt'] }))).toEqual([
      expect.objectContaining({ action: 'notify', detail: { kind: 'notice' } }),
    ]);
  });

  it('records a merge, and its undoing, on both people\'s logs', () => {
    const mergedId = 'cand_01JCCCCCCCCCCCCCCCCCCCCCCC';
    const merged = auditEntriesOf(event('CandidatesMerged', { candidateId, mergedId, mergeId: 'mrg_1' }));
    expect(merged.map((e) => [e.action, e.candidateId, e.detail])).toEqual([
      ['merge', candidateId, { mergedId, mergeId: 'mrg_1' }],
      ['merge', mergedId, { survivorId: candidateId, mergeId: 'mrg_1' }],
    ]);
    expect(auditEntriesOf(event('MergeUndone', { candidateId, mergedId, mergeId: 'mrg_1' }))[0]).toMatchObject({ action: 'merge', detail: { undone: true } });
  });

  it('records an application as apply, and its later moves as update', () => {
    expect(auditEntriesOf(event('ApplicationReceived', { candidateId, applicationId: 'app_1', jobId: 'job_1' }))).toEqual([
      expect.objectContaining({ action: 'apply', detail: { applicationId: 'app_1', jobId: 'job_1' } }),
    ]);
    expect(auditEntriesOf(event('ApplicationStatusChanged', { candidateId, applicationId: 'app_1', to: 'applied' }))).toEqual([]);
    expect(auditEntriesOf(event('ApplicationStatusChanged', { candidateId, applicationId: 'app_1', from: 'applied', to: 'screening' }))).toEqual([
      expect.objectContaining({ action: 'update', detail: { changed: ['applications'], applicationId: 'app_1', from: 'applied', to: 'screening' } }),
    ]);
  });

  it('records erasures and privacy emails', () => {
    expect(auditEntriesOf(event('CandidateErased', { candidateId, reason: 'request' }))[0]).toMatchObject({ action: 'erase', detail: { reason: 'request' } });
    expect(auditEntriesOf(event('PrivacyEmailSent', { candidateId, kind: 'renewal' }))[0]).toMatchObject({ action: 'notify', detail: { kind: 'renewal' } });
  });

  it('keeps only ids, field names and enum values: no utm or other free text from the event', () => {
    const [entry] = auditEntriesOf(event('ApplicationReceived', { candidateId, applicationId: 'app_1', utm: { campaign: 'Ada Lovelace fan club' } }));
    expect(JSON.stringify(entry)).not.toContain('Ada');
  });
});

describe('listing the audit log', () => {
  function listed(query: Record<string, unknown>) {
    const listings: AuditListing[] = [];
    const service = auditService({ log: { record: async () => {}, list: async (listing) => (listings.push(listing), { items: [] }) } });
    return service.list(AuditQuery.parse(query)).then(() => listings[0]);
  }

  it('reads the person\'s entries when a candidate is named, narrowed by actor and action', async () => {
    expect(await listed({ candidateId, actor: 'user-7', action: 'read' })).toEqual({ by: 'candidate', key: candidateId, actor: 'user-7', action: 'read' });
  });

  it('reads the actor\'s entries when only an actor is named', async () => {
    expect(await listed({ actor: 'user-7' })).toEqual({ by: 'actor', key: 'user-7', action: undefined });
  });

  it('refuses a query that names neither a candidate nor an actor', () => {
    expect(AuditQuery.safeParse({ action: 'read' }).success).toBe(false);
  });
});
