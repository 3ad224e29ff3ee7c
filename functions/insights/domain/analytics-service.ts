import { NotFound } from '../../../shared/errors.ts';
import { trackingFact, type SesEventRecord } from '../../campaigns/domain/email-tracking.ts';
import type { CampaignAnalytics, EventAnalytics, Funnel, JobAnalytics, Overview, Sources } from '../schemas.ts';
import {
  MAX_RANGE_DAYS, addDays, campaignSummary, eventSummary, funnelRow, jobSummary, overviewSeries, overviewSummary, periodOf, periodsIn, poolSummary, rangeOf,
  sourceRows, sumAll, totalsBy, type Interval,
} from './kpis.ts';
import { emptyPerson } from './people.ts';
import type { AnalyticsStore, Catalogue, Clock, Deliveries } from './ports.ts';
import { needsPerson, planFor, stages, subjectsOf, type AnalyticsEvent, type EmailFact, type Plan } from './rollups.ts';

/** Replans after a conflict this often: each conflict means another event for the same person landed in between. */
const MAX_ATTEMPTS = 8;
type RangeQuery = { from?: string; to?: string };
type Outcome = 'applied' | 'duplicate' | 'nothing';

const isEmpty = (plan: Plan) => !plan.increments.length && !plan.newFlags.length && !plan.memory && plan.member === undefined;

export function analyticsService(deps: { store: AnalyticsStore; catalogue: Catalogue; deliveries: Deliveries; clock: Clock }) {
  const { store, catalogue, deliveries, clock } = deps;
  const today = () => clock.now().slice(0, 10);
  const range = (query: RangeQuery) => rangeOf(query, today());

  /** One event for one of the people it is about; the marker names both when there are two (a merge). */
  async function recordFor(event: AnalyticsEvent, subject: string, marker: string): Promise<Outcome> {
    for (let attempt = 1; ; attempt++) {
      const state = needsPerson(event) ? { ...(await store.subject(subject)), candidateId: subject } : undefined;
      const plan = planFor(event, subject, state ?? { person: emptyPerson() });
      if (isEmpty(plan)) return 'nothing';
      const outcome = await store.apply(marker, subject, plan, state);
      if (outcome !== 'conflict') return outcome;
      if (attempt >= MAX_ATTEMPTS) throw new Error(`${subject} kept changing while recording ${marker}`);
    }
  }

  const service = {
    /** Folds one event into the rollups, once: a redelivered event finds its marker and changes nothing. */
    async record(event: AnalyticsEvent): Promise<Outcome> {
      const subjects = subjectsOf(event);
      const outcomes: Outcome[] = [];
      for (const subject of subjects) outcomes.push(await recordFor(event, subject, subjects.length > 1 ? `${event.detail.eventId}:${subject}` : event.detail.eventId));
      return outcomes.includes('applied') ? 'applied' : outcomes.includes('duplicate') ? 'duplicate' : 'nothing';
    },

    /** A campaign email's send, delivery or first machine open, from SES (once per message: the marker is the message's). */
    async recordEmail(record: SesEventRecord): Promise<Outcome> {
      const tags = record.mail.tags ?? {};
      const campaignId = tags.campaignId?.[0];
      const candidateId = tags.candidateId?.[0];
      if (!campaignId || !candidateId) return 'nothing';
      const step = tags.step ? Number(tags.step[0]) : undefined;
      const mail = { campaignId, candidateId, ...(step === undefined ? {} : { step }) };
      const fact = (detailType: EmailFact['detailType'], at: string): EmailFact => ({
        detailType,
        detail: { eventId: `ses:${record.mail.messageId}:${detailType}`, occurredAt: new Date(at).toISOString(), ...mail },
      });
      switch (record.eventType) {
        case 'Send':
          return service.record(fact('EmailSent', record.mail.timestamp));
        case 'Delivery':
          return service.record(fact('EmailDelivered', record.delivery.timestamp));
        case 'Open': {
          // Told apart as the campaigns context tells them: a human open comes as EmailActivity, a machine's only from SES.
          const deliveredAt = await deliveries.deliveredAt({ ...mail, ...(tags.shard ? { shard: Number(tags.shard[0]) } : {}) });
          if (!trackingFact(record, deliveredAt ? { deliveredAt } : {}).machine) return 'nothing';
          return service.record(fact('EmailMachineOpened', record.open.timestamp));
        }
        default:
          return 'nothing';
      }
    },

    async funnel(query: RangeQuery & { groupBy: 'none' | 'source' | 'campaign' | 'job' | 'segment' | Interval }): Promise<Funnel> {
      const period = range(query);
      const { groupBy } = query;
      if (groupBy === 'day' || groupBy === 'week' || groupBy === 'month') {
        const rows = await store.rows('funnel#all', period);
        const totals = totalsBy(rows.map((r) => ({ ...r, dimension: periodOf(r.day, groupBy) })));
        return { ...period, groupBy, rows: periodsIn(period, groupBy).map((key) => funnelRow(key, totals.get(key) ?? {})) };
      }
      const rows = await store.rows(`funnel#${groupBy === 'none' ? 'all' : groupBy}`, period);
      const totals = groupBy === 'none' ? new Map([['all', sumAll(rows)]]) : totalsBy(rows);
      return { ...period, groupBy, rows: [...totals].map(([key, counters]) => funnelRow(key, counters)).sort((a, b) => b.stages.applied - a.stages.applied || a.key.localeCompare(b.key)) };
    },

    async sources(query: RangeQuery & { groupBy: 'source' | 'medium' | 'campaign' }): Promise<Sources> {
      const period = range(query);
      return { ...period, groupBy: query.groupBy, rows: sourceRows(await store.rows('sources', period), query.groupBy) };
    },

    /** The campaign's counts in the range: from its creation day (at most two years back) to today unless said. */
    async campaign(campaignId: string, query: RangeQuery): Promise<CampaignAnalytics> {
      const createdAt = await catalogue.campaignCreatedAt(campaignId);
      if (!createdAt) throw new NotFound(`There is no campaign ${campaignId}.`);
      const to = query.to ?? today();
      const earliest = addDays(to, -(MAX_RANGE_DAYS - 1));
      const created = createdAt.slice(0, 10);
      const period = rangeOf({ from: query.from ?? (created > earliest ? (created < to ? created : to) : earliest), to }, today());
      return { ...period, campaignId, ...campaignSummary(sumAll(await store.rows(`campaign#${campaignId}`, period))) };
    },

    async job(jobId: string, query: RangeQuery): Promise<JobAnalytics> {
      const period = range(query);
      if (!(await catalogue.jobExists(jobId))) throw new NotFound(`There is no job ${jobId}.`);
      const [rows, meta] = await Promise.all([store.rows(`job#${jobId}`, period), store.jobMeta(jobId)]);
      return { ...period, jobId, ...jobSummary(rows, meta) };
    },

    async hiringEvent(hiringEventId: string, query: RangeQuery): Promise<EventAnalytics> {
      const period = range(query);
      if (!(await catalogue.hiringEventExists(hiringEventId))) throw new NotFound(`There is no hiring event ${hiringEventId}.`);
      return { ...period, hiringEventId, ...eventSummary(sumAll(await store.rows(`event#${hiringEventId}`, period))) };
    },

    async overview(query: RangeQuery & { groupBy: Interval }): Promise<Overview> {
      const period = range(query);
      const [rows, pool] = await Promise.all([store.rows('overview', period), store.pool()]);
      return { ...period, groupBy: query.groupBy, ...overviewSummary(sumAll(rows), poolSummary(pool, today())), series: overviewSeries(rows, period, query.groupBy) };
    },
  };
  return service;
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
  /** The overview's series becomes `series.<period>.<metric>` rows. */
  overview: (o: Overview) => csvTables.record({ ...o, series: Object.fromEntries(o.series.map(({ period, ...counts }) => [period, counts])) }),
  /** Everything else is one record: a metric per row, nested names joined with dots. */
  record: (value: Record<string, unknown>) => ({ header: ['metric', 'value'], rows: flatten(value) }),
};

function flatten(value: Record<string, unknown>, prefix = ''): unknown[][] {
  return Object.entries(value).flatMap(([name, v]) =>
    v !== null && typeof v === 'object' ? flatten(v as Record<string, unknown>, `${prefix}${name}.`) : [[`${prefix}${name}`, v]],
  );
}
