import type { Delivered } from '../../../shared/events/consumer.ts';
import type { analyticsEvents } from '../api.ts';
import { membershipChanges, sameMember, targetMember, type Membership, type MemberState, type PersonState, type ProfileFacts } from './people.ts';

/**
 * What SES adds to the domain events, once per message: sends (the funnel's `contacted`), deliveries and machine
 * opens (the campaign report's range counts). The consumer of SES events turns its records into these.
 */
export type EmailFact = {
  detailType: 'EmailSent' | 'EmailDelivered' | 'EmailMachineOpened';
  detail: { eventId: string; occurredAt: string; candidateId: string; campaignId: string; step?: number };
};

export type AnalyticsEvent = Delivered<(typeof analyticsEvents)[number]> | EmailFact;

/** The funnel's stages, in order: a person counts in a stage once, the first time they reach it. */
export const stages = ['contacted', 'engaged', 'applied', 'interviewed', 'offered', 'hired'] as const;
export type Stage = (typeof stages)[number];

/** Rollup groups; each is a few partitions (`ANALYTICS#<group>#<shard>`), read with one Query per shard. */
export type Group =
  | `funnel#${'all' | 'source' | 'campaign' | 'job' | 'segment'}`
  | 'sources'
  | 'overview'
  | 'pool'
  | `job#${string}`
  | `event#${string}`
  | `campaign#${string}`;

/** Counters to add to one rollup row: a day and a dimension in a group (the pool has no day: it is a running total). */
export interface Increment {
  group: Group;
  /** `yyyy-mm-dd#<dimension>` (UTC), or a fixed row name for running totals and per-job facts. */
  row: string;
  add: Record<string, number>;
  /** Attributes set once, the first time (e.g. when a job was first applied to). */
  setOnce?: Record<string, string>;
}

/** Who an event is about, now: their profile (undefined when erased or merged away), milestones and pool membership. */
export interface SubjectState {
  profile?: ProfileFacts;
  person: PersonState;
  member?: MemberState;
}

/** The effect of one event on one person: counters to add, milestones to set, memory and membership to write. */
export interface Plan {
  increments: Increment[];
  /** Set together with the increments; the person's item is version-checked, so a concurrent event makes us replan. */
  newFlags: string[];
  /** The attribution memory to write, when it changed. */
  memory?: Pick<PersonState, 'reached' | 'segments' | 'attended' | 'stageAt'>;
  /** The pool membership to write (null: remove it); absent when unchanged. */
  member?: Omit<MemberState, 'version'> | null;
}

const DAY_MS = 86_400_000;
export const dayOf = (iso: string) => iso.slice(0, 10);
const UNKNOWN = 'unknown';
/** A stage counts for the campaigns that emailed the person within this many days before (as the campaigns context counts applies). */
export const ATTRIBUTION_DAYS = 30;
/**
 * At most this many of each kept per person (the newest): every campaign, segment or hiring event a stage counts for is
 * one more row in its transaction, and a transaction takes 100 actions.
 */
export const MAX_CAMPAIGNS = 20;
export const MAX_SEGMENTS = 20;
export const MAX_ATTENDED = 10;

/** Events that say nothing about a person's milestones or membership: counted without reading the person. */
const personless = new Set<AnalyticsEvent['detailType']>(['RsvpConfirmed', 'RsvpWaitlisted', 'RsvpCancelled', 'EmailDelivered', 'EmailMachineOpened']);
export const needsPerson = (event: AnalyticsEvent) => !personless.has(event.detailType);

/** The people an event is about: a merge (and its undo) changes two. */
export function subjectsOf(event: AnalyticsEvent): string[] {
  if (event.detailType === 'CandidatesMerged' || event.detailType === 'MergeUndone') return [event.detail.candidateId, event.detail.mergedId];
  return [event.detail.candidateId];
}

/** Interactions between the person and the team: each moves the end of their relationship forward. */
function touchOf(event: AnalyticsEvent): string | undefined {
  switch (event.detailType) {
    case 'TouchpointLogged':
    case 'CandidateReplied':
    case 'ApplicationReceived':
    case 'ApplicationStatusChanged':
    case 'EventAttended':
    case 'SurveyAnswered':
    case 'TalentCommunityJoined':
      return event.detail.occurredAt;
    case 'EmailActivity':
      return event.detail.kind === 'opened' || event.detail.kind === 'clicked' ? event.detail.occurredAt : undefined;
    default:
      return undefined;
  }
}

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

/** The newest `limit` entries of a map by their time. */
function newest<T>(entries: Record<string, T>, time: (value: T) => string, limit: number): Record<string, T> {
  return Object.fromEntries(Object.entries(entries).sort(([, a], [, b]) => time(b).localeCompare(time(a))).slice(0, limit));
}

const later = (a: string | undefined, b: string) => (a && a > b ? a : b);

/**
 * Computes what one event changes for one of the people it is about. Pure: the adapter applies the plan in one
 * transaction with the event's dedupe marker, so a redelivered event changes nothing.
 */
export function planFor(event: AnalyticsEvent, subject: string, state: SubjectState): Plan {
  const d = event.detail;
  const day = dayOf(d.occurredAt);
  const increments: Increment[] = [];
  const newFlags: string[] = [];
  const { person, profile } = state;
  const flags = new Set(person.flags);
  const once = (flag: string) => {
    if (flags.has(flag)) return false;
    flags.add(flag);
    newFlags.push(flag);
    return true;
  };
  const add = (group: Group, row: string, counters: Record<string, number>, setOnce?: Record<string, string>) =>
    increments.push({ group, row, add: counters, ...(setOnce ? { setOnce } : {}) });

  if (!needsPerson(event)) return { increments: personlessIncrements(event), newFlags };

  // Someone erased or merged away: their late events count nothing, and they leave the pool's totals if still in them.
  if (!profile) {
    if (!state.member) return { increments: [], newFlags: [] };
    return { increments: membershipChanges(state.member, undefined).map(({ row, add }) => ({ group: 'pool', row, add })), newFlags: [], member: null };
  }

  let reached = { ...person.reached };
  let segments = { ...person.segments };
  let attended = { ...person.attended };
  const stageAt: Record<string, string> = { ...person.stageAt };
  const at = d.occurredAt;
  const source = profile.sourceType ?? UNKNOWN;
  const windowStart = new Date(Date.parse(at) - ATTRIBUTION_DAYS * DAY_MS).toISOString();
  const campaignsAt = () => Object.entries(reached).filter(([, t]) => t >= windowStart && t <= at).map(([id]) => id);
  const segmentsAt = () => Object.entries(segments).filter(([, m]) => m.in && m.at <= at).map(([id]) => id);
  const campaignRow = (campaignId: string, counters: Record<string, number>) => add(`campaign#${campaignId}`, `${day}#all`, counters);

  /** Counts the person in these stages: overall (by their source), per campaign that emailed them, per segment they are in, per job. */
  const reach = (reachedStages: Stage[], scope: { job?: string; campaigns?: string[] }) => {
    const campaigns = [...new Set([...(scope.campaigns ?? []), ...campaignsAt()])];
    const inSegments = segmentsAt();
    for (const stage of reachedStages) {
      if (once(stage)) {
        stageAt[stage] = at;
        add('funnel#all', `${day}#all`, { [stage]: 1 });
        add('funnel#source', `${day}#${source}`, { [stage]: 1 });
      }
      for (const campaign of campaigns) if (once(`${stage}@campaign:${campaign}`)) add('funnel#campaign', `${day}#${campaign}`, { [stage]: 1 });
      for (const segment of inSegments) if (once(`${stage}@segment:${segment}`)) add('funnel#segment', `${day}#${segment}`, { [stage]: 1 });
      if (scope.job && once(`${stage}@job:${scope.job}`)) add('funnel#job', `${day}#${scope.job}`, { [stage]: 1 });
    }
  };
  /** Stages the person reached between the two times, processed before we learnt of what they count for. */
  const reachedBetween = (from: string, to: string) => stages.filter((stage) => stageAt[stage] !== undefined && stageAt[stage]! >= from && stageAt[stage]! <= to);
  const emailed = (campaignId: string) => {
    reached = newest({ ...reached, [campaignId]: later(reached[campaignId], at) }, (t) => t, MAX_CAMPAIGNS);
    const windowEnd = new Date(Date.parse(at) + ATTRIBUTION_DAYS * DAY_MS).toISOString();
    for (const stage of reachedBetween(at, windowEnd)) {
      if (once(`${stage}@campaign:${campaignId}`)) add('funnel#campaign', `${dayOf(stageAt[stage]!)}#${campaignId}`, { [stage]: 1 });
      if (stage === 'applied' && once(`applied|${campaignId}`)) add(`campaign#${campaignId}`, `${dayOf(stageAt[stage]!)}#all`, { applied: 1 });
    }
  };
  let community = false;

  switch (event.detailType) {
    case 'CandidateCreated':
      add('overview', `${day}#all`, { newCandidates: 1 });
      break;
    case 'CandidateUpdated': {
      const { statusFrom, statusTo } = event.detail;
      if (statusFrom === 'passive' && statusTo === 'active' && once('activated')) add('overview', `${day}#all`, { passiveToActive: 1 });
      break;
    }
    case 'ApplicationReceived': {
      const { detail } = event;
      add('sources', `${day}#${utmRow(detail.utm)}`, { applications: 1 });
      if (detail.jobId) {
        add(`job#${detail.jobId}`, `${day}#source:${detail.utm?.source ?? source}`, { applications: 1 });
        add(`job#${detail.jobId}`, 'META', {}, { firstApplicationAt: at });
      }
      // An apply counts for each campaign that emailed them in the month before, once (as the campaign's stats count it).
      for (const campaign of campaignsAt()) if (once(`applied|${campaign}`)) campaignRow(campaign, { applied: 1 });
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
          add(job, 'META', {}, { filledAt: at });
        }
        if (!wasHiredBefore) for (const [hiringEvent, when] of Object.entries(attended)) if (when <= at && once(`hired@event:${hiringEvent}`)) add(`event#${hiringEvent}`, `${day}#all`, { hiredAttendees: 1 });
      }
      // An offer's outcome is the move out of `offer` itself, so events arriving out of order do not change it.
      if (detail.from === 'offer' && job) {
        const outcome = detail.to === 'hired' ? 'offersAccepted' : detail.to === 'rejected' || detail.to === 'withdrawn' ? 'offersDeclined' : undefined;
        if (outcome && once(`closed|${app}`)) add(job, `${day}#all`, { [outcome]: 1 });
      }
      break;
    }
    case 'EmailSent':
      emailed(event.detail.campaignId);
      campaignRow(event.detail.campaignId, { sent: 1 });
      reach(['contacted'], { campaigns: [event.detail.campaignId] });
      break;
    case 'EmailActivity': {
      const { detail } = event;
      emailed(detail.campaignId);
      const mail = `${detail.campaignId}#${detail.step ?? 0}`;
      // A click is an open too (images are often blocked); the campaigns context counts one human open per email either way.
      const opened: Record<string, number> = (detail.kind === 'opened' || detail.kind === 'clicked') && once(`open|${mail}`) ? { openedHuman: 1 } : {};
      if (detail.kind === 'opened') campaignRow(detail.campaignId, opened);
      if (detail.kind === 'clicked') campaignRow(detail.campaignId, { clicked: 1, ...opened });
      if (detail.kind === 'bounced') campaignRow(detail.campaignId, { bounced: 1 });
      if (detail.kind === 'complained') campaignRow(detail.campaignId, { complained: 1 });
      const engaged = detail.kind === 'opened' || detail.kind === 'clicked';
      reach(engaged ? ['contacted', 'engaged'] : ['contacted'], { campaigns: [detail.campaignId] });
      break;
    }
    case 'TouchpointLogged':
      add('overview', `${day}#all`, { touchpoints: 1 });
      break;
    case 'CandidateReplied': {
      const { campaignId } = event.detail;
      add('overview', `${day}#all`, { replies: 1 });
      if (campaignId && once(`replied|${campaignId}`)) campaignRow(campaignId, { replied: 1 });
      break;
    }
    case 'CandidateUnsubscribed': {
      const { campaignId, via } = event.detail;
      add('overview', `${day}#all`, { unsubscribes: 1 });
      // A complaint is counted as a complaint; the campaign's unsubscribes are the link's (as its stats count them).
      if (campaignId && via === 'unsubscribe' && once(`unsubscribed|${campaignId}`)) campaignRow(campaignId, { unsubscribed: 1 });
      break;
    }
    case 'TalentCommunityJoined':
      add('overview', `${day}#all`, { communityJoined: 1 });
      community = true;
      break;
    case 'EventAttended': {
      const { detail } = event;
      if (!once(`attended|${detail.hiringEventId}`)) break;
      add(`event#${detail.hiringEventId}`, `${day}#all`, detail.walkIn ? { attended: 1, walkIns: 1 } : { attended: 1 });
      attended = newest({ ...attended, [detail.hiringEventId]: at }, (t) => t, MAX_ATTENDED);
      if (stageAt.hired && stageAt.hired >= at && once(`hired@event:${detail.hiringEventId}`)) add(`event#${detail.hiringEventId}`, `${dayOf(stageAt.hired)}#all`, { hiredAttendees: 1 });
      break;
    }
    case 'SurveyAnswered': {
      const score = event.detail.npsScore;
      const band = score === undefined ? undefined : score >= 9 ? 'npsPromoters' : score >= 7 ? 'npsPassives' : 'npsDetractors';
      add('overview', `${day}#all`, { surveyResponses: 1, ...(band ? { [band]: 1, npsResponses: 1 } : {}) });
      break;
    }
    case 'SegmentEntered':
    case 'SegmentLeft': {
      const { segmentId } = event.detail;
      const known = segments[segmentId];
      // Only a later fact replaces an earlier one, so an entry and an exit delivered out of order end as they happened.
      if (!known || known.at < at) segments = newest({ ...segments, [segmentId]: { in: event.detailType === 'SegmentEntered', at } }, (m: Membership) => m.at, MAX_SEGMENTS);
      if (event.detailType === 'SegmentEntered' && segments[segmentId]?.in) {
        for (const stage of reachedBetween(at, '\uffff')) if (once(`${stage}@segment:${segmentId}`)) add('funnel#segment', `${dayOf(stageAt[stage]!)}#${segmentId}`, { [stage]: 1 });
      }
      break;
    }
    default:
      // Created, merged, undone or erased: only the membership below changes.
      break;
  }

  // The pool's running totals follow the profile as it is now, whatever the event: out-of-order events converge.
  const target = targetMember(profile, state.member, { touchAt: touchOf(event), community });
  // Applying makes a passive person active (and a hire, hired) without a CandidateUpdated: the pool's move tells it.
  if (state.member?.status === 'passive' && (target.status === 'active' || target.status === 'hired') && once('activated')) add('overview', `${day}#all`, { passiveToActive: 1 });
  const memberChanged = !sameMember(state.member, target);
  if (memberChanged) for (const { row, add: counters } of membershipChanges(state.member, target)) add('pool', row, counters);
  const memoryChanged = JSON.stringify([reached, segments, attended, stageAt]) !== JSON.stringify([person.reached, person.segments, person.attended, person.stageAt]);
  return {
    increments: merged(increments),
    newFlags,
    ...(memoryChanged ? { memory: { reached, segments, attended, stageAt } } : {}),
    ...(memberChanged ? { member: target } : {}),
  };
}

/** Counters that need nothing of the person: RSVPs, and what SES tells of each campaign email. */
function personlessIncrements(event: AnalyticsEvent): Increment[] {
  const day = dayOf(event.detail.occurredAt);
  switch (event.detailType) {
    case 'RsvpConfirmed':
      return [{ group: `event#${event.detail.hiringEventId}`, row: `${day}#all`, add: { confirmed: 1, ...(event.detail.via === 'waitlist' ? { promoted: 1 } : {}) } }];
    case 'RsvpWaitlisted':
      return [{ group: `event#${event.detail.hiringEventId}`, row: `${day}#all`, add: { waitlisted: 1 } }];
    case 'RsvpCancelled':
      return [{ group: `event#${event.detail.hiringEventId}`, row: `${day}#all`, add: { [event.detail.was === 'confirmed' ? 'cancelledConfirmed' : 'cancelledWaitlisted']: 1 } }];
    case 'EmailDelivered':
      return [{ group: `campaign#${event.detail.campaignId}`, row: `${day}#all`, add: { delivered: 1 } }];
    case 'EmailMachineOpened':
      return [{ group: `campaign#${event.detail.campaignId}`, row: `${day}#all`, add: { openedMachine: 1 } }];
    default:
      return [];
  }
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
  return [...byRow.values()].filter((inc) => inc.setOnce || Object.values(inc.add).some((v) => v !== 0));
}
