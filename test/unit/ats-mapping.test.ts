import { describe, expect, it } from 'vitest';
import { destination, normalise, statusForStage, type AtsChange } from '../../functions/integrations/domain/ats-mapping.ts';
import { InvalidInput } from '../../shared/errors.ts';

const delivery = (body: unknown) => ({ rawBody: JSON.stringify(body), headers: {} });
const changeOf = (result: ReturnType<typeof normalise>): AtsChange => {
  if (result.kind !== 'change') throw new Error(`expected a change, got ${result.reason}`);
  return result.change;
};
const fieldsOf = (thrown: () => unknown) => {
  try {
    thrown();
  } catch (error) {
    if (error instanceof InvalidInput) return error.errors.map((e) => e.path);
    throw error;
  }
  throw new Error('expected InvalidInput');
};

const aNativeEvent = (application: Record<string, unknown> = {}) => ({
  eventId: 'evt-42',
  occurredAt: '2026-11-02T10:00:00+01:00',
  candidate: { externalId: 'person-7', email: ' Grace@Example.com ', firstName: 'Grace', lastName: 'Hopper' },
  application: { externalId: 'app-9', requisitionId: 'REQ-1', status: 'interview', ...application },
});

/** Greenhouse's candidate_stage_change, trimmed to what the mapping reads plus some of what it ignores. */
const aGreenhouseEvent = (action = 'candidate_stage_change', application: Record<string, unknown> = {}) => ({
  action,
  payload: {
    application: {
      id: 265277,
      prospect: false,
      status: 'active',
      applied_at: '2013-03-22T00:00:00Z',
      last_activity_at: '2015-02-09T16:38:36Z',
      current_stage: { id: 71416, name: 'Phone Interview', interviews: [] },
      rejection_reason: null,
      candidate: {
        id: 265772,
        first_name: 'Giuseppe',
        last_name: 'Hurley',
        phone_numbers: [{ value: '330-281-8004', type: 'home' }],
        email_addresses: [{ value: 'g.hurley@work.example.com', type: 'work' }, { value: 'giuseppe.hurley@example.com', type: 'personal' }, { value: 'not an address', type: 'other' }],
        custom_fields: { favorite_color: { name: 'Favorite Color', type: 'short_text', value: 'Blue' } },
      },
      jobs: [{ id: 3485, name: 'Designer', requisition_id: 'REQ-GH-1', status: 'open' }],
      ...application,
    },
  },
});

const aLeverEvent = (event: string, data: Record<string, unknown>) => ({ event, triggeredAt: 1_765_000_000_000, token: 'tok-1', signature: 'ab', data });

describe('the native shape', () => {
  it('becomes one change: the person, the application by its ATS id and requisition, the status, when it happened', () => {
    expect(changeOf(normalise('native', delivery(aNativeEvent()), {}))).toEqual({
      eventId: 'native:evt-42',
      at: '2026-11-02T09:00:00.000Z',
      candidate: { externalId: 'person-7', emails: ['grace@example.com'], firstName: 'Grace', lastName: 'Hopper' },
      application: { externalId: 'app-9', requisitionId: 'REQ-1', move: { to: 'interview' }, note: 'ATS' },
    });
  });

  it('keys an application without an ATS id by its requisition', () => {
    const { externalId, ...application } = aNativeEvent().application;
    expect(changeOf(normalise('native', delivery({ ...aNativeEvent(), application }), {})).application.externalId).toBe('requisition:REQ-1');
  });

  it('takes a stage name the connection maps in place of a status, and refuses one it cannot map, naming the field', () => {
    const change = changeOf(normalise('native', delivery(aNativeEvent({ status: 'Culture Chat' })), { 'culture chat': 'interview' }));
    expect(destination(change.application.move, { 'culture chat': 'interview' })).toBe('interview');
    expect(fieldsOf(() => normalise('native', delivery(aNativeEvent({ status: 'Culture Chat' })), {}))).toEqual(['body.application.status']);
  });

  it('names every missing or unknown field', () => {
    const { email, ...candidate } = aNativeEvent().candidate;
    expect(fieldsOf(() => normalise('native', delivery({ ...aNativeEvent(), candidate, extra: 1 }), {}))).toEqual(['body.candidate.email', 'body.extra']);
  });
});

describe('the Greenhouse shape', () => {
  it('becomes one change: the stage to map, the personal address first, the requisition, a stable event id', () => {
    const change = changeOf(normalise('greenhouse', delivery(aGreenhouseEvent()), {}));
    expect(change).toEqual({
      eventId: 'greenhouse:candidate_stage_change:265277:active:71416:2015-02-09T16:38:36.000Z',
      at: '2015-02-09T16:38:36.000Z',
      candidate: { externalId: '265772', emails: ['giuseppe.hurley@example.com', 'g.hurley@work.example.com'], firstName: 'Giuseppe', lastName: 'Hurley', phone: '330-281-8004' },
      application: { externalId: '265277', requisitionId: 'REQ-GH-1', move: { stage: { id: '71416', name: 'Phone Interview' } }, note: 'Greenhouse: candidate_stage_change (Phone Interview)' },
    });
    expect(destination(change.application.move, {})).toBe('interview');
  });

  it('hires on hire_candidate, and tells a rejection from a withdrawal by the rejection type', () => {
    expect(changeOf(normalise('greenhouse', delivery(aGreenhouseEvent('hire_candidate')), {})).application.move).toEqual({ to: 'hired' });
    const rejected = aGreenhouseEvent('reject_candidate', { status: 'rejected', rejection_reason: { id: 14, name: 'Too Junior', type: { id: 3, name: 'Wrong skill set' } } });
    expect(changeOf(normalise('greenhouse', delivery(rejected), {})).application.move).toEqual({ to: 'rejected' });
    const withdrew = aGreenhouseEvent('reject_candidate', { status: 'rejected', rejection_reason: { id: 2, name: 'Took another offer', type: { id: 2, name: 'They rejected us' } } });
    expect(changeOf(normalise('greenhouse', delivery(withdrew), {})).application.move).toEqual({ to: 'withdrawn' });
  });

  it('gives a delivery of the same event the same id, and a later change another', () => {
    const again = normalise('greenhouse', delivery(aGreenhouseEvent()), {});
    const later = normalise('greenhouse', delivery(aGreenhouseEvent('candidate_stage_change', { last_activity_at: '2015-02-10T08:00:00Z' })), {});
    expect(changeOf(again).eventId).toBe(changeOf(normalise('greenhouse', delivery(aGreenhouseEvent()), {})).eventId);
    expect(changeOf(later).eventId).not.toBe(changeOf(again).eventId);
  });

  it('ignores prospects and actions about other things, and names the missing field of an application event', () => {
    expect(normalise('greenhouse', delivery(aGreenhouseEvent('candidate_stage_change', { prospect: true })), {})).toMatchObject({ kind: 'ignored' });
    expect(normalise('greenhouse', delivery({ action: 'ping', payload: { web_hook_id: 1 } }), {})).toMatchObject({ kind: 'ignored' });
    const { candidate, ...withoutCandidate } = aGreenhouseEvent().payload.application;
    expect(fieldsOf(() => normalise('greenhouse', delivery({ action: 'candidate_stage_change', payload: { application: withoutCandidate } }), {}))).toEqual([
      'body.payload.application.candidate',
    ]);
  });
});

describe('the Lever shape', () => {
  it('becomes one change: the contact as the person, the opportunity as the application, the stage id to map', () => {
    const change = changeOf(normalise('lever', delivery(aLeverEvent('candidateStageChange', { opportunityId: 'opp-1', candidateId: 'opp-1', contactId: 'contact-1', fromStageId: 'lead-new', toStageId: 'stage-uuid' })), {}));
    expect(change).toEqual({
      eventId: 'lever:tok-1:1765000000000',
      at: new Date(1_765_000_000_000).toISOString(),
      candidate: { externalId: 'contact-1', emails: [] },
      application: { externalId: 'opp-1', move: { stage: { id: 'stage-uuid' } }, note: 'Lever: candidateStageChange' },
    });
    expect(destination(change.application.move, { 'stage-uuid': 'offer' })).toBe('offer');
  });

  it('hires on candidateHired, rejects on an archive unless its reason is mapped, and reopens on an unarchive', () => {
    const data = { opportunityId: 'opp-1', contactId: 'contact-1' };
    expect(changeOf(normalise('lever', delivery(aLeverEvent('candidateHired', data)), {})).application.move).toEqual({ to: 'hired' });
    const archived = changeOf(normalise('lever', delivery(aLeverEvent('candidateArchiveChange', { ...data, toArchived: { archivedAt: 1, reason: '6a0f-reason-uuid' } })), {}));
    expect(destination(archived.application.move, {})).toBe('rejected');
    expect(destination(archived.application.move, { '6a0f-reason-uuid': 'withdrawn' })).toBe('withdrawn');
    const unarchived = changeOf(normalise('lever', delivery(aLeverEvent('candidateArchiveChange', { ...data, fromArchived: { archivedAt: 1, reason: 'r' }, toArchived: null })), {}));
    const history = [{ status: 'applied' as const }, { status: 'interview' as const }, { status: 'rejected' as const }];
    expect(destination(unarchived.application.move, {}, { status: 'rejected', history })).toBe('interview');
  });

  it('ignores events about other things and connection tests without an opportunity', () => {
    expect(normalise('lever', delivery(aLeverEvent('interviewCreated', { opportunityId: 'opp-1' })), {})).toMatchObject({ kind: 'ignored' });
    expect(normalise('lever', delivery(aLeverEvent('candidateHired', {})), {})).toMatchObject({ kind: 'ignored' });
    expect(fieldsOf(() => normalise('lever', delivery({ event: 'candidateHired', token: 't', data: {} }), {}))).toEqual(['body.triggeredAt']);
  });
});

describe('stage mapping', () => {
  it('prefers the connection\'s map, by id then name, over the default names', () => {
    expect(statusForStage({ id: '42', name: 'Phone Interview' }, { '42': 'screening' })).toBe('screening');
    expect(statusForStage({ name: 'Phone Interview' }, { 'phone interview': 'screening' })).toBe('screening');
    expect(statusForStage({ name: 'Phone Interview' }, {})).toBe('interview');
  });

  it('maps the default pipelines of Greenhouse and Lever, and nothing it does not recognise', () => {
    const names = ['Application Review', 'Preliminary Phone Screen', 'Phone Interview', 'Face to Face', 'Reference Check', 'Offer', 'lead-new', 'applicant-new', 'Hired'];
    expect(names.map((name) => statusForStage({ name }, {}))).toEqual(['screening', 'screening', 'interview', 'interview', 'interview', 'offer', 'applied', 'applied', 'hired']);
    expect(statusForStage({ id: '0b9c1e5e-uuid' }, {})).toBeUndefined();
  });

  it('lets the ATS move an application back, and keeps an unmapped stage where it stands (a new one starts as applied)', () => {
    const current = { status: 'offer' as const, history: [{ status: 'applied' as const }, { status: 'offer' as const }] };
    expect(destination({ stage: { name: 'Phone Interview' } }, {}, current)).toBe('interview');
    expect(destination({ stage: { id: 'unknown-uuid' } }, {}, current)).toBeUndefined();
    expect(destination({ stage: { id: 'unknown-uuid' } }, {})).toBe('applied');
  });
});
