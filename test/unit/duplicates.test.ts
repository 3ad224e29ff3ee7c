import { describe, expect, it } from 'vitest';
import { canonicalEmail, canonicalName, compare, mergeProfiles } from '../../functions/candidates/domain/duplicates.ts';
import { toE164 } from '../../shared/phone.ts';
import { aCandidate } from '../fixtures/builders.ts';

describe('duplicate match keys', () => {
  it('fold accents, word order and nicknames in names', () => {
    expect(canonicalName({ firstName: 'José', lastName: 'Núñez' })).toBe(canonicalName({ firstName: 'Nunez', lastName: 'jose' }));
    expect(canonicalName({ firstName: 'Bob', lastName: 'Smith' })).toBe(canonicalName({ firstName: 'Robert', lastName: 'Smith' }));
    expect(canonicalName({ firstName: 'Ada' })).toBeUndefined();
  });

  it('reach the same mailbox through case, +tags and Gmail dots', () => {
    expect(canonicalEmail('Ada.Lovelace+jobs@GoogleMail.com')).toBe('adalovelace@gmail.com');
    expect(canonicalEmail('ada.lovelace+x@example.com')).toBe('ada.lovelace@example.com');
  });

  it('write phone numbers in E.164 from international and national forms', () => {
    expect(toE164('+49 (30) 123-4567')).toBe('+49301234567');
    expect(toE164('0049 30 1234567')).toBe('+49301234567');
    expect(toE164('030 1234567', 'DE')).toBe('+49301234567');
    expect(toE164('06 1234 5678', 'IT')).toBe('+390612345678');
    expect(toE164('(415) 555-0100', 'US')).toBe('+14155550100');
    expect(toE164('030 1234567')).toBeUndefined();
  });

  it('score pairs by independent signals and say why', () => {
    const a = aCandidate({ id: 'cand_A', email: 'a@example.com', phone: '+44 20 7946 0000', company: 'Acme' });
    const b = aCandidate({ id: 'cand_B', email: 'b@example.com', phone: '020 7946 0000', company: 'ACME', location: { country: 'GB', city: 'London' } });
    const { score, reasons } = compare(a, b);
    expect(reasons).toEqual([
      'same phone number',
      'same name (allowing accents, order and nicknames) at the same company',
      'same name (allowing accents, order and nicknames) in the same city',
    ]);
    expect(score).toBe(96);
    expect(compare(a, aCandidate({ id: 'cand_C', email: 'c@example.com', firstName: 'Grace', location: { country: 'FR' } })).reasons).toEqual([]);
  });
});

describe('merging two records', () => {
  const older = aCandidate({ id: 'cand_P', email: 'p@example.com', headline: 'Old title', tags: ['a'], updatedAt: '2026-01-01T00:00:00.000Z', createdAt: '2025-01-01T00:00:00.000Z', version: 4 });
  const newer = aCandidate({ id: 'cand_D', email: 'd@example.com', headline: 'New title', phone: '+441234567', tags: ['b'], updatedAt: '2026-06-01T00:00:00.000Z', createdAt: '2026-01-01T00:00:00.000Z' });

  it('keeps the newest non-empty value per field, unites lists and keeps the primary\'s id, email and first creation', () => {
    const merged = mergeProfiles(older, newer, {}, '2026-11-25T00:00:00.000Z');
    expect(merged).toMatchObject({ id: 'cand_P', email: 'p@example.com', headline: 'New title', phone: '+441234567', tags: ['a', 'b'], createdAt: '2025-01-01T00:00:00.000Z', version: 5 });
  });

  it('lets the recruiter choose per field', () => {
    expect(mergeProfiles(older, newer, { headline: 'primary', email: 'duplicate' }, '2026-11-25T00:00:00.000Z')).toMatchObject({ headline: 'Old title', email: 'd@example.com' });
  });
});
