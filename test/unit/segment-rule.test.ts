import { describe, expect, it } from 'vitest';
import { SegmentRule, dependsOnTime, matches, narrowingIndex, type Rule } from '../../functions/candidates/domain/segment-rule.ts';
import { aCandidate } from '../fixtures/builders.ts';

const now = '2026-11-25T12:00:00.000Z';
const ada = aCandidate({
  tags: ['java', 'remote'],
  skills: ['typescript'],
  status: 'active',
  experienceYears: 7,
  location: { country: 'GB', city: 'London' },
  consents: [
    { purpose: 'marketing-email', granted: true, recordedAt: '2026-01-01T00:00:00.000Z' },
    { purpose: 'marketing-email', granted: false, recordedAt: '2026-06-01T00:00:00.000Z' },
  ],
  applications: [{ id: 'app_1', status: 'interview' }],
  custom: { level: 'senior', referrals: 3 },
  lastActivityAt: '2026-11-01T00:00:00.000Z',
  timezone: 'Europe/London',
});
const check = (rule: unknown) => matches(SegmentRule.parse(rule), ada, now);

describe('segment rules', () => {
  it.each([
    [{ field: 'tags', op: 'contains', value: 'JAVA' }, true],
    [{ field: 'tags', op: 'in', value: ['go', 'remote'] }, true],
    [{ field: 'skills', op: 'contains', value: 'rust' }, false],
    [{ field: 'status', op: 'neq', value: 'passive' }, true],
    [{ field: 'location.country', op: 'eq', value: 'gb' }, true],
    [{ field: 'location.city', op: 'contains', value: 'lond' }, true],
    [{ field: 'experienceYears', op: 'gte', value: 7 }, true],
    [{ field: 'experienceYears', op: 'lt', value: 7 }, false],
    [{ field: 'timezone', op: 'exists' }, true],
    [{ field: 'custom.nickname', op: 'exists', value: false }, true],
    [{ field: 'consent.marketing-email', op: 'eq', value: true }, false],
    [{ field: 'applications.status', op: 'in', value: ['interview', 'offer'] }, true],
    [{ field: 'lastActivityDays', op: 'gt', value: 20 }, true],
    [{ field: 'lastActivityDays', op: 'gt', value: 30 }, false],
    [{ field: 'custom.level', op: 'eq', value: 'Senior' }, true],
    [{ field: 'custom.referrals', op: 'gte', value: 3 }, true],
    [{ field: 'custom.missing', op: 'neq', value: 'x' }, true],
  ])('%j is %s for the sample candidate', (rule, expected) => {
    expect(check(rule)).toBe(expected);
  });

  it('combines all, any and not, nested', () => {
    const rule = { all: [{ field: 'tags', op: 'contains', value: 'java' }, { not: { any: [{ field: 'status', op: 'eq', value: 'hired' }, { field: 'experienceYears', op: 'lt', value: 3 }] } }] };
    expect(check(rule)).toBe(true);
    expect(check({ not: rule })).toBe(false);
  });

  it('refuses a rule that is too deep or too long, naming where', () => {
    let deep: unknown = { field: 'status', op: 'eq', value: 'active' };
    for (let i = 0; i < 7; i++) deep = { not: deep };
    expect(SegmentRule.safeParse(deep).error?.issues[0]?.message).toMatch(/nest at most/);
    const long = { any: Array.from({ length: 51 }, () => ({ field: 'status', op: 'eq', value: 'active' })) };
    expect(SegmentRule.safeParse(long).success).toBe(false);
  });

  it('knows which rules age with time, and which index narrows a preview', () => {
    expect(dependsOnTime(SegmentRule.parse({ any: [{ field: 'lastActivityDays', op: 'gt', value: 90 }] }) as Rule)).toBe(true);
    expect(dependsOnTime(SegmentRule.parse({ field: 'tags', op: 'contains', value: 'x' }) as Rule)).toBe(false);
    expect(narrowingIndex(SegmentRule.parse({ all: [{ field: 'experienceYears', op: 'gt', value: 1 }, { field: 'tags', op: 'contains', value: 'Java' }] }))).toEqual({ tag: 'java' });
    expect(narrowingIndex(SegmentRule.parse({ any: [{ field: 'tags', op: 'contains', value: 'java' }] }))).toEqual({});
  });
});
