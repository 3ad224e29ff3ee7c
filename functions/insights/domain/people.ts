import { EMAIL_CONSENT, type ConsentRecord } from '../../../shared/consents.ts';

/** The consent purpose consent coverage measures: the one campaign email needs. */
export const COVERAGE_PURPOSE = EMAIL_CONSENT;
/** A consent with no expiry, as counted. */
export const NEVER = 'never';

/** What the analytics read of a person's profile, now (undefined: erased or merged away). */
export interface ProfileFacts {
  status: string;
  sourceType?: string;
  createdAt: string;
  /** When their current `marketing-email` consent lapses (`never`), or undefined when they have none. */
  consentUntil?: string;
}

/** A membership entry: in (entered) or out (left) since `at`; only a later fact replaces it. */
export interface Membership {
  in: boolean;
  at: string;
}

/** What the analytics remember of a person to count them once per stage and attribute later stages. */
export interface PersonState {
  /** Milestones reached: `<stage>`, `<stage>@campaign:<id>`, `<stage>@job:<id>`, `<stage>@segment:<id>`, per-application and per-mail facts. */
  flags: ReadonlySet<string>;
  /** Campaigns that emailed the person: campaign id → the latest time. */
  reached: Readonly<Record<string, string>>;
  /** Segments the person is in or left: segment id → membership. */
  segments: Readonly<Record<string, Membership>>;
  /** Hiring events the person attended: hiring event id → when. */
  attended: Readonly<Record<string, string>>;
  /** When they first reached each funnel stage: a campaign, segment or hiring event learnt of later still gets the stages after it. */
  stageAt: Readonly<Record<string, string>>;
  /** 0 when nothing is stored yet; every write checks it and moves it on. */
  version: number;
}

/** How a person is counted in the pool's running totals (kept outside their partition, so an erasure can take them out). */
export interface MemberState {
  status: string;
  consentUntil?: string;
  createdAt: string;
  /** The latest interaction between the person and the team (or their creation). */
  lastTouchAt: string;
  community: boolean;
  version: number;
}

export const emptyPerson = (): PersonState => ({ flags: new Set(), reached: {}, segments: {}, attended: {}, stageAt: {}, version: 0 });

/** The latest record for the purpose counts; an expired one counts as none (as shared/consents.ts `hasConsent` decides). */
export function consentUntil(consents: readonly ConsentRecord[], now: string): string | undefined {
  const latest = consents.filter((c) => c.purpose === COVERAGE_PURPOSE).sort((a, b) => a.recordedAt.localeCompare(b.recordedAt)).at(-1);
  if (!latest?.granted) return undefined;
  if (!latest.expiresAt) return NEVER;
  return Date.parse(latest.expiresAt) > Date.parse(now) ? new Date(latest.expiresAt).toISOString() : undefined;
}

/** The membership the profile calls for, carrying forward the touches and the community sign-up counted so far. */
export function targetMember(profile: ProfileFacts, counted: MemberState | undefined, change: { touchAt?: string; community?: boolean }): Omit<MemberState, 'version'> {
  const times = [profile.createdAt, counted?.lastTouchAt, change.touchAt].filter((t): t is string => t !== undefined);
  return {
    status: profile.status,
    ...(profile.consentUntil ? { consentUntil: profile.consentUntil } : {}),
    createdAt: profile.createdAt,
    lastTouchAt: times.reduce((a, b) => (b > a ? b : a)),
    community: Boolean(counted?.community || change.community),
  };
}

export const sameMember = (a: Omit<MemberState, 'version'> | undefined, b: Omit<MemberState, 'version'> | undefined) =>
  a?.status === b?.status && a?.consentUntil === b?.consentUntil && a?.createdAt === b?.createdAt && a?.lastTouchAt === b?.lastTouchAt && a?.community === b?.community;

/** Whole seconds from creation to the latest touch: the relationship's length. */
export const relationshipSeconds = (m: Omit<MemberState, 'version'>) => Math.max(0, Math.round((Date.parse(m.lastTouchAt) - Date.parse(m.createdAt)) / 1000));

/** Pool rows (SK) and their counters. */
export const poolRows = {
  status: (status: string) => `STATUS#${status}`,
  consented: 'CONSENTED',
  /** One row a month, a counter a day (`d05`): the pool read grows by twelve rows a year, not 365. */
  lapse: (until: string) => `LAPSE#${until.slice(0, 7)}`,
  relationships: 'RELATIONSHIP',
  community: 'COMMUNITY',
};

/**
 * The pool counters that move when a person's membership goes from one state to another (either may be absent:
 * joining, leaving). A consent is counted in CONSENTED and, when it expires, on its day in LAPSE#<month> (counter
 * d<dd>): the
 * coverage on a day is CONSENTED minus the lapses up to that day, so time passing needs no write.
 */
export function membershipChanges(from: Omit<MemberState, 'version'> | undefined, to: Omit<MemberState, 'version'> | undefined): { row: string; add: Record<string, number> }[] {
  const changes: { row: string; add: Record<string, number> }[] = [];
  const move = (row: string, name: string, delta: number) => delta && changes.push({ row, add: { [name]: delta } });
  if (from?.status !== to?.status) {
    if (from) move(poolRows.status(from.status), 'count', -1);
    if (to) move(poolRows.status(to.status), 'count', 1);
  }
  if (from?.consentUntil !== to?.consentUntil) {
    for (const [until, delta] of [[from?.consentUntil, -1], [to?.consentUntil, 1]] as const) {
      if (!until) continue;
      move(poolRows.consented, 'count', delta);
      if (until !== NEVER) move(poolRows.lapse(until), `d${until.slice(8, 10)}`, delta);
    }
  }
  move(poolRows.relationships, 'seconds', (to ? relationshipSeconds(to) : 0) - (from ? relationshipSeconds(from) : 0));
  move(poolRows.community, 'count', Number(Boolean(to?.community)) - Number(Boolean(from?.community)));
  return changes;
}
