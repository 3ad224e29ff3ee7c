import { describe, expect, it } from 'vitest';
import { addEngagement, engagementAt, HALF_LIFE_DAYS } from '../../functions/candidates/domain/engagement.ts';
import { engagementKindOf, engagementService, type EngagementStore } from '../../functions/candidates/domain/engagement-service.ts';
import { matches } from '../../functions/candidates/domain/segment-rule.ts';
import { aCandidate } from '../fixtures/builders.ts';

describe('engagement score', () => {
  it('halves every half-life', () => {
    expect(HALF_LIFE_DAYS).toBe(30);
    const engagement = { score: 8, updatedAt: '2026-01-01T00:00:00.000Z' };
    expect(engagementAt(engagement, '2026-01-31T00:00:00.000Z')).toBe(4);
    expect(engagementAt(engagement, '2026-03-02T00:00:00.000Z')).toBe(2);
  });

  it('adds a later event on top of what decayed until then', () => {
    // A click (3) on 1 Jan, an open (1) 30 days later: 3 × ½ + 1 = 2.5.
    const clicked = addEngagement(undefined, 'clicked', '2026-01-01T00:00:00.000Z');
    expect(addEngagement(clicked, 'opened', '2026-01-31T00:00:00.000Z')).toEqual({ score: 2.5, updatedAt: '2026-01-31T00:00:00.000Z' });
  });

  it('gives the same score whatever order the events arrive in', () => {
    // A reply (8) on 1 Jan and an application (10) on 31 Jan, as of 31 Jan: 8 × ½ + 10 = 14.
    const inOrder = addEngagement(addEngagement(undefined, 'replied', '2026-01-01T00:00:00.000Z'), 'applied', '2026-01-31T00:00:00.000Z');
    const reversed = addEngagement(addEngagement(undefined, 'applied', '2026-01-31T00:00:00.000Z'), 'replied', '2026-01-01T00:00:00.000Z');
    expect(inOrder).toEqual({ score: 14, updatedAt: '2026-01-31T00:00:00.000Z' });
    expect(reversed).toEqual(inOrder);
  });

  it('is 0 for someone never engaged', () => {
    expect(engagementAt(undefined, '2026-01-01T00:00:00.000Z')).toBe(0);
  });

  it('counts human opens and clicks, replies, applications and attendance, and nothing else', () => {
    expect(engagementKindOf({ detailType: 'EmailActivity', detail: { kind: 'clicked' } })).toBe('clicked');
    expect(engagementKindOf({ detailType: 'EmailActivity', detail: { kind: 'bounced' } })).toBeUndefined();
    expect(engagementKindOf({ detailType: 'EventAttended', detail: {} })).toBe('attended');
  });

  it('lets a segment rule compare the decayed score', () => {
    const rule = { field: 'engagementScore', op: 'gte', value: 5 } as const;
    const candidate = aCandidate({ engagement: { score: 8, updatedAt: '2026-01-01T00:00:00.000Z' } });
    expect(matches(rule, candidate, '2026-01-15T00:00:00.000Z')).toBe(true);
    expect(matches(rule, candidate, '2026-01-31T00:00:00.000Z')).toBe(false);
    expect(matches({ field: 'engagementScore', op: 'lt', value: 1 }, aCandidate(), '2026-01-31T00:00:00.000Z')).toBe(true);
  });

  it('adds an event on top of what a concurrent one saved first', async () => {
    const saved: { score: number; updatedAt: string }[] = [];
    let stored = { engagement: { score: 8, updatedAt: '2026-01-01T00:00:00.000Z' }, version: 1 };
    const store: EngagementStore = {
      read: async () => stored,
      async save(_signal, next, expected) {
        // Another event lands between the first read and save.
        if (!saved.length && expected === 1) {
          stored = { engagement: { score: 11, updatedAt: '2026-01-01T00:00:00.000Z' }, version: 2 };
          saved.push(stored.engagement);
          return 'stale';
        }
        saved.push(next);
        return 'saved';
      },
    };
    const outcome = await engagementService({ store }).record({ candidateId: 'cand_1', eventId: 'evt_1', kind: 'opened', occurredAt: '2026-01-01T00:00:00.000Z' });
    expect(outcome).toBe('saved');
    expect(saved.at(-1)).toEqual({ score: 12, updatedAt: '2026-01-01T00:00:00.000Z' });
  });
});
