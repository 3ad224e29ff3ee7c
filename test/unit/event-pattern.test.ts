import { describe, expect, it } from 'vitest';
import { matchesPattern } from '../../infra/local/event-pattern.ts';

const event = {
  source: 'talent-relay.candidates',
  'detail-type': 'CandidateTagged',
  detail: { tag: 'java', score: 42, tags: ['java', 'remote'], location: { country: 'DE' } },
};

describe('the local EventBridge pattern matcher', () => {
  it('matches exact values in the listed fields and ignores the others', () => {
    expect(matchesPattern({ source: ['talent-relay.candidates'], 'detail-type': ['CandidateTagged', 'CandidateCreated'] }, event)).toBe(true);
    expect(matchesPattern({ 'detail-type': ['CandidateCreated'] }, event)).toBe(false);
  });

  it('matches nested fields, and an array field when any element matches', () => {
    expect(matchesPattern({ detail: { location: { country: ['DE'] }, tags: ['remote'] } }, event)).toBe(true);
    expect(matchesPattern({ detail: { location: { country: ['FR'] } } }, event)).toBe(false);
  });

  it('supports prefix, suffix, anything-but, exists and numeric ranges', () => {
    expect(matchesPattern({ source: [{ prefix: 'talent-relay.' }] }, event)).toBe(true);
    expect(matchesPattern({ 'detail-type': [{ suffix: 'Tagged' }] }, event)).toBe(true);
    expect(matchesPattern({ detail: { tag: [{ 'anything-but': ['java'] }] } }, event)).toBe(false);
    expect(matchesPattern({ detail: { missing: [{ exists: false }], tag: [{ exists: true }] } }, event)).toBe(true);
    expect(matchesPattern({ detail: { score: [{ numeric: ['>', 40, '<=', 42] }] } }, event)).toBe(true);
    expect(matchesPattern({ detail: { score: [{ numeric: ['<', 40] }] } }, event)).toBe(false);
  });

  it('matches when any $or alternative does', () => {
    expect(matchesPattern({ $or: [{ source: ['other'] }, { detail: { tag: ['java'] } }] }, event)).toBe(true);
  });
});
