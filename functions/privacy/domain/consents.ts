import type * as z from 'zod';
import type { Candidate } from '../../candidates/schemas.ts';
import type { ConsentState as ConsentStateSchema, RetentionSettings } from '../schemas.ts';

/** A consent record as the candidate's history stores it. */
export type StoredConsent = Candidate['consents'][number];
type ConsentState = z.output<typeof ConsentStateSchema>;

/** A purpose with no period in the settings lasts this long once granted. */
const DEFAULT_CONSENT_MONTHS = 24;
/** People are asked to renew a consent this many days before it lapses. */
export const RENEWAL_WINDOW_DAYS = 30;

const DAY_MS = 86_400_000;
export const addDays = (iso: string, days: number): string => new Date(Date.parse(iso) + days * DAY_MS).toISOString();

/** The same time of day `months` later, in UTC; the 31st becomes the month's last day when it has fewer. */
export function addMonths(iso: string, months: number): string {
  const from = new Date(iso);
  const target = new Date(from);
  target.setUTCDate(1);
  target.setUTCMonth(from.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(from.getUTCDate(), lastDay));
  return target.toISOString();
}

const periodOf = (purpose: string, settings: Pick<RetentionSettings, 'consentMonths'>) => settings.consentMonths[purpose] ?? DEFAULT_CONSENT_MONTHS;

/** When a consent recorded now lapses: the purpose's period after it was given. A withdrawal does not lapse. */
export function consentExpiry(consent: { purpose: string; granted: boolean }, recordedAt: string, settings: Pick<RetentionSettings, 'consentMonths'>): string | undefined {
  return consent.granted ? addMonths(recordedAt, periodOf(consent.purpose, settings)) : undefined;
}

/** A renewal moves the expiry on by the purpose's period: from the old expiry, or from now if that has passed. */
export function renewedExpiry(consent: StoredConsent, now: string, settings: Pick<RetentionSettings, 'consentMonths'>): string {
  const from = consent.expiresAt && Date.parse(consent.expiresAt) > Date.parse(now) ? consent.expiresAt : now;
  return addMonths(from, periodOf(consent.purpose, settings));
}

const hasLapsed = (consent: Pick<StoredConsent, 'granted' | 'expiresAt'>, now: string): boolean =>
  consent.granted && consent.expiresAt !== undefined && Date.parse(consent.expiresAt) <= Date.parse(now);

/** Oldest first; records made at the same instant keep the order they were stored in. */
function chronological(records: StoredConsent[]): StoredConsent[] {
  return records
    .map((record, position) => ({ record, position }))
    .sort((a, b) => Date.parse(a.record.recordedAt) - Date.parse(b.record.recordedAt) || a.position - b.position)
    .map(({ record }) => record);
}

/** The record that counts for each purpose: its latest. */
export function latestPerPurpose(records: StoredConsent[]): Map<string, StoredConsent> {
  return new Map(chronological(records).map((record) => [record.purpose, record]));
}

/** The history newest first (the proof, Art. 7(1)), and per purpose what counts now: an expired consent counts as none. */
export function consentState(records: StoredConsent[], now: string): ConsentState {
  const current: ConsentState['current'] = {};
  for (const [purpose, record] of latestPerPurpose(records)) {
    current[purpose] = {
      granted: record.granted,
      expired: hasLapsed(record, now),
      recordedAt: record.recordedAt,
      ...(record.expiresAt ? { expiresAt: record.expiresAt } : {}),
    };
  }
  return { items: chronological(records).reverse(), current };
}

/**
 * The granted consents that lapse within the renewal window, oldest expiry first. The schedule asks about those still
 * valid; a renewal link also renews one that lapsed since the email went out, since following it is a fresh, informed
 * consent (Art. 7).
 */
export function renewalsDue(records: StoredConsent[], now: string, options: { includeLapsed?: boolean } = {}): StoredConsent[] {
  const horizon = Date.parse(addDays(now, RENEWAL_WINDOW_DAYS));
  return [...latestPerPurpose(records).values()]
    .filter((record) => record.granted && record.expiresAt !== undefined)
    .filter((record) => Date.parse(record.expiresAt!) <= horizon && (options.includeLapsed || !hasLapsed(record, now)))
    .sort((a, b) => Date.parse(a.expiresAt!) - Date.parse(b.expiresAt!));
}
