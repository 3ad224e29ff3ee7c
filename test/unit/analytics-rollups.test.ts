import { describe, expect, it } from 'vitest';
import { emptyPerson, membershipChanges, type MemberState, type PersonState, type ProfileFacts } from '../../functions/insights/domain/people.ts';
import { MAX_CAMPAIGNS, planFor, subjectsOf, utmRow, type AnalyticsEvent, type SubjectState } from '../../functions/insights/domain/rollups.ts';

const meta = (n: number, day = '2026-03-02') => ({ eventId: `evt_${n}`, occurredAt: `${day}T10:00:00.000Z`, actor: 'test' });
const ev = (detailType: string, detail: Record<string, unknown>, n = 1, day?: string) => ({ detailType, detail: { ...meta(n, day), ...detail } }) as unknown as AnalyticsEvent;
const profile = (extra: Partial<ProfileFacts> = {}): ProfileFacts => ({ status: 'active', sourceType: 'referral', createdAt: '2026-03-01T10:00:00.000Z', ...extra });
const member = (extra: Partial<MemberState> = {}): MemberState => ({ status: 'active', createdAt: '2026-03-01T10:00:00.000Z', lastTouchAt: '2026-03-01T10:00:00.000Z', community: false, version: 1, ...extra });
const person = (flags: string[], extra: Partial<PersonState> = {}): PersonState => ({ ...emptyPerson(), flags: new Set(flags), version: 1, ...extra });
const state = (p: PersonState = emptyPerson(), extra: Partial<SubjectState> = {}): SubjectState => ({ profile: profile(), person: p, member: member(), ...extra });
const plan = (event: AnalyticsEvent, s: SubjectState = state()) => planFor(event, 'c1', s);
const rowsOf = (p: ReturnType<typeof planFor>) => Object.fromEntries(p.increments.map((i) => [`${i.group}/${i.row}`, i.add]));
const reachedOn = (day: string) => `${day}T08:00:00.000Z`;

describe('analytics rollups', () => {
  it('count a new application once in applied overall, by source, by job, by the campaign that emailed the person that month and by their segment', () => {
    const p = plan(
      ev('ApplicationReceived', { candidateId: 'c1', applicationId: 'a1', jobId: 'j1', utm: { source: 'linkedin', medium: 'social' } }),
      state(person([], { reached: { k1: reachedOn('2026-02-20'), old: reachedOn('2026-01-01') }, segments: { s1: { in: true, at: reachedOn('2026-02-01') }, s2: { in: false, at: reachedOn('2026-02-02') } } })),
    );
    expect(rowsOf(p)).toEqual({
      'sources/2026-03-02#linkedin|social|-': { applications: 1 },
      'job#j1/2026-03-02#source:linkedin': { applications: 1 },
      'job#j1/META': {},
      'campaign#k1/2026-03-02#all': { applied: 1 },
      'funnel#all/2026-03-02#all': { applied: 1 },
      'funnel#source/2026-03-02#referral': { applied: 1 },
      'funnel#campaign/2026-03-02#k1': { applied: 1 },
      'funnel#segment/2026-03-02#s1': { applied: 1 },
      'funnel#job/2026-03-02#j1': { applied: 1 },
      'pool/RELATIONSHIP': { seconds: 86_400 },
    });
    expect(p.newFlags).toEqual(['applied|k1', 'applied', 'applied@campaign:k1', 'applied@segment:s1', 'applied@job:j1']);
    expect(p.member).toMatchObject({ lastTouchAt: '2026-03-02T10:00:00.000Z' });
  });

  it('take the funnel source from the profile, so an application that arrives before CandidateCreated is not counted as unknown', () => {
    const p = plan(ev('ApplicationReceived', { candidateId: 'c1', applicationId: 'a1' }), state(emptyPerson(), { member: undefined, profile: profile({ sourceType: 'career-site' }) }));
    expect(rowsOf(p)['funnel#source/2026-03-02#career-site']).toEqual({ applied: 1 });
  });

  it('keep the UTM separator out of UTM values', () => {
    expect(utmRow({ source: 'a|b', campaign: 'c' })).toBe('a/b|-|c');
  });

  it('do not count a person again in a stage they already reached', () => {
    const p = plan(ev('ApplicationStatusChanged', { candidateId: 'c1', applicationId: 'a2', jobId: 'j2', from: 'applied', to: 'interview' }), state(person(['applied', 'interviewed'])));
    expect(rowsOf(p)).toEqual({ 'funnel#job/2026-03-02#j2': { applied: 1, interviewed: 1 }, 'pool/RELATIONSHIP': { seconds: 86_400 } });
  });

  it('count a jump to hired as reaching every step of the ladder, the offer as accepted, and a hire among the events the person attended before', () => {
    const p = plan(
      ev('ApplicationStatusChanged', { candidateId: 'c1', applicationId: 'a1', jobId: 'j1', from: 'offer', to: 'hired', utm: { source: 'x' } }),
      state(person(['applied', 'interviewed', 'offered'], { attended: { he1: reachedOn('2026-02-01'), later: '2026-04-01T00:00:00.000Z' } })),
    );
    expect(rowsOf(p)).toMatchObject({
      'funnel#all/2026-03-02#all': { hired: 1 },
      'funnel#job/2026-03-02#j1': { applied: 1, interviewed: 1, offered: 1, hired: 1 },
      'sources/2026-03-02#x|-|-': { hires: 1 },
      'job#j1/2026-03-02#all': { hires: 1, offersAccepted: 1 },
      'event#he1/2026-03-02#all': { hiredAttendees: 1 },
    });
    expect(rowsOf(p)['event#later/2026-03-02#all']).toBeUndefined();
    expect(p.increments.find((i) => i.row === 'META')?.setOnce).toEqual({ filledAt: '2026-03-02T10:00:00.000Z' });
  });

  it('count a declined offer once, from the move out of offer, whatever order the events arrive in', () => {
    const declined = plan(ev('ApplicationStatusChanged', { candidateId: 'c1', applicationId: 'a1', jobId: 'j1', from: 'offer', to: 'withdrawn' }));
    expect(rowsOf(declined)['job#j1/2026-03-02#all']).toEqual({ offersDeclined: 1 });
    expect(rowsOf(plan(ev('ApplicationStatusChanged', { candidateId: 'c1', applicationId: 'a1', jobId: 'j1', from: 'offer', to: 'rejected' }), state(person(['closed|a1']))))['job#j1/2026-03-02#all']).toBeUndefined();
  });

  it('count a send as contacted, for the campaign too, and remember the campaign', () => {
    const p = plan(ev('EmailSent', { candidateId: 'c1', campaignId: 'k1' }));
    expect(rowsOf(p)).toEqual({
      'campaign#k1/2026-03-02#all': { sent: 1 },
      'funnel#all/2026-03-02#all': { contacted: 1 },
      'funnel#source/2026-03-02#referral': { contacted: 1 },
      'funnel#campaign/2026-03-02#k1': { contacted: 1 },
    });
    expect(p.memory?.reached).toEqual({ k1: '2026-03-02T10:00:00.000Z' });
  });

  it('count one human open per email, whether the open or a click without one comes first', () => {
    const clicked = plan(ev('EmailActivity', { candidateId: 'c1', campaignId: 'k1', kind: 'clicked' }), state(person(['contacted', 'engaged', 'contacted@campaign:k1', 'engaged@campaign:k1'])));
    expect(rowsOf(clicked)['campaign#k1/2026-03-02#all']).toEqual({ clicked: 1, openedHuman: 1 });
    const openedAfter = plan(ev('EmailActivity', { candidateId: 'c1', campaignId: 'k1', kind: 'opened' }), state(person(['open|k1#0', 'contacted', 'engaged'])));
    expect(rowsOf(openedAfter)['campaign#k1/2026-03-02#all']).toBeUndefined();
  });

  it('keep only the newest campaigns, so a stage never writes more rows than a transaction takes', () => {
    const reached = Object.fromEntries(Array.from({ length: MAX_CAMPAIGNS }, (_, i) => [`k${i}`, `2026-03-01T0${Math.floor(i / 10)}:${String(i % 10).padStart(2, '0')}:00.000Z`]));
    const p = plan(ev('EmailSent', { candidateId: 'c1', campaignId: 'new' }), state(person([], { reached })));
    expect(Object.keys(p.memory!.reached)).toHaveLength(MAX_CAMPAIGNS);
    expect(p.memory!.reached).not.toHaveProperty('k0');
    expect(p.memory!.reached).toHaveProperty('new');
  });

  it('count a reply and an unsubscribe once per campaign, a complaint not as an unsubscribe', () => {
    expect(rowsOf(plan(ev('CandidateReplied', { candidateId: 'c1', campaignId: 'k1', subject: 's', text: 't' }), state(person(['replied|k1']))))).toMatchObject({ 'overview/2026-03-02#all': { replies: 1 } });
    expect(rowsOf(plan(ev('CandidateReplied', { candidateId: 'c1', campaignId: 'k1', subject: 's', text: 't' }), state(person(['replied|k1']))))['campaign#k1/2026-03-02#all']).toBeUndefined();
    expect(rowsOf(plan(ev('CandidateUnsubscribed', { candidateId: 'c1', campaignId: 'k1', via: 'unsubscribe' })))['campaign#k1/2026-03-02#all']).toEqual({ unsubscribed: 1 });
    expect(rowsOf(plan(ev('CandidateUnsubscribed', { candidateId: 'c1', campaignId: 'k1', via: 'complaint' })))['campaign#k1/2026-03-02#all']).toBeUndefined();
  });

  it('count deliveries, machine opens and RSVPs without reading the person', () => {
    expect(rowsOf(planFor(ev('EmailDelivered', { candidateId: 'c1', campaignId: 'k1' }), 'c1', { person: emptyPerson() }))).toEqual({ 'campaign#k1/2026-03-02#all': { delivered: 1 } });
    expect(rowsOf(planFor(ev('RsvpConfirmed', { candidateId: 'c1', hiringEventId: 'he', rsvpId: 'r', via: 'waitlist' }), 'c1', { person: emptyPerson() }))).toEqual({ 'event#he/2026-03-02#all': { confirmed: 1, promoted: 1 } });
  });

  it('count a passive person turning active once, and move the pool to the status the profile has now', () => {
    const change = ev('CandidateUpdated', { candidateId: 'c1', changed: ['status'], statusFrom: 'passive', statusTo: 'active' });
    expect(rowsOf(plan(change, state(emptyPerson(), { member: member({ status: 'passive' }) })))).toEqual({
      'pool/STATUS#passive': { count: -1 }, 'pool/STATUS#active': { count: 1 }, 'overview/2026-03-02#all': { passiveToActive: 1 },
    });
    expect(rowsOf(plan(change, state(person(['activated']))))).toEqual({});
  });

  it('count a passive person who applied as turning active, from their profile, though no CandidateUpdated says so', () => {
    const p = plan(ev('ApplicationReceived', { candidateId: 'c1', applicationId: 'a1' }), state(person(['applied']), { member: member({ status: 'passive' }), profile: profile({ status: 'active' }) }));
    expect(rowsOf(p)).toMatchObject({ 'overview/2026-03-02#all': { passiveToActive: 1 }, 'pool/STATUS#passive': { count: -1 }, 'pool/STATUS#active': { count: 1 } });
    expect(p.newFlags).toContain('activated');
  });

  it('take an erased or merged-away person out of the pool totals, and count nothing else of theirs', () => {
    const gone = { person: person(['applied']), member: member({ consentUntil: '2027-01-05T00:00:00.000Z', community: true, lastTouchAt: '2026-03-02T10:00:00.000Z' }) };
    const erased = plan(ev('CandidateErased', { candidateId: 'c1', reason: 'request' }), gone);
    expect(rowsOf(erased)).toEqual({
      'pool/STATUS#active': { count: -1 }, 'pool/CONSENTED': { count: -1 }, 'pool/LAPSE#2027-01': { d05: -1 }, 'pool/RELATIONSHIP': { seconds: -86_400 }, 'pool/COMMUNITY': { count: -1 },
    });
    expect(erased.member).toBeNull();
    const late = plan(ev('ApplicationReceived', { candidateId: 'c1', applicationId: 'a9', jobId: 'j1' }), { person: person([]) });
    expect(late).toEqual({ increments: [], newFlags: [] });
    expect(subjectsOf(ev('CandidatesMerged', { candidateId: 'c1', mergedId: 'c2', mergeId: 'm' }))).toEqual(['c1', 'c2']);
  });

  it('count a person joining the pool with their status, current consent and community sign-up', () => {
    const joined = plan(ev('TalentCommunityJoined', { candidateId: 'c1', siteId: 's', created: true }), state(emptyPerson(), { member: undefined, profile: profile({ consentUntil: 'never' }) }));
    expect(rowsOf(joined)).toEqual({
      'overview/2026-03-02#all': { communityJoined: 1 },
      'pool/STATUS#active': { count: 1 }, 'pool/CONSENTED': { count: 1 }, 'pool/RELATIONSHIP': { seconds: 86_400 }, 'pool/COMMUNITY': { count: 1 },
    });
  });

  it('move a renewed consent from its old lapse day to its new one', () => {
    expect(membershipChanges(member({ consentUntil: '2026-05-01T00:00:00.000Z' }), member({ consentUntil: '2028-05-01T00:00:00.000Z' }))).toEqual([
      { row: 'CONSENTED', add: { count: -1 } }, { row: 'LAPSE#2026-05', add: { d01: -1 } }, { row: 'CONSENTED', add: { count: 1 } }, { row: 'LAPSE#2028-05', add: { d01: 1 } },
    ]);
  });

  it('end segment membership only on a later exit, whatever order entry and exit arrive in', () => {
    const left = plan(ev('SegmentLeft', { candidateId: 'c1', segmentId: 's1' }, 2, '2026-03-05'));
    const enteredLate = plan(ev('SegmentEntered', { candidateId: 'c1', segmentId: 's1' }, 1, '2026-03-01'), state(person([], { segments: left.memory!.segments })));
    expect(enteredLate.memory).toBeUndefined();
    expect(left.memory!.segments).toEqual({ s1: { in: false, at: '2026-03-05T10:00:00.000Z' } });
  });

  it('credit a campaign and a segment with the stages reached after them, even when their events are processed after those stages', () => {
    const applied = person(['contacted', 'applied', 'interviewed'], { stageAt: { contacted: '2026-02-01T00:00:00.000Z', applied: '2026-03-03T09:00:00.000Z', interviewed: '2026-03-04T09:00:00.000Z' } });
    const sent = plan(ev('EmailSent', { candidateId: 'c1', campaignId: 'k1' }), state(applied));
    expect(rowsOf(sent)).toMatchObject({
      'campaign#k1/2026-03-02#all': { sent: 1 }, 'campaign#k1/2026-03-03#all': { applied: 1 },
      'funnel#campaign/2026-03-02#k1': { contacted: 1 }, 'funnel#campaign/2026-03-03#k1': { applied: 1 }, 'funnel#campaign/2026-03-04#k1': { interviewed: 1 },
    });
    const entered = plan(ev('SegmentEntered', { candidateId: 'c1', segmentId: 's1' }), state(applied));
    expect(rowsOf(entered)).toEqual({ 'funnel#segment/2026-03-03#s1': { applied: 1 }, 'funnel#segment/2026-03-04#s1': { interviewed: 1 } });
  });

  it('count a hire among a hiring event\'s attendees once, whether the attendance or the hire is processed first', () => {
    const hiredFirst = person(['hired'], { stageAt: { hired: '2026-03-05T10:00:00.000Z' } });
    const attended = plan(ev('EventAttended', { candidateId: 'c1', hiringEventId: 'he1', rsvpId: 'r', title: 't', walkIn: false }), state(hiredFirst));
    expect(rowsOf(attended)['event#he1/2026-03-05#all']).toEqual({ hiredAttendees: 1 });
    expect(attended.newFlags).toContain('hired@event:he1');
  });

  it('band NPS answers into promoters, passives and detractors', () => {
    const band = (npsScore?: number) => rowsOf(plan(ev('SurveyAnswered', { candidateId: 'c1', surveyId: 's', invitationId: 'i', trigger: 'manual', ...(npsScore === undefined ? {} : { npsScore }) })))['overview/2026-03-02#all'];
    expect([band(9), band(7), band(6), band()]).toEqual([
      { surveyResponses: 1, npsPromoters: 1, npsResponses: 1 },
      { surveyResponses: 1, npsPassives: 1, npsResponses: 1 },
      { surveyResponses: 1, npsDetractors: 1, npsResponses: 1 },
      { surveyResponses: 1 },
    ]);
  });

  it('count an attendee once per hiring event, walk-ins apart', () => {
    const attended = ev('EventAttended', { candidateId: 'c1', hiringEventId: 'he1', rsvpId: 'r', title: 't', walkIn: true });
    expect(rowsOf(plan(attended))['event#he1/2026-03-02#all']).toEqual({ attended: 1, walkIns: 1 });
    expect(rowsOf(plan(attended, state(person(['attended|he1']))))['event#he1/2026-03-02#all']).toBeUndefined();
  });
});
