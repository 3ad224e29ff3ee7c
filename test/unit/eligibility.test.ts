import { describe, expect, it } from 'vitest';
import { skipReason } from '../../functions/campaigns/domain/eligibility.ts';
import { EMAIL_CONSENT, hasConsent } from '../../shared/consents.ts';
import type { Contact } from '../../functions/campaigns/domain/ports.ts';

type Profile = NonNullable<Contact['profile']>;
type Consent = Profile['consents'][number];

const now = '2026-11-25T12:00:00.000Z';
const daysAgo = (days: number) => new Date(Date.parse(now) - days * 86_400_000).toISOString();
const daysAhead = (days: number) => daysAgo(-days);

const aConsent = (overrides: Partial<Consent> = {}): Consent => ({ purpose: EMAIL_CONSENT, granted: true, recordedAt: daysAgo(100), ...overrides });
const aProfile = (overrides: Partial<Profile> = {}): Profile => ({
  email: 'ada.lovelace@example.com',
  firstName: 'Ada',
  lastName: 'Lovelace',
  status: 'active',
  skills: ['typescript'],
  consents: [aConsent()],
  ...overrides,
});
/** A person who may be emailed, unless the overrides say otherwise. */
const aContact = (overrides: Partial<Contact> = {}): Contact => ({ candidateId: 'cand_01JDX5Q9S3P5W7V9X1Z3B5D7F9', profile: aProfile(), ...overrides });

describe('why a person is skipped', () => {
  it('finds no reason to skip a consenting, reachable person', () => {
    expect(skipReason(aContact(), 'nurture', now)).toBeUndefined();
  });

  it('skips an erased person, whose profile is gone', () => {
    expect(skipReason(aContact({ profile: undefined }), 'nurture', now)).toBe('erased');
  });

  it('treats a contact that could not be read at all as erased', () => {
    expect(skipReason(undefined, 'nurture', now)).toBe('erased');
  });

  it('skips a person without an email address', () => {
    expect(skipReason(aContact({ profile: aProfile({ email: '' }) }), 'nurture', now)).toBe('no-address');
  });

  it.each(['bounce', 'complaint', 'manual'] as const)('skips an address suppressed for a %s as suppressed', (reason) => {
    expect(skipReason(aContact({ suppressed: reason }), 'nurture', now)).toBe('suppressed');
  });

  it('skips an address that unsubscribed as unsubscribed', () => {
    expect(skipReason(aContact({ suppressed: 'unsubscribe' }), 'nurture', now)).toBe('unsubscribed');
  });

  it('skips a person marked do-not-contact', () => {
    expect(skipReason(aContact({ profile: aProfile({ status: 'do-not-contact' }) }), 'nurture', now)).toBe('do-not-contact');
  });

  it('skips a person who never consented to marketing email', () => {
    expect(skipReason(aContact({ profile: aProfile({ consents: [] }) }), 'nurture', now)).toBe('no-consent');
  });

  it('skips a person who withdrew consent after granting it', () => {
    const consents = [aConsent({ recordedAt: daysAgo(100) }), aConsent({ granted: false, recordedAt: daysAgo(10) })];
    expect(skipReason(aContact({ profile: aProfile({ consents }) }), 'nurture', now)).toBe('no-consent');
  });

  it('skips a person whose consent has expired', () => {
    const consents = [aConsent({ expiresAt: daysAgo(1) })];
    expect(skipReason(aContact({ profile: aProfile({ consents }) }), 'nurture', now)).toBe('no-consent');
  });

  it('skips a person who turned the campaign’s topic off', () => {
    const preferences = { topics: { nurture: false }, frequency: 'any' as const };
    expect(skipReason(aContact({ preferences }), 'nurture', now)).toBe('topic-off');
  });

  it('emails a person who turned off only other topics', () => {
    const preferences = { topics: { newsletter: false, events: false }, frequency: 'any' as const };
    expect(skipReason(aContact({ preferences }), 'nurture', now)).toBeUndefined();
  });

  it('holds back a weekly reader emailed 3 days ago', () => {
    const contact = aContact({ preferences: { topics: {}, frequency: 'weekly' }, lastEmailedAt: daysAgo(3) });
    expect(skipReason(contact, 'nurture', now)).toBe('frequency-cap');
  });

  it('emails a weekly reader last emailed 8 days ago', () => {
    const contact = aContact({ preferences: { topics: {}, frequency: 'weekly' }, lastEmailedAt: daysAgo(8) });
    expect(skipReason(contact, 'nurture', now)).toBeUndefined();
  });

  it('holds back a monthly reader emailed 20 days ago', () => {
    const contact = aContact({ preferences: { topics: {}, frequency: 'monthly' }, lastEmailedAt: daysAgo(20) });
    expect(skipReason(contact, 'nurture', now)).toBe('frequency-cap');
  });

  it('puts no cap on a person who takes any number of emails', () => {
    const contact = aContact({ preferences: { topics: {}, frequency: 'any' }, lastEmailedAt: daysAgo(0) });
    expect(skipReason(contact, 'nurture', now)).toBeUndefined();
  });
});

describe('consent', () => {
  it('counts the latest record, whatever order the records are stored in', () => {
    const consents = [aConsent({ granted: true, recordedAt: daysAgo(5) }), aConsent({ granted: false, recordedAt: daysAgo(50) })];
    expect(hasConsent(consents, EMAIL_CONSENT, now)).toBe(true);
  });

  it('counts a withdrawal that follows a grant', () => {
    const consents = [aConsent({ granted: true, recordedAt: daysAgo(50) }), aConsent({ granted: false, recordedAt: daysAgo(5) })];
    expect(hasConsent(consents, EMAIL_CONSENT, now)).toBe(false);
  });

  it('ignores records for other purposes', () => {
    const consents = [aConsent({ recordedAt: daysAgo(50) }), aConsent({ purpose: 'phone-calls', granted: false, recordedAt: daysAgo(5) })];
    expect(hasConsent(consents, EMAIL_CONSENT, now)).toBe(true);
  });

  it('does not take a grant for another purpose as consent', () => {
    expect(hasConsent([aConsent({ purpose: 'phone-calls' })], EMAIL_CONSENT, now)).toBe(false);
  });

  it('counts a grant that expires in the future', () => {
    expect(hasConsent([aConsent({ expiresAt: daysAhead(30) })], EMAIL_CONSENT, now)).toBe(true);
  });

  it('counts an expired latest grant as none, even with an unexpired older one', () => {
    const consents = [aConsent({ recordedAt: daysAgo(400) }), aConsent({ recordedAt: daysAgo(200), expiresAt: daysAgo(1) })];
    expect(hasConsent(consents, EMAIL_CONSENT, now)).toBe(false);
  });
});
