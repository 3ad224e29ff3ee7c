import { PROFILING } from '../../../shared/consents.ts';
import type { Candidate } from '../../candidates/schemas.ts';
import type { RetentionSettings } from '../schemas.ts';
import { addDays, addMonths, consentExpiry, latestPerPurpose } from './consents.ts';

/** What the rule reads of a person. */
export type RetentionProfile = Pick<Candidate, 'id' | 'consents' | 'applications' | 'lastActivityAt' | 'createdAt'>;

/** An application still in one of these needs the person's data for the process itself, whatever the rule says. */
const closedApplication = new Set(['hired', 'rejected', 'withdrawn']);

/** The last activity (touchpoint, reply, application) or, for someone never active, when they were added. */
export const lastActiveOf = (person: Pick<RetentionProfile, 'lastActivityAt' | 'createdAt'>): string =>
  person.lastActivityAt && person.lastActivityAt > person.createdAt ? person.lastActivityAt : person.createdAt;

/**
 * Whether the person holds a granted consent, for any purpose, that has not lapsed: a record without an expiry
 * (given before expiries were kept) lapses its purpose's period after it was recorded.
 */
export function hasValidConsent(person: Pick<RetentionProfile, 'consents'>, settings: Pick<RetentionSettings, 'consentMonths'>, now: string): boolean {
  return [...latestPerPurpose(person.consents).values()].some((record) => {
    // A `profiling` grant only lifts an objection to being ranked for jobs: it is no reason to keep anything longer.
    if (record.purpose === PROFILING) return false;
    const expiry = record.expiresAt ?? consentExpiry(record, record.recordedAt, settings);
    return record.granted && expiry !== undefined && Date.parse(expiry) > Date.parse(now);
  });
}

/** Last activity before this makes someone without valid consent due; before `withConsent`, anyone. */
export function retentionCutoffs(settings: Pick<RetentionSettings, 'inactiveMonths' | 'communityMonths'>, now: string) {
  const withoutConsent = addMonths(now, -settings.inactiveMonths);
  const withConsent = addMonths(now, -settings.communityMonths);
  /** The index is read up to the later of the two: whoever is inactive since then may be due. */
  return { withoutConsent, withConsent, latest: withoutConsent > withConsent ? withoutConsent : withConsent };
}

/** Whether the rule selects the person: inactive past their limit, and no application in progress. */
export function isDue(person: RetentionProfile, settings: RetentionSettings, now: string): boolean {
  if (person.applications.some((application) => !closedApplication.has(application.status))) return false;
  const { withoutConsent, withConsent } = retentionCutoffs(settings, now);
  return Date.parse(lastActiveOf(person)) < Date.parse(hasValidConsent(person, settings, now) ? withConsent : withoutConsent);
}

/**
 * `keep`: the rule does not select them. `warn`: the team is told first. `wait`: warned less than `warningDays` ago.
 * `erase`: warned at least `warningDays` ago and still selected.
 */
export type RetentionDecision = 'keep' | 'warn' | 'wait' | 'erase';

/**
 * What the rule does with the person today. A warning counts only if it came after their last activity and fell
 * due no longer than one warning period ago: someone active since, or left alone while the mode was dry-run, is
 * warned again before being erased.
 */
export function retentionDecision(person: RetentionProfile, warnedAt: string | undefined, settings: RetentionSettings, now: string): RetentionDecision {
  if (!isDue(person, settings, now)) return 'keep';
  const warned = warnedAt === undefined ? undefined : Date.parse(warnedAt);
  const daysAgo = (days: number) => Date.parse(addDays(now, -days));
  if (warned === undefined || warned < Date.parse(lastActiveOf(person)) || warned <= daysAgo(2 * settings.warningDays)) return 'warn';
  return warned <= daysAgo(settings.warningDays) ? 'erase' : 'wait';
}
