import { describe, expect, it } from 'vitest';
import { emptyPerson, planFor, utmRow, type AnalyticsEvent, type PersonState } from '../../functions/insights/domain/rollups.ts';

const meta = (n: number, day = '2026-03-02') => ({ eventId: `evt_${n}`, occurredAt: `${day}T10:00:00.000Z`, actor: 'test' });
const ev = (detailType: string, detail: Record<string, unknown>, n = 1) => ({ detailType, detail: { ...meta(n), ...detail } }) as unknown as AnalyticsEvent;
const person = (flags: string[], extra: Partial<PersonState> = {}): PersonState => ({ ...emptyPerson(), flags: new Set(flags), ...extra });
const rowsOf = (plan: ReturnType<typeof planFor>) => Object.fromEntries(plan.increments.map((i) => [`${i.group}/${i.row}`, i.add]));

describe('analytics rollups', () => {
  it('count a new application once in applied overall, by source, by job and by the campaign that reached the person', () => {
    const plan = planFor(ev('ApplicationReceived', { candidateId: 'c1', applicationId: 'a1', jobId: 'j1', utm: { source: 'linkedin', medium: 'social' } }), person([], { source: 'referral', campaigns: ['k1'] }));
    expect(rowsOf(plan)).toEqual({
      'sources/2026-03-02#linkedin|social|-': { applications: 1 },
      'job#j1/2026-03-02#source:linkedin': { applications: 1 },
      'job#j1/META': {},
      'funnel#all/2026-03-02#all': { applied: 1 },
      'funnel#source/2026-03-02#referral': { applied: 1 },
      'funnel#campaign/2026-03-02#k1': { applied: 1 },
      'funnel#job/2026-03-02#j1': { applied: 1 },
    });
    expect(plan.newFlags).toEqual(['applied', 'applied@campaign:k1', 'applied@job:j1']);
  });

  it('keep the UTM separator out of UTM values', () => {
    expect(utmRow({ source: 'a|b', campaign: 'c' })).toBe('a/b|-|c');
  });

  it('do not count a person again in a stage they already reached', () => {
    const plan = planFor(ev('ApplicationStatusChanged', { candidateId: 'c1', applicationId: 'a2', jobId: 'j2', from: 'applied', to: 'interview' }), person(['applied', 'interviewed']));
    expect(rowsOf(plan)).toEqual({ 'funnel#job/2026-03-02#j2': { applied: 1, interviewed: 1 } });
  });

  it('count a jump to hired as reaching every step of the ladder, and the offer as accepted', () => {
    const plan = planFor(ev('ApplicationStatusChanged', { candidateId: 'c1', applicationId: 'a1', jobId: 'j1', from: 'offer', to: 'hired', utm: { source: 'x' } }), person(['applied', 'interviewed', 'offered'], { source: 'manual', events: ['he1'] }));
    expect(rowsOf(plan)).toMatchObject({
      'funnel#all/2026-03-02#all': { hired: 1 },
      'funnel#job/2026-03-02#j1': { applied: 1, interviewed: 1, offered: 1, hired: 1 },
      'sources/2026-03-02#x|-|-': { hires: 1 },
      'job#j1/2026-03-02#all': { hires: 1, offersAccepted: 1 },
      'event#he1/2026-03-02#all': { hiredAttendees: 1 },
    });
    expect(plan.increments.find((i) => i.row === 'META')?.setOnce).toEqual({ filledAt: '2026-03-02T10:00:00.000Z' });
  });

  it('count a declined offer once, from the move out of offer, whatever order the events arrive in', () => {
    const declined = planFor(ev('ApplicationStatusChanged', { candidateId: 'c1', applicationId: 'a1', jobId: 'j1', from: 'offer', to: 'withdrawn' }), emptyPerson());
    expect(rowsOf(declined)).toEqual({ 'job#j1/2026-03-02#all': { offersDeclined: 1 } });
    expect(planFor(ev('ApplicationStatusChanged', { candidateId: 'c1', applicationId: 'a1', jobId: 'j1', from: 'offer', to: 'rejected' }), person(['closed|a1'])).increments).toEqual([]);
    expect(planFor(ev('ApplicationStatusChanged', { candidateId: 'c1', applicationId: 'a1', jobId: 'j1', from: 'screening', to: 'rejected' }), emptyPerson()).increments).toEqual([]);
  });

  it('count a human open as contacted and engaged for the person and the campaign, and remember the campaign', () => {
    const plan = planFor(ev('EmailActivity', { candidateId: 'c1', campaignId: 'k1', kind: 'opened' }), emptyPerson());
    expect(rowsOf(plan)).toEqual({
      'funnel#all/2026-03-02#all': { contacted: 1, engaged: 1 },
      'funnel#source/2026-03-02#unknown': { contacted: 1, engaged: 1 },
      'funnel#campaign/2026-03-02#k1': { contacted: 1, engaged: 1 },
    });
    expect(plan.remember).toEqual({ campaign: 'k1' });
  });

  it('count a bounce as contacted only', () => {
    expect(rowsOf(planFor(ev('EmailActivity', { candidateId: 'c1', campaignId: 'k1', kind: 'bounced' }), emptyPerson()))['funnel#all/2026-03-02#all']).toEqual({ contacted: 1 });
  });

  it('move the pool between statuses and count a passive person turning active once', () => {
    const change = ev('CandidateUpdated', { candidateId: 'c1', changed: ['status'], statusFrom: 'passive', statusTo: 'active' });
    expect(rowsOf(planFor(change, emptyPerson()))).toEqual({ 'pool/STATUS#passive': { count: -1 }, 'pool/STATUS#active': { count: 1 }, 'overview/2026-03-02#all': { passiveToActive: 1 } });
    expect(rowsOf(planFor(change, person(['activated'])))).toEqual({ 'pool/STATUS#passive': { count: -1 }, 'pool/STATUS#active': { count: 1 } });
  });

  it('band NPS answers into promoters, passives and detractors', () => {
    const band = (npsScore?: number) => rowsOf(planFor(ev('SurveyAnswered', { candidateId: 'c1', surveyId: 's', invitationId: 'i', trigger: 'manual', ...(npsScore === undefined ? {} : { npsScore }) }), emptyPerson()))['overview/2026-03-02#all'];
    expect([band(9), band(7), band(6), band()]).toEqual([
      { surveyResponses: 1, npsPromoters: 1, npsResponses: 1 },
      { surveyResponses: 1, npsPassives: 1, npsResponses: 1 },
      { surveyResponses: 1, npsDetractors: 1, npsResponses: 1 },
      { surveyResponses: 1 },
    ]);
  });

  it('count a logged touchpoint on its day', () => {
    expect(rowsOf(planFor(ev('TouchpointLogged', { candidateId: 'c1', touchpointId: 't', kind: 'call' }), emptyPerson()))).toEqual({ 'overview/2026-03-02#all': { touchpoints: 1 } });
  });

  it('count an attendee once per hiring event, walk-ins apart', () => {
    const attended = ev('EventAttended', { candidateId: 'c1', hiringEventId: 'he1', rsvpId: 'r', title: 't', walkIn: true });
    expect(rowsOf(planFor(attended, emptyPerson()))).toEqual({ 'event#he1/2026-03-02#all': { attended: 1, walkIns: 1 } });
    expect(planFor(attended, person(['attended|he1'])).increments).toEqual([]);
  });
});
