import { InvalidInput } from '../../../shared/errors.ts';
import { COVERAGE_PURPOSE, poolRows } from './people.ts';
import { stages, type Stage } from './rollups.ts';

/** A rollup row as read: its dimension value and counters. */
export interface RollupRow {
  day: string;
  dimension: string;
  counters: Record<string, number>;
}

export interface DayRange {
  from: string;
  to: string;
}

const DAY_MS = 86_400_000;
/** Two years, a leap day included. */
export const MAX_RANGE_DAYS = 731;
const DEFAULT_RANGE_DAYS = 30;

export const addDays = (day: string, days: number) => new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);

/** The days a read covers (inclusive, UTC): the last 30 days unless said; 400 naming the parameter when inverted or over two years. */
export function rangeOf(query: { from?: string; to?: string }, today: string): DayRange {
  const to = query.to ?? today;
  const from = query.from ?? addDays(to, -(DEFAULT_RANGE_DAYS - 1));
  if (from > to) throw new InvalidInput('`from` is after `to`.', [{ path: 'query.from', message: 'after to' }]);
  const days = (Date.parse(to) - Date.parse(from)) / DAY_MS + 1;
  if (days > MAX_RANGE_DAYS) throw new InvalidInput('The range is over two years.', [{ path: 'query.to', message: `at most ${MAX_RANGE_DAYS} days after from` }]);
  return { from, to };
}

/** A share, or null when there is nothing to divide by (no "0 %" for an empty denominator). */
export const rate = (part: number, whole: number): number | null => (whole > 0 ? Math.round((part / whole) * 10_000) / 10_000 : null);

/** Sums the counters of rows by dimension value (`key` maps a row's dimension to the group it belongs to). */
export function totalsBy(rows: readonly RollupRow[], key: (dimension: string) => string = (d) => d): Map<string, Record<string, number>> {
  const totals = new Map<string, Record<string, number>>();
  for (const row of rows) {
    const k = key(row.dimension);
    const sum = totals.get(k) ?? {};
    for (const [name, value] of Object.entries(row.counters)) sum[name] = (sum[name] ?? 0) + value;
    totals.set(k, sum);
  }
  return totals;
}

export const sumAll = (rows: readonly RollupRow[]) => totalsBy(rows, () => 'all').get('all') ?? {};

export interface FunnelRow {
  key: string;
  stages: Record<Stage, number>;
  /** Each stage over the one before it (`engaged` is engaged / contacted, …); null when the earlier stage is 0. */
  conversion: Record<Exclude<Stage, 'contacted'>, number | null>;
  /** Hired over the first stage with people in it. */
  overall: number | null;
}

export function funnelRow(key: string, counters: Record<string, number>): FunnelRow {
  const counts = Object.fromEntries(stages.map((s) => [s, counters[s] ?? 0])) as Record<Stage, number>;
  const conversion = Object.fromEntries(stages.slice(1).map((s, i) => [s, rate(counts[s], counts[stages[i]!])])) as FunnelRow['conversion'];
  const first = stages.find((s) => counts[s] > 0);
  return { key, stages: counts, conversion, overall: first ? rate(counts.hired, counts[first]) : null };
}

export interface SourceRow {
  key: string;
  applications: number;
  hires: number;
  hireRate: number | null;
}

/** Applications and hires by UTM source, medium or campaign (the row dimension is `source|medium|campaign`). */
export function sourceRows(rows: readonly RollupRow[], by: 'source' | 'medium' | 'campaign'): SourceRow[] {
  const index = { source: 0, medium: 1, campaign: 2 }[by];
  return [...totalsBy(rows, (d) => d.split('|')[index] ?? '-')]
    .map(([key, c]) => ({ key, applications: c.applications ?? 0, hires: c.hires ?? 0, hireRate: rate(c.hires ?? 0, c.applications ?? 0) }))
    .sort((a, b) => b.applications - a.applications || a.key.localeCompare(b.key));
}

export type Reputation = 'ok' | 'warning' | 'at-risk';

/** SES reputation: bounce rate ≥ 5 % warns and ≥ 10 % puts sending at risk; complaints at 0.1 % and 0.5 %. */
export function reputationOf(value: number | null, warn: number, atRisk: number): Reputation {
  if (value === null) return 'ok';
  return value >= atRisk ? 'at-risk' : value >= warn ? 'warning' : 'ok';
}

export interface CampaignCounts {
  sent: number;
  delivered: number;
  bounced: number;
  complained: number;
  opened: { human: number; machine: number };
  clicked: number;
  replied: number;
  applied: number;
  unsubscribed: number;
}

/** Delivery, bounce and complaint over sent (as SES computes them); engagement over delivered. */
export function campaignRates(c: CampaignCounts) {
  const bounce = rate(c.bounced, c.sent);
  const complaint = rate(c.complained, c.sent);
  return {
    delivery: rate(c.delivered, c.sent),
    humanOpen: rate(c.opened.human, c.delivered),
    machineOpen: rate(c.opened.machine, c.delivered),
    click: rate(c.clicked, c.delivered),
    reply: rate(c.replied, c.delivered),
    apply: rate(c.applied, c.delivered),
    unsubscribe: rate(c.unsubscribed, c.delivered),
    bounce,
    complaint,
    reputation: { bounce: reputationOf(bounce, 0.05, 0.1), complaint: reputationOf(complaint, 0.001, 0.005) },
  };
}

/** A job's applications by source, offers and their acceptance, and days from its first application to its first hire. */
export function jobSummary(rows: readonly RollupRow[], meta: { firstApplicationAt?: string; filledAt?: string }) {
  const bySource = [...totalsBy(rows.filter((r) => r.dimension.startsWith('source:')), (d) => d.slice('source:'.length))]
    .map(([source, c]) => ({ source, applications: c.applications ?? 0 }))
    .sort((a, b) => b.applications - a.applications || a.source.localeCompare(b.source));
  const all = sumAll(rows.filter((r) => r.dimension === 'all'));
  const accepted = all.offersAccepted ?? 0;
  const declined = all.offersDeclined ?? 0;
  const filled = meta.firstApplicationAt && meta.filledAt ? Math.round(((Date.parse(meta.filledAt) - Date.parse(meta.firstApplicationAt)) / DAY_MS) * 10) / 10 : null;
  return {
    applications: bySource.reduce((n, s) => n + s.applications, 0),
    applicationsBySource: bySource,
    offers: all.offers ?? 0,
    offersAccepted: accepted,
    offersDeclined: declined,
    offerAcceptanceRate: rate(accepted, accepted + declined),
    hires: all.hires ?? 0,
    firstApplicationAt: meta.firstApplicationAt ?? null,
    filledAt: meta.filledAt ?? null,
    timeToFillDays: filled,
  };
}

/** RSVPs, attendance and no-shows of a hiring event: a no-show held a seat (confirmed, not cancelled) and was not checked in. */
export function eventSummary(counters: Record<string, number>) {
  const n = (name: string) => counters[name] ?? 0;
  const seatsHeld = Math.max(0, n('confirmed') - n('cancelledConfirmed'));
  const attendedWithRsvp = n('attended') - n('walkIns');
  const noShows = Math.max(0, seatsHeld - attendedWithRsvp);
  return {
    rsvps: { confirmed: n('confirmed'), waitlisted: n('waitlisted'), promotedFromWaitlist: n('promoted'), cancelled: n('cancelledConfirmed') + n('cancelledWaitlisted') },
    seatsHeld,
    attended: n('attended'),
    walkIns: n('walkIns'),
    noShows,
    attendanceRate: rate(attendedWithRsvp, seatsHeld),
    noShowRate: rate(noShows, seatsHeld),
    hiredAttendees: n('hiredAttendees'),
    attendeeHireRate: rate(n('hiredAttendees'), n('attended')),
  };
}

/** The pool's running totals as read: each row (SK) with its counters summed over the shards. */
export type PoolRows = Record<string, Record<string, number>>;

/** Pool by status, people with a current consent (those granted minus those lapsed by today), relationship seconds, community. */
export function poolSummary(rows: PoolRows, today: string) {
  const byStatus: Record<string, number> = {};
  let lapsed = 0;
  for (const [row, counters] of Object.entries(rows)) {
    if (row.startsWith('STATUS#') && counters.count) byStatus[row.slice('STATUS#'.length)] = counters.count;
    if (!row.startsWith('LAPSE#')) continue;
    const month = row.slice('LAPSE#'.length);
    for (const [day, count] of Object.entries(counters)) if (`${month}-${day.slice(1)}` <= today) lapsed += count;
  }
  return {
    byStatus,
    consented: (rows[poolRows.consented]?.count ?? 0) - lapsed,
    relationshipSeconds: rows[poolRows.relationships]?.seconds ?? 0,
    community: rows[poolRows.community]?.count ?? 0,
  };
}
export type PoolSummary = ReturnType<typeof poolSummary>;

const npsOf = (n: (name: string) => number) => {
  const responses = n('npsResponses');
  return {
    responses,
    promoters: n('npsPromoters'),
    passives: n('npsPassives'),
    detractors: n('npsDetractors'),
    score: responses > 0 ? Math.round(((n('npsPromoters') - n('npsDetractors')) / responses) * 1000) / 10 : null,
  };
};

/** Pool, growth, conversion, touchpoints, relationship length, community, consent coverage, replies and NPS (promoters minus detractors, in points over answers to the NPS question). */
export function overviewSummary(counters: Record<string, number>, pool: PoolSummary) {
  const n = (name: string) => counters[name] ?? 0;
  const passivePool = pool.byStatus.passive ?? 0;
  const poolSize = Object.values(pool.byStatus).reduce((a, b) => a + b, 0);
  return {
    poolByStatus: pool.byStatus,
    poolSize,
    touchpoints: n('touchpoints'),
    touchpointsPerCandidate: rate(n('touchpoints'), poolSize),
    averageRelationshipDays: poolSize > 0 ? Math.round((pool.relationshipSeconds / 86_400 / poolSize) * 10) / 10 : null,
    newCandidates: n('newCandidates'),
    passiveToActive: n('passiveToActive'),
    passiveToActiveRate: rate(n('passiveToActive'), passivePool + n('passiveToActive')),
    talentCommunityJoined: n('communityJoined'),
    talentCommunitySize: pool.community,
    consent: { purpose: COVERAGE_PURPOSE, consented: pool.consented, coverage: rate(pool.consented, poolSize) },
    replies: n('replies'),
    unsubscribes: n('unsubscribes'),
    surveyResponses: n('surveyResponses'),
    nps: npsOf(n),
  };
}

export type Interval = 'day' | 'week' | 'month';

/** The period a day falls in: the day, the Monday its ISO week starts on, or `yyyy-mm`. */
export function periodOf(day: string, interval: Interval): string {
  if (interval === 'day') return day;
  if (interval === 'month') return day.slice(0, 7);
  return addDays(day, -((new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7));
}

/** Every period the range touches, oldest first (so a series has a row for quiet periods too). */
export function periodsIn(range: DayRange, interval: Interval): string[] {
  const periods = new Set<string>();
  for (let day = range.from; day <= range.to; day = addDays(day, 1)) periods.add(periodOf(day, interval));
  return [...periods];
}

/** The overview's counters per period: growth of the pool and the talent community, activity and NPS over time. */
export function overviewSeries(rows: readonly RollupRow[], range: DayRange, interval: Interval) {
  const totals = totalsBy(rows.map((r) => ({ ...r, dimension: periodOf(r.day, interval) })));
  return periodsIn(range, interval).map((period) => {
    const c = totals.get(period) ?? {};
    const n = (name: string) => c[name] ?? 0;
    const nps = npsOf(n);
    return {
      period,
      newCandidates: n('newCandidates'),
      passiveToActive: n('passiveToActive'),
      touchpoints: n('touchpoints'),
      talentCommunityJoined: n('communityJoined'),
      replies: n('replies'),
      unsubscribes: n('unsubscribes'),
      surveyResponses: n('surveyResponses'),
      nps: { responses: nps.responses, score: nps.score },
    };
  });
}

/** A campaign's counts in the range, and their rates. */
export function campaignSummary(counters: Record<string, number>) {
  const n = (name: string) => counters[name] ?? 0;
  const counts: CampaignCounts = {
    sent: n('sent'), delivered: n('delivered'), bounced: n('bounced'), complained: n('complained'),
    opened: { human: n('openedHuman'), machine: n('openedMachine') },
    clicked: n('clicked'), replied: n('replied'), applied: n('applied'), unsubscribed: n('unsubscribed'),
  };
  return { counts, rates: campaignRates(counts) };
}
