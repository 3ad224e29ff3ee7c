import type { Delivered } from '../../../shared/events/consumer.ts';
import type { analyticsEvents } from '../api.ts';

export type AnalyticsEvent = Delivered<(typeof analyticsEvents)[number]>;

/** The funnel's stages, in order: a person counts in a stage once, the first time they reach it. */
export const stages = ['contacted', 'engaged', 'applied', 'interviewed', 'offered', 'hired'] as const;
export type Stage = (typeof stages)[number];

/** Rollup groups; each is one partition (`ANALYTICS#<group>`) read with one Query per range. */
export type Group = `funnel#${'all' | 'source' | 'campaign' | 'job'}` | 'sources' | 'overview' | 'pool' | `job#${string}` | `event#${string}`;

/** Counters to add to one rollup row: a day and a dimension in a group (the pool has no day: it is a running total). */
export interface Increment {
  group: Group;
  /** `yyyy-mm-dd` (UTC), or a fixed row name for running totals and per-job facts. */
  row: string;
  add: Record<string, number>;
  /** Attributes set once, the first time (e.g. when a job was first applied to). */
  setOnce?: Record<string, string>;
}

/** What the analytics keep about one person, to count them once per stage and attribute later stages. */
export interface PersonState {
  /** Milestones reached: `<stage>` overall, `<stage>@campaign:<id>`, `<stage>@job:<id>`, and per-application facts. */
  flags: ReadonlySet<string>;
  source?: string;
  /** Campaigns that reached the person (their later stages count in these campaigns' funnels). */
  campaigns: readonly string[];
  /** Hiring events the person attended. */
  events: readonly string[];
}

export const emptyPerson = (): PersonState => ({ flags: new Set(), campaigns: [], events: [] });

/** The effect of one event: counters to add, milestones to set (each only if not yet set), what to remember. */
export interface Plan {
  increments: Increment[];
  /** Set together with the increments, on condition none was set before (otherwise the plan is recomputed). */
  newFlags: string[];
  remember: { source?: string; campaign?: string; event?: string };
}

export const dayOf = (iso: string) => iso.slice(0, 10);
const UNKNOWN = 'unknown';

/** Stages an application status means: the ladder's later steps imply the earlier ones, so conversions never pass 100 %. */
export function stagesOfStatus(status: string): Stage[] {
  const ladder: Record<string, Stage[]> = {
    applied: ['applied'],
    screening: ['applied'],
    interview: ['applied', 'interviewed'],
    offer: ['applied', 'interviewed', 'offered'],
    hired: ['applied', 'interviewed', 'offered', 'hired'],
  };
  return ladder[status] ?? [];
}

/** The dimension row of the sources rollup: UTM source, medium and campaign (`-` where absent; a `|` inside becomes `/`). */
export const utmRow = (utm: Record<string, string> | undefined) => [utm?.source, utm?.medium, utm?.campaign].map((v) => (v ?? '-').replaceAll('|', '/')).join('|');

/**
 * Computes the counters one event moves, given what is known of the person. Pure: the adapter applies the plan in one
 * transaction with the event's dedupe marker, so a redelivered event changes nothing.
 */
export function planFor(event: AnalyticsEvent, person: PersonState): Plan {
  const d = event.detail;
  const day = dayOf(d.occurredAt);
  const increments: Increment[] = [];
  const newFlags: string[] = [];
  const remember: Plan['remember'] = {};
  const flags = new Set(person.flags);
  const once = (flag: string) => {
    if (flags.has(flag)) return false;
    flags.add(flag);
    newFlags.push(flag);
    return true;
  };
  const add = (group: Group, row: string, counters: Record<string, number>, setOnce?: Record<string, string>) =>
    increments.push({ group, row, add: counters, ...(setOnce ? { setOnce } : {}) });
  const campaigns = new Set(person.campaigns);
  const source = person.source ?? UNKNOWN;

  /** Counts the person in these stages, overall (with their source), per campaign that reached them and per job. */
  const reach = (reached: Stage[], scope: { job?: string; campaigns?: Iterable<string> }) => {
    for (const stage of reached) {
      if (once(stage)) {
        add('funnel#all', `${day}#all`, { [stage]: 1 });
        add('funnel#source', `${day}#${source}`, { [stage]: 1 });
      }
      for (const campaign of scope.campaigns ?? campaigns) if (once(`${stage}@campaign:${campaign}`)) add('funnel#campaign', `${day}#${campaign}`, { [stage]: 1 });
      if (scope.job && once(`${stage}@job:${scope.job}`)) add('funnel#job', `${day}#${scope.job}`, { [stage]: 1 });
    }
  };

  switch (event.detailType) {
    case 'CandidateCreated': {
      const { detail } = event;
      add('overview', `${day}#all`, { newCandidates: 1 });
      add('pool', `STATUS#${detail.status}`, { count: 1 });
      remember.source = detail.sourceType ?? UNKNOWN;
      break;
    }
    case 'CandidateUpdated': {
      const { statusFrom, statusTo } = event.detail;
      if (!statusFrom || !statusTo || statusFrom === statusTo) break;
      add('pool', `STATUS#${statusFrom}`, { count: -1 });
      add('pool', `STATUS#${statusTo}`, { count: 1 });
      if (statusFrom === 'passive' && statusTo === 'active' && once('activated')) add('overview', `${day}#all`, { passiveToActive: 1 });
      break;
    }
    case 'ApplicationReceived': {
      const { detail } = event;
      const appSource = detail.utm?.source ?? source;
      add('sources', `${day}#${utmRow(detail.utm)}`, { applications: 1 });
      if (detail.jobId) {
        add(`job#${detail.jobId}`, `${day}#source:${appSource}`, { applications: 1 });
        add(`job#${detail.jobId}`, 'META', {}, { firstApplicationAt: d.occurredAt });
      }
      reach(['applied'], { job: detail.jobId });
      break;
    }
    case 'ApplicationStatusChanged': {
      const { detail } = event;
      const app = detail.applicationId;
      const wasHiredBefore = flags.has('hired');
      reach(stagesOfStatus(detail.to), { job: detail.jobId });
      const job = detail.jobId ? (`job#${detail.jobId}` as const) : undefined;
      if (detail.to === 'offer' && once(`offer|${app}`) && job) add(job, `${day}#all`, { offers: 1 });
      if (detail.to === 'hired' && once(`hired|${app}`)) {
        add('sources', `${day}#${utmRow(detail.utm)}`, { hires: 1 });
        if (job) {
          add(job, `${day}#all`, { hires: 1 });
          add(job, 'META', {}, { filledAt: d.occurredAt });
        }
        if (!wasHiredBefore) for (const hiringEvent of person.events) add(`event#${hiringEvent}`, `${day}#all`, { hiredAttendees: 1 });
      }
      // An offer's outcome is the move out of `offer` itself, so events arriving out of order do not change it.
      if (detail.from === 'offer' && job) {
        const outcome = detail.to === 'hired' ? 'offersAccepted' : detail.to === 'rejected' || detail.to === 'withdrawn' ? 'offersDeclined' : undefined;
        if (outcome && once(`closed|${app}`)) add(job, `${day}#all`, { [outcome]: 1 });
      }
      break;
    }
    case 'EmailActivity': {
      const { detail } = event;
      remember.campaign = detail.campaignId;
      const engaged = detail.kind === 'opened' || detail.kind === 'clicked';
      reach(engaged ? ['contacted', 'engaged'] : ['contacted'], { campaigns: [detail.campaignId] });
      break;
    }
    case 'TouchpointLogged':
      add('overview', `${day}#all`, { touchpoints: 1 });
      break;
    case 'CandidateReplied':
      add('overview', `${day}#all`, { replies: 1 });
      break;
    case 'CandidateUnsubscribed':
      add('overview', `${day}#all`, { unsubscribes: 1 });
      break;
    case 'TalentCommunityJoined':
      add('overview', `${day}#all`, { communityJoined: 1 });
      break;
    case 'RsvpConfirmed':
      add(`event#${event.detail.hiringEventId}`, `${day}#all`, { confirmed: 1, ...(event.detail.via === 'waitlist' ? { promoted: 1 } : {}) });
      break;
    case 'RsvpWaitlisted':
      add(`event#${event.detail.hiringEventId}`, `${day}#all`, { waitlisted: 1 });
      break;
    case 'RsvpCancelled':
      add(`event#${event.detail.hiringEventId}`, `${day}#all`, { [event.detail.was === 'confirmed' ? 'cancelledConfirmed' : 'cancelledWaitlisted']: 1 });
      break;
    case 'EventAttended': {
      const { detail } = event;
      if (!once(`attended|${detail.hiringEventId}`)) break;
      add(`event#${detail.hiringEventId}`, `${day}#all`, detail.walkIn ? { attended: 1, walkIns: 1 } : { attended: 1 });
      remember.event = detail.hiringEventId;
      break;
    }
    case 'SurveyAnswered': {
      const score = event.detail.npsScore;
      const band = score === undefined ? undefined : score >= 9 ? 'npsPromoters' : score >= 7 ? 'npsPassives' : 'npsDetractors';
      add('overview', `${day}#all`, { surveyResponses: 1, ...(band ? { [band]: 1, npsResponses: 1 } : {}) });
      break;
    }
  }
  return { increments: merged(increments), newFlags, remember };
}

/** One increment per row: a transaction may touch each item once. */
function merged(increments: Increment[]): Increment[] {
  const byRow = new Map<string, Increment>();
  for (const inc of increments) {
    const key = `${inc.group}/${inc.row}`;
    const existing = byRow.get(key);
    if (!existing) {
      byRow.set(key, { ...inc, add: { ...inc.add } });
      continue;
    }
    for (const [name, value] of Object.entries(inc.add)) existing.add[name] = (existing.add[name] ?? 0) + value;
    if (inc.setOnce) existing.setOnce = { ...inc.setOnce, ...existing.setOnce };
  }
  return [...byRow.values()];
}
