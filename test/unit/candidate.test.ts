import { describe, expect, it } from 'vitest';
import { matchesFilter, newCandidate, patchCandidate, searchTerms, withTag } from '../../functions/candidates/domain/candidate.ts';
import { aCandidate } from '../fixtures/builders.ts';

const now = '2026-11-25T10:00:00.000Z';

describe('a new candidate', () => {
  it('starts passive, manually sourced, at version 1, with empty lists', () => {
    const candidate = newCandidate({ email: 'ada@example.com' }, 'cand_1', now);
    expect(candidate).toMatchObject({ status: 'passive', source: { type: 'manual' }, version: 1, tags: [], pools: [], skills: [], createdAt: now });
  });

  it('stamps each consent with the time it was recorded', () => {
    const candidate = newCandidate({ email: 'a@example.com', consents: [{ purpose: 'marketing-email', granted: true }] }, 'cand_1', now);
    expect(candidate.consents).toEqual([{ purpose: 'marketing-email', granted: true, recordedAt: now }]);
  });
});

describe('patching a candidate', () => {
  it('clears a field sent as null and reports it changed', () => {
    const { candidate, changed } = patchCandidate(aCandidate({ headline: 'Engineer' }), { headline: null }, now);
    expect(candidate.headline).toBeUndefined();
    expect(changed).toEqual(['headline']);
  });

  it('bumps the version only when something really changed', () => {
    const before = aCandidate({ firstName: 'Ada' });
    expect(patchCandidate(before, { firstName: 'Ada' }, now)).toEqual({ candidate: before, changed: [] });
    expect(patchCandidate(before, { firstName: 'Grace' }, now).candidate.version).toBe(2);
  });

  it('leaves the candidate as it is when the tag is already there', () => {
    const tagged = aCandidate({ tags: ['java'] });
    expect(withTag(tagged, 'java', now)).toBe(tagged);
  });
});

describe('search', () => {
  it('matches names by prefix regardless of accents and case', () => {
    const candidate = aCandidate({ firstName: 'José', lastName: 'Núñez', email: 'jn@example.com' });
    expect(searchTerms(candidate)).toEqual(['jn@example.com', 'jose', 'nunez', 'jose nunez']);
    expect(matchesFilter(candidate, { q: 'NÚÑ' })).toBe(true);
    expect(matchesFilter(candidate, { q: 'jose n' })).toBe(true);
    expect(matchesFilter(candidate, { q: 'ez' })).toBe(false);
  });

  it('requires every filter to hold when filters are combined', () => {
    const candidate = aCandidate({ tags: ['java'], status: 'active', location: { country: 'DE' } });
    expect(matchesFilter(candidate, { tag: 'java', status: 'active', country: 'DE' })).toBe(true);
    expect(matchesFilter(candidate, { tag: 'java', status: 'passive' })).toBe(false);
  });
});
