import { beforeEach, describe, expect, it } from 'vitest';
import { MailNotSent } from '../../functions/engagement/domain/mail-not-sent.ts';
import { invitationService } from '../../functions/engagement/domain/survey-invitations.ts';
import type { Invitation, InvitationKey, InvitationStore, Recipient, SurveyCounters, SurveyRecord, SurveyStore } from '../../functions/engagement/domain/survey-ports.ts';
import { executionName, surveyService, triggerOf, type SendInput } from '../../functions/engagement/domain/survey-service.ts';
import { aCandidate } from '../fixtures/builders.ts';

const NOW = '2026-03-02T09:00:00.000Z';
const survey: SurveyRecord = {
  id: 'srv_01JAAAAAAAAAAAAAAAAAAAAAAA',
  name: 'Applicant experience',
  questions: [{ id: 'recommend', type: 'nps', label: 'Recommend us?', required: true }, { id: 'comment', type: 'text', label: 'Anything else?', required: false }],
  trigger: { on: 'application-received', delay: 'PT1H' },
  status: 'active',
  createdBy: 'user-1',
  createdAt: NOW,
  updatedAt: NOW,
  version: 1,
};
const ada = aCandidate({ id: 'cand_01JAAAAAAAAAAAAAAAAAAAAAAA', email: 'ada@example.com', firstName: 'Ada' });
const input: SendInput = { surveyId: survey.id, candidateId: ada.id, subject: 'app_01JAAAAAAAAAAAAAAAAAAAAAAA', trigger: 'application-received', sendAt: NOW };

/** Surveys, invitations and people in memory, with the same conditions as the table. */
function world() {
  const surveys = new Map<string, { survey: SurveyRecord; counters: SurveyCounters }>([[survey.id, { survey: { ...survey }, counters: { sent: 0, responses: 0, failed: 0, skipped: {} } }]]);
  const people = new Map<string, Recipient>([[ada.id, ada]]);
  const items = new Map<string, Invitation>();
  const k = (key: InvitationKey) => `${key.candidateId}|${key.surveyId}|${key.subject}`;
  const counters = (id: string) => surveys.get(id)!.counters;
  const surveyStore: SurveyStore = {
    create: async () => undefined,
    get: async (id) => surveys.get(id),
    list: async () => ({ items: [...surveys.values()] }),
    replace: async () => undefined,
    triggeredBy: async (kind) => [...surveys.values()].map((s) => s.survey).filter((s) => s.status === 'active' && s.trigger.on === kind),
  };
  const invitations: InvitationStore = {
    get: async (key) => items.get(k(key)),
    byId: async (id) => [...items.values()].find((i) => i.id === id),
    invited: async (surveyId, subject, ids) => new Set(ids.filter((candidateId) => items.has(k({ surveyId, subject, candidateId })))),
    skip: async (invitation) => {
      if (!people.has(invitation.candidateId) || items.has(k(invitation))) return false;
      items.set(k(invitation), invitation);
      const c = counters(invitation.surveyId);
      c.skipped[invitation.skipReason!] = (c.skipped[invitation.skipReason!] ?? 0) + 1;
      return true;
    },
    claim: async (invitation) => {
      if (!people.has(invitation.candidateId) || items.has(k(invitation))) return false;
      items.set(k(invitation), invitation);
      return true;
    },
    release: async (key, attempt) => {
      if (items.get(k(key))?.claimToken === attempt) items.delete(k(key));
    },
    sent: async (key, attempt, at) => {
      const item = items.get(k(key));
      if (item?.claimToken !== attempt) return;
      const { claimToken: _, ...rest } = item;
      items.set(k(key), { ...rest, status: 'sent', sentAt: at });
      counters(key.surveyId).sent++;
    },
    failed: async (invitation) => {
      const item = items.get(k(invitation));
      if (!people.has(invitation.candidateId) || (item && item.status !== 'claimed')) return;
      const { claimToken: _, ...rest } = invitation;
      items.set(k(invitation), { ...rest, ...(item ? { id: item.id } : {}) });
      counters(invitation.surveyId).failed++;
    },
    answer: async (invitation, answers, at) => {
      const item = items.get(k(invitation));
      if (!item || item.answeredAt) return false;
      items.set(k(invitation), { ...item, answers, answeredAt: at });
      counters(invitation.surveyId).responses++;
      return true;
    },
    responses: async () => [],
  };
  const sentMail: { to: string; subject: string; text: string }[] = [];
  const started: { name: string; input: Record<string, unknown> }[] = [];
  const suppressedAddresses = new Set<string>();
  const mailFailures: Error[] = [];
  let n = 0;
  const deps = {
    surveys: surveyStore,
    invitations,
    people: { get: async (id: string) => people.get(id), existing: async (ids: string[]) => new Set(ids.filter((id) => people.has(id))) },
    clock: { now: () => NOW },
    ids: { next: (prefix: string) => `${prefix}_01JAAAAAAAAAAAAAAAAAAAAA${String(++n).padStart(2, '0')}` },
  };
  const service = invitationService({
    ...deps,
    suppressed: async (email) => suppressedAddresses.has(email),
    mailer: {
      send: async (message) => {
        const failure = mailFailures.shift();
        if (failure) throw failure;
        sentMail.push(message);
      },
    },
    signer: { sign: async (id) => `token-${id}`, verify: async (token) => (token.startsWith('token-') ? token.slice(6) : undefined) },
    org: () => ({ name: 'Acme Robotics', url: 'https://acme.example' }),
    publicApiUrl: () => 'https://api.acme.example',
  });
  const recruiters = surveyService({ ...deps, workflows: { start: async (_workflow, name, payload) => void started.push({ name, input: payload }) } });
  return {
    service, recruiters, surveys, people, items, sentMail, started, suppressedAddresses,
    failMailOnce: (error: Error) => void mailFailures.push(error),
    counters: () => counters(survey.id),
    linkOf: (mail: { text: string }) => /\/public\/surveys\/(\S+)/.exec(mail.text)![1]!,
  };
}

let w: ReturnType<typeof world>;
beforeEach(() => (w = world()));

describe('sending a survey invitation', () => {
  it('emails the person their own link and counts the send', async () => {
    expect(await w.service.send(input, 'attempt-1')).toEqual({ outcome: 'sent' });
    expect(w.sentMail).toHaveLength(1);
    expect(w.sentMail[0]).toMatchObject({ to: 'ada@example.com' });
    expect(w.sentMail[0]!.text).toContain('Hi Ada,');
    expect(w.linkOf(w.sentMail[0]!)).toBe(`token-${[...w.items.values()][0]!.id}`);
    expect(w.counters().sent).toBe(1);
  });

  it('never sends twice: a retry or a second execution for the same subject finds the invitation', async () => {
    await w.service.send(input, 'attempt-1');
    expect(await w.service.send(input, 'attempt-2')).toEqual({ outcome: 'already-invited' });
    expect(w.sentMail).toHaveLength(1);
    expect(w.counters().sent).toBe(1);
  });

  it('gives the claim back when the mail service refused the email (throttled), so the retry sends it', async () => {
    w.failMailOnce(new MailNotSent('Maximum sending rate exceeded.'));
    await expect(w.service.send(input, 'attempt-1')).rejects.toThrow('Maximum sending rate exceeded.');
    expect(w.items.size).toBe(0);
    expect(await w.service.send(input, 'attempt-2')).toEqual({ outcome: 'sent' });
    expect(w.sentMail).toHaveLength(1);
  });

  it('keeps the claim when the send timed out (the email may have gone out), and records the retry as failed', async () => {
    w.failMailOnce(Object.assign(new Error('socket hang up'), { name: 'TimeoutError' }));
    await expect(w.service.send(input, 'attempt-1')).rejects.toThrow('socket hang up');
    expect([...w.items.values()]).toMatchObject([{ status: 'claimed', claimToken: 'attempt-1' }]);
    expect(await w.service.send(input, 'attempt-2')).toEqual({ outcome: 'failed' });
    expect(w.sentMail).toEqual([]);
  });

  it('records a claim left by an attempt that stopped midway as failed instead of risking a second email', async () => {
    await w.service.send(input, 'attempt-1');
    const [key, item] = [...w.items.entries()][0]!;
    const { sentAt: _, ...claimed } = item;
    w.items.set(key, { ...claimed, status: 'claimed', claimToken: 'attempt-crashed' });
    expect(await w.service.send(input, 'attempt-2')).toEqual({ outcome: 'failed' });
    expect(w.sentMail).toHaveLength(1);
    expect(w.items.get(key)).toMatchObject({ status: 'failed', id: item.id });
  });

  it.each([
    ['suppressed', () => w.suppressedAddresses.add('ada@example.com')],
    ['do-not-contact', () => w.people.set(ada.id, { ...ada, status: 'do-not-contact' })],
    ['objected', () => w.people.set(ada.id, { ...ada, consents: [{ purpose: 'feedback-surveys', granted: false, recordedAt: NOW }] })],
    ['paused', () => (w.surveys.get(survey.id)!.survey.status = 'paused')],
  ])('skips a person who is %s, sends nothing and counts the reason', async (reason, arrange) => {
    arrange();
    expect(await w.service.send(input, 'attempt-1')).toEqual({ outcome: 'skipped', reason });
    expect(w.sentMail).toEqual([]);
    expect(w.counters()).toMatchObject({ sent: 0, skipped: { [reason]: 1 } });
  });

  it('writes nothing at all for someone erased before the send', async () => {
    w.people.delete(ada.id);
    expect(await w.service.send(input, 'attempt-1')).toEqual({ outcome: 'erased' });
    expect(w.items.size).toBe(0);
  });

  it('records exhausted retries as failed once, but never over an invitation that went out', async () => {
    await w.service.recordFailure(input, 'States.Timeout');
    await w.service.recordFailure(input, 'States.Timeout');
    expect(w.counters().failed).toBe(1);
    const other = { ...input, subject: 'app_01JBBBBBBBBBBBBBBBBBBBBBBB' };
    await w.service.send(other, 'attempt-1');
    await w.service.recordFailure(other, 'late');
    expect(w.counters()).toMatchObject({ sent: 1, failed: 1 });
  });
});

describe('answering through the link', () => {
  async function sentLink() {
    await w.service.send(input, 'attempt-1');
    return w.linkOf(w.sentMail[0]!);
  }

  it('stores the answers once; a second submit is refused and changes nothing', async () => {
    const token = await sentLink();
    expect(await w.service.form(token)).toMatchObject({ state: 'open' });
    expect(await w.service.answer(token, { recommend: 9, comment: 'Kind people' })).toEqual({ state: 'received' });
    expect(await w.service.answer(token, { recommend: 0 })).toEqual({ state: 'already-answered' });
    expect(await w.service.form(token)).toEqual({ state: 'already-answered' });
    expect([...w.items.values()][0]!.answers).toEqual({ recommend: 9, comment: 'Kind people' });
    expect(w.counters().responses).toBe(1);
  });

  it('refuses a forged link and stores nothing', async () => {
    await sentLink();
    expect(await w.service.answer('forged', { recommend: 9 })).toEqual({ state: 'invalid-link' });
    expect(await w.service.answer('token-sinv_01JAAAAAAAAAAAAAAAAAAAAAZZ', { recommend: 9 })).toEqual({ state: 'invalid-link' });
    expect(w.counters().responses).toBe(0);
  });

  it('names the invalid answer and stores nothing', async () => {
    const token = await sentLink();
    expect(await w.service.answer(token, { recommend: 12 })).toMatchObject({ state: 'invalid-answers', errors: [{ path: 'answers.recommend' }] });
    expect([...w.items.values()][0]!.answeredAt).toBeUndefined();
  });
});

describe('survey triggers', () => {
  const meta = { eventId: 'evt_1', occurredAt: NOW, actor: 'public' };

  it('map a new application, interview and decision statuses, and an attended event, to their subject', () => {
    expect(triggerOf({ detailType: 'ApplicationReceived', detail: { ...meta, candidateId: ada.id, applicationId: 'app_1' } })).toEqual({ kind: 'application-received', candidateId: ada.id, subject: 'app_1', at: NOW });
    expect(triggerOf({ detailType: 'ApplicationStatusChanged', detail: { ...meta, candidateId: ada.id, applicationId: 'app_1', from: 'screening', to: 'interview' } })?.kind).toBe('interview');
    expect(triggerOf({ detailType: 'ApplicationStatusChanged', detail: { ...meta, candidateId: ada.id, applicationId: 'app_1', from: 'offer', to: 'hired' } })?.kind).toBe('hired-or-rejected');
    expect(triggerOf({ detailType: 'ApplicationStatusChanged', detail: { ...meta, candidateId: ada.id, applicationId: 'app_1', from: 'interview', to: 'rejected' } })?.kind).toBe('hired-or-rejected');
    expect(triggerOf({ detailType: 'ApplicationStatusChanged', detail: { ...meta, candidateId: ada.id, applicationId: 'app_1', from: 'applied', to: 'screening' } })).toBeUndefined();
    expect(triggerOf({ detailType: 'EventAttended', detail: { ...meta, hiringEventId: 'hev_1', rsvpId: 'rsvp_1', candidateId: ada.id, title: 'Career fair', walkIn: false } })).toMatchObject({ kind: 'event-attended', subject: 'hev_1' });
  });

  it('start one execution per survey, person and subject, waiting the survey delay from the event, named the same when redelivered', async () => {
    const event = { detailType: 'ApplicationReceived' as const, detail: { ...meta, candidateId: ada.id, applicationId: 'app_1' } };
    expect(await w.recruiters.triggered(event)).toBe(1);
    await w.recruiters.triggered(event);
    expect(w.started).toHaveLength(2);
    expect(w.started[0]).toEqual(w.started[1]);
    expect(w.started[0]).toEqual({
      name: executionName(survey.id, ada.id, 'app_1'),
      input: { surveyId: survey.id, candidateId: ada.id, subject: 'app_1', trigger: 'application-received', sendAt: '2026-03-02T10:00:00.000Z' },
    });
    expect(executionName(survey.id, ada.id, 'app_1')).toMatch(/^[\w-]{1,80}$/);
    expect(executionName(survey.id, ada.id, 'app_2')).not.toBe(executionName(survey.id, ada.id, 'app_1'));
  });

  it('send a survey limited to one job or one hiring event only for it', async () => {
    w.surveys.get(survey.id)!.survey.trigger = { on: 'application-received', jobId: 'job_A' };
    const application = (jobId?: string) => ({ detailType: 'ApplicationReceived' as const, detail: { ...meta, candidateId: ada.id, applicationId: `app_${jobId}`, ...(jobId ? { jobId } : {}) } });
    expect(await w.recruiters.triggered(application('job_B'))).toBe(0);
    expect(await w.recruiters.triggered(application())).toBe(0);
    expect(await w.recruiters.triggered(application('job_A'))).toBe(1);
    w.surveys.get(survey.id)!.survey.trigger = { on: 'event-attended', eventId: 'hev_fair' };
    const attended = (hiringEventId: string) => ({ detailType: 'EventAttended' as const, detail: { ...meta, hiringEventId, rsvpId: 'rsvp_1', candidateId: ada.id, title: 'Fair', walkIn: true } });
    expect(await w.recruiters.triggered(attended('hev_other'))).toBe(0);
    expect(await w.recruiters.triggered(attended('hev_fair'))).toBe(1);
  });

  it('leave paused surveys and other events alone', async () => {
    w.surveys.get(survey.id)!.survey.status = 'paused';
    expect(await w.recruiters.triggered({ detailType: 'ApplicationReceived', detail: { ...meta, candidateId: ada.id, applicationId: 'app_1' } })).toBe(0);
    expect(w.started).toEqual([]);
  });
});
