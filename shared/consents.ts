/**
 * What a person's consent records say now. Records are kept as a history (privacy context, Art. 7(1)); for each
 * purpose the latest one counts. Shared by campaign eligibility and matching, so both read consents one way.
 */
export interface ConsentRecord {
  purpose: string;
  granted: boolean;
  recordedAt: string;
  expiresAt?: string;
}

/** The consent purpose that marketing and nurture email needs (GDPR Art. 6(1)(a), ePrivacy Art. 13). */
export const EMAIL_CONSENT = 'marketing-email';

/**
 * Ranking people for jobs from their profile is profiling (GDPR Art. 4(4)) on legitimate interest (Art. 6(1)(f)):
 * it needs no grant, but a person may object (Art. 21(1)). An objection is a `profiling` record with `granted: false`.
 */
export const PROFILING = 'profiling';

const latestFor = (consents: readonly ConsentRecord[], purpose: string) =>
  consents.filter((c) => c.purpose === purpose).sort((a, b) => a.recordedAt.localeCompare(b.recordedAt)).at(-1);

/** The latest consent record for a purpose counts; an expired one counts as none. */
export function hasConsent(consents: readonly ConsentRecord[], purpose: string, now: string): boolean {
  const latest = latestFor(consents, purpose);
  return latest !== undefined && latest.granted && (latest.expiresAt === undefined || latest.expiresAt > now);
}

/** Whether the person's latest word on profiling is an objection (a later grant lifts it; an objection never lapses). */
export function objectsToProfiling(consents: readonly ConsentRecord[]): boolean {
  return latestFor(consents, PROFILING)?.granted === false;
}
