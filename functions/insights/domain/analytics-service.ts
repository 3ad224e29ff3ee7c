import { NotFound } from '../../../shared/errors.ts';
import type { CampaignAnalytics, EventAnalytics, Funnel, JobAnalytics, Overview, Sources } from '../schemas.ts';
import { campaignRates, eventSummary, funnelRow, jobSummary, overviewSummary, rangeOf, sourceRows, sumAll, totalsBy } from './kpis.ts';
import type { AnalyticsStore, CampaignCounters, Clock } from './ports.ts';
import { planFor, stages, type AnalyticsEvent } from './rollups.ts';

const MAX_ATTEMPTS = 5;
type RangeQuery = { from?: string; to?: string };

export function analyticsService(deps: { store: AnalyticsStore; campaigns: CampaignCounters; clock: Clock }) {
  const { store, campaigns, clock } = deps;
  const range = (query: RangeQuery) => rangeOf(query, clock.now().slice(0, 10));

  return {
    /** Folds one domain event into the rollups, once: a redelivered event finds its marker and changes nothing. */
    async record(event: AnalyticsEvent): Promise<'applied' | 'duplicate' | 'nothing'> {
      for (let attempt = 1; ; attempt++) {
        const plan = planFor(event, await store.person(event.detail.candidateId));
        if (!plan.increments.length && !plan.newFlags.length && !Object.keys(plan.remember).length) return 'nothing';
        const outcome = await store.apply(event.detail.eventId, event.detail.candidateId, plan);
        if (outcome !== 'conflict') return outcome;
        if (attempt >= MAX_ATTEMPTS) throw new Error(`Milestones of ${event.detail.candidateId} kept changing while recording ${event.detail.eventId}`);
      }
    },

    async funnel(query: RangeQuery & { groupBy: 'none' | 'source' | 'campaign' | 'job' }): Promise<Funnel> {
      const period = range(query);
      const rows = await store.rows(`funnel#${query.groupBy === 'none' ? 'all' : query.groupBy}`, period);
      const totals = query.groupBy === 'none' ? new Map([['all', sumAll(rows)]]) : totalsBy(rows);
      return { ...period, groupBy: query.groupBy, rows: [...totals].map(([key, counters]) => funnelRow(key, counters)).sort((a, b) => b.stages.applied - a.stages.applied || a.key.localeCompare(b.key)) };
    },

    async sources(query: RangeQuery & { groupBy: 'source' | 'medium' | 'campaign' }): Promise<Sources> {
      const period = range(query);
      return { ...period, groupBy: query.groupBy, rows: sourceRows(await store.rows('sources', period), query.groupBy) };
    },

    async campaign(campaignId: string): Promise<CampaignAnalytics> {
      if (!(await campaigns.exists(campaignId))) throw new NotFound(`There is no campaign ${campaignId}.`);
      const s = await campaigns.stats(campaignId);
      const counts = { sent: s.sent, delivered: s.delivered, bounced: s.bounced, complained: s.complained, opened: s.opened, clicked: s.clicked, replied: s.replied, applied: s.applied, unsubscribed: s.unsubscribed };
      return { campaignId, counts, rates: campaignRates(counts) };
    },

    async job(jobId: string, query: RangeQuery): Promise<JobAnalytics> {
      const period = range(query);
      const [rows, meta] = await Promise.all([store.rows(`job#${jobId}`, period), store.jobMeta(jobId)]);
      return { ...period, jobId, ...jobSummary(rows, meta) };
    },

    async hiringEvent(hiringEventId: string, query: RangeQuery): Promise<EventAnalytics> {
      const period = range(query);
      return { ...period, hiringEventId, ...eventSummary(sumAll(await store.rows(`event#${hiringEventId}`, period))) };
    },

    async overview(query: RangeQuery): Promise<Overview> {
      const period = range(query);
      const [rows, pool] = await Promise.all([store.rows('overview', period), store.pool()]);
      return { ...period, ...overviewSummary(sumAll(rows), pool) };
    },
  };
}

export type AnalyticsService = ReturnType<typeof analyticsService>;

/** CSV tables of each report: a header and rows (shared/csv.ts neutralises the cells). */
export const csvTables = {
  funnel: (f: Funnel) => ({
    header: ['key', ...stages, ...stages.slice(1).map((s) => `${s}Rate`), 'overall'],
    rows: f.rows.map((r) => [r.key, ...stages.map((s) => r.stages[s]), ...stages.slice(1).map((s) => r.conversion[s as Exclude<typeof s, 'contacted'>]), r.overall]),
  }),
  sources: (s: Sources) => ({ header: [s.groupBy, 'applications', 'hires', 'hireRate'], rows: s.rows.map((r) => [r.key, r.applications, r.hires, r.hireRate]) }),
  /** A job's applications by source become `applicationsBySource.<source>` metrics. */
  job: (j: JobAnalytics) => csvTables.record({ ...j, applicationsBySource: Object.fromEntries(j.applicationsBySource.map((s) => [s.source, s.applications])) }),
  /** Everything else is one record: a metric per row, nested names joined with dots. */
  record: (value: Record<string, unknown>) => ({ header: ['metric', 'value'], rows: flatten(value) }),
};

function flatten(value: Record<string, unknown>, prefix = ''): unknown[][] {
  return Object.entries(value).flatMap(([name, v]) =>
    v !== null && typeof v === 'object' ? flatten(v as Record<string, unknown>, `${prefix}${name}.`) : [[`${prefix}${name}`, v]],
  );
}
