import { describe, expect, it } from 'vitest';
import { csvTables } from '../../functions/insights/domain/analytics-service.ts';
import { InvalidInput } from '../../shared/errors.ts';
import { campaignRates, campaignSummary, eventSummary, funnelRow, jobSummary, overviewSeries, overviewSummary, periodOf, periodsIn, poolSummary, rangeOf, sourceRows, totalsBy, type RollupRow } from '../../functions/insights/domain/kpis.ts';

const row = (day: string, dimension: string, counters: Record<string, number>): RollupRow => ({ day, dimension, counters });

describe('analytics KPIs', () => {
  it('give each funnel stage its conversion from the stage before, and overall from the first stage with people', () => {
    const f = funnelRow('all', { contacted: 200, engaged: 50, applied: 20, interviewed: 10, offered: 4, hired: 3 });
    expect(f.conversion).toEqual({ engaged: 0.25, applied: 0.4, interviewed: 0.5, offered: 0.4, hired: 0.75 });
    expect(f.overall).toBe(0.015);
    expect(funnelRow('job', { applied: 4, hired: 1 })).toMatchObject({ conversion: { engaged: null, applied: null, interviewed: 0, hired: null }, overall: 0.25 });
  });

  it('sum day rows per dimension', () => {
    expect(totalsBy([row('2026-01-01', 'a', { x: 1 }), row('2026-01-02', 'a', { x: 2, y: 1 }), row('2026-01-02', 'b', { x: 5 })])).toEqual(new Map([['a', { x: 3, y: 1 }], ['b', { x: 5 }]]));
  });

  it('group applications and hires by UTM source, medium or campaign', () => {
    const rows = [row('2026-01-01', 'li|social|spring', { applications: 4, hires: 1 }), row('2026-01-02', 'li|cpc|-', { applications: 1 }), row('2026-01-02', 'g|cpc|spring', { applications: 5 })];
    expect(sourceRows(rows, 'source')).toEqual([{ key: 'g', applications: 5, hires: 0, hireRate: 0 }, { key: 'li', applications: 5, hires: 1, hireRate: 0.2 }]);
    expect(sourceRows(rows, 'medium')).toEqual([{ key: 'cpc', applications: 6, hires: 0, hireRate: 0 }, { key: 'social', applications: 4, hires: 1, hireRate: 0.25 }]);
    expect(sourceRows(rows, 'campaign').map((r) => [r.key, r.applications])).toEqual([['spring', 9], ['-', 1]]);
  });

  it('flag SES reputation at 5 % / 10 % bounces and 0.1 % / 0.5 % complaints, engagement over delivered', () => {
    const counts = (bounced: number, complained: number) => ({ sent: 1000, delivered: 900, bounced, complained, opened: { human: 450, machine: 90 }, clicked: 90, replied: 9, applied: 18, unsubscribed: 3 });
    expect(campaignRates(counts(10, 0))).toMatchObject({ delivery: 0.9, humanOpen: 0.5, machineOpen: 0.1, click: 0.1, reply: 0.01, apply: 0.02, unsubscribe: 0.0033, bounce: 0.01, complaint: 0, reputation: { bounce: 'ok', complaint: 'ok' } });
    expect(campaignRates(counts(50, 1)).reputation).toEqual({ bounce: 'warning', complaint: 'warning' });
    expect(campaignRates(counts(100, 5)).reputation).toEqual({ bounce: 'at-risk', complaint: 'at-risk' });
    expect(campaignRates({ ...counts(0, 0), sent: 0, delivered: 0 })).toMatchObject({ delivery: null, bounce: null, reputation: { bounce: 'ok' } });
  });

  it('sum a job\'s applications by source, its offer acceptance and the days from its first application to its first hire', () => {
    const rows = [row('2026-01-01', 'source:li', { applications: 3 }), row('2026-01-05', 'source:g', { applications: 1 }), row('2026-01-09', 'all', { offers: 3, offersAccepted: 1, offersDeclined: 1, hires: 1 })];
    expect(jobSummary(rows, { firstApplicationAt: '2026-01-01T00:00:00.000Z', filledAt: '2026-01-11T12:00:00.000Z' })).toEqual({
      applications: 4, applicationsBySource: [{ source: 'li', applications: 3 }, { source: 'g', applications: 1 }], offers: 3, offersAccepted: 1, offersDeclined: 1,
      offerAcceptanceRate: 0.5, hires: 1, firstApplicationAt: '2026-01-01T00:00:00.000Z', filledAt: '2026-01-11T12:00:00.000Z', timeToFillDays: 10.5,
    });
    expect(jobSummary([], {})).toMatchObject({ offerAcceptanceRate: null, timeToFillDays: null });
  });

  it('count no-shows as seats held (confirmed minus cancelled) without an RSVP check-in', () => {
    expect(eventSummary({ confirmed: 10, cancelledConfirmed: 2, waitlisted: 3, cancelledWaitlisted: 1, promoted: 1, attended: 7, walkIns: 1, hiredAttendees: 2 })).toEqual({
      rsvps: { confirmed: 10, waitlisted: 3, promotedFromWaitlist: 1, cancelled: 3 }, seatsHeld: 8, attended: 7, walkIns: 1, noShows: 2,
      attendanceRate: 0.75, noShowRate: 0.25, hiredAttendees: 2, attendeeHireRate: 0.2857,
    });
  });

  it('compute NPS as promoters minus detractors over NPS answers, the pool from its status totals, and touchpoints per candidate in it', () => {
    const pool = { byStatus: { active: 5, passive: 6 }, consented: 0, relationshipSeconds: 0, community: 0 };
    const o = overviewSummary({ npsResponses: 8, npsPromoters: 5, npsPassives: 1, npsDetractors: 2, passiveToActive: 2, newCandidates: 4, touchpoints: 22 }, pool);
    expect(o).toMatchObject({ poolSize: 11, touchpoints: 22, touchpointsPerCandidate: 2, newCandidates: 4, passiveToActive: 2, passiveToActiveRate: 0.25, nps: { responses: 8, score: 37.5 } });
    expect(overviewSummary({}, { ...pool, byStatus: {} })).toMatchObject({ nps: { score: null }, averageRelationshipDays: null, consent: { coverage: null } });
  });

  it('count as consented those granted minus those lapsed by today (whole past months, this month up to today), and average the relationship seconds over the pool in days', () => {
    const pool = poolSummary({
      'STATUS#active': { count: 3 }, 'STATUS#passive': { count: 1 }, 'STATUS#hired': { count: 0 }, CONSENTED: { count: 4 },
      'LAPSE#2026-02': { d27: 1 }, 'LAPSE#2026-03': { d01: 1, d02: 1, d03: 1 }, RELATIONSHIP: { seconds: 4 * 86_400 + 43_200 }, COMMUNITY: { count: 2 },
    }, '2026-03-02');
    expect(pool).toEqual({ byStatus: { active: 3, passive: 1 }, consented: 1, relationshipSeconds: 388_800, community: 2 });
    expect(overviewSummary({}, pool)).toMatchObject({ poolSize: 4, averageRelationshipDays: 1.1, talentCommunitySize: 2, consent: { purpose: 'marketing-email', consented: 1, coverage: 0.25 } });
  });

  it('label periods by their day, the Monday of their week, or their month, and give a series a row for quiet periods', () => {
    expect([periodOf('2026-03-01', 'week'), periodOf('2026-03-02', 'week'), periodOf('2026-03-08', 'week'), periodOf('2026-03-08', 'month')]).toEqual(['2026-02-23', '2026-03-02', '2026-03-02', '2026-03']);
    expect(periodsIn({ from: '2026-02-27', to: '2026-03-10' }, 'week')).toEqual(['2026-02-23', '2026-03-02', '2026-03-09']);
    const series = overviewSeries([row('2026-03-03', 'all', { communityJoined: 2, npsResponses: 1, npsPromoters: 1 }), row('2026-03-09', 'all', { communityJoined: 1 })], { from: '2026-02-27', to: '2026-03-10' }, 'week');
    expect(series.map((s) => [s.period, s.talentCommunityJoined, s.nps.score])).toEqual([['2026-02-23', 0, null], ['2026-03-02', 2, 100], ['2026-03-09', 1, null]]);
  });

  it('give a campaign its counts from the rollup counters', () => {
    expect(campaignSummary({ sent: 4, delivered: 4, openedHuman: 2, openedMachine: 1, clicked: 1 })).toMatchObject({
      counts: { sent: 4, delivered: 4, opened: { human: 2, machine: 1 }, clicked: 1, replied: 0 }, rates: { humanOpen: 0.5, machineOpen: 0.25, click: 0.25 },
    });
  });
});

describe('analytics ranges', () => {
  const fieldOf = (run: () => unknown) => {
    try {
      run();
    } catch (error) {
      return error instanceof InvalidInput ? error.errors.map((e) => e.path) : error;
    }
    return 'no error';
  };

  it('default to the 30 days ending today', () => {
    expect(rangeOf({}, '2026-03-30')).toEqual({ from: '2026-03-01', to: '2026-03-30' });
    expect(rangeOf({ to: '2026-01-31' }, '2026-03-30')).toEqual({ from: '2026-01-02', to: '2026-01-31' });
  });

  it('answer 400 naming from when it is after to, and to when the range is over two years', () => {
    expect(fieldOf(() => rangeOf({ from: '2026-03-02', to: '2026-03-01' }, '2026-03-30'))).toEqual(['query.from']);
    expect(fieldOf(() => rangeOf({ from: '2024-01-01', to: '2026-01-01' }, '2026-03-30'))).toEqual(['query.to']);
    expect(rangeOf({ from: '2024-01-02', to: '2026-01-01' }, '2026-03-30')).toEqual({ from: '2024-01-02', to: '2026-01-01' });
  });
});

describe('analytics CSV tables', () => {
  it('give the funnel a column per stage and per conversion, and a record a dotted metric per row', () => {
    const funnel = csvTables.funnel({ from: '2026-01-01', to: '2026-01-31', groupBy: 'job', rows: [funnelRow('j1', { applied: 4, interviewed: 2 })] });
    expect(funnel.header).toEqual(['key', 'contacted', 'engaged', 'applied', 'interviewed', 'offered', 'hired', 'engagedRate', 'appliedRate', 'interviewedRate', 'offeredRate', 'hiredRate', 'overall']);
    expect(funnel.rows).toEqual([['j1', 0, 0, 4, 2, 0, 0, null, null, 0.5, 0, null, 0]]);
    const job = csvTables.job({ from: '2026-01-01', to: '2026-01-31', jobId: 'j1', ...jobSummary([row('2026-01-02', 'source:li', { applications: 2 })], {}) });
    expect(job.rows.slice(0, 5)).toEqual([['from', '2026-01-01'], ['to', '2026-01-31'], ['jobId', 'j1'], ['applications', 2], ['applicationsBySource.li', 2]]);
  });
});
