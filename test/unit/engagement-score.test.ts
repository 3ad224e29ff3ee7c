import { describe, expect, it } from 'vitest';
import { addEngagement, engagementAt, HALF_LIFE_DAYS } from '../../functions/candidates/domain/engagement.ts';
import { engagementCopyOverwritten, onlyEngagementChanged, readsEngagement } from '../../functions/candidates/domain/engagement-copy.ts';
import { engagementKindOf, engagementService, type EngagementSignal, type EngagementStore } from '../../functions/candidates/domain/engagement-service.ts';
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
    const outcome = await engagementService({ store, pause: async () => {} }).record({ candidateId: 'cand_1', eventId: 'evt_1', kind: 'opened', occurredAt: '2026-01-01T00:00:00.000Z' });
    expect(outcome).toBe('saved');
    expect(saved.at(-1)).toEqual({ score: 12, updatedAt: '2026-01-01T00:00:00.000Z' });
  });

  it('loses no event when many of one person arrive at once, and counts a redelivered one once', async () => {
    // A store that behaves like the table: a conditional write on the version, each call a turn of the event loop.
    let item: { engagement?: { score: number; updatedAt: string }; version: number } = { version: 0 };
    const counted = new Set<string>();
    const turn = () => new Promise((resolve) => setImmediate(resolve));
    const store: EngagementStore = {
      read: async () => (await turn(), { ...item }),
      async save(signal, next, expected) {
        await turn();
        if (counted.has(signal.eventId)) return 'duplicate';
        if (item.version !== expected) return 'stale';
        counted.add(signal.eventId);
        item = { engagement: next, version: expected + 1 };
        return 'saved';
      },
    };
    // Jitter from a fixed seed: the test runs the same way every time.
    let seed = 7;
    const jitter = (attempt: number) => (seed = (seed * 48_271) % 2_147_483_647) % 2 ** attempt;
    const pause = async (attempt: number) => {
      for (let turns = jitter(attempt); turns >= 0; turns--) await turn();
    };
    const service = engagementService({ store, pause });
    // The bus delivers again an event whose consumer gave up (retry policy in the wiring).
    const deliver = async (signal: EngagementSignal): Promise<string> => service.record(signal).catch(() => deliver(signal));
    const at = '2026-01-01T00:00:00.000Z';
    const signals: EngagementSignal[] = [
      ...Array.from({ length: 5 }, (_, i) => ({ candidateId: 'cand_1', eventId: `open_${i}`, kind: 'opened' as const, occurredAt: at })),
      ...Array.from({ length: 5 }, (_, i) => ({ candidateId: 'cand_1', eventId: `click_${i}`, kind: 'clicked' as const, occurredAt: at })),
    ];
    const outcomes = await Promise.all([...signals, signals[0]!].map(deliver));
    expect(outcomes.filter((o) => o === 'saved')).toHaveLength(10);
    expect(outcomes.filter((o) => o === 'duplicate')).toHaveLength(1);
    // Five opens (1 each) and five clicks (3 each).
    expect(item.engagement).toEqual({ score: 20, updatedAt: at });
  });
});

describe('the engagement copy on the profile', () => {
  const before = aCandidate({ engagement: { score: 2, updatedAt: '2026-01-01T00:00:00.000Z' } });
  const copied = { ...before, engagement: { score: 3, updatedAt: '2026-01-02T00:00:00.000Z' } };

  it('tells the consumer’s copy apart from a profile edit, so the indexer re-evaluates only what the score can change', () => {
    expect(onlyEngagementChanged(before, copied)).toBe(true);
    expect(onlyEngagementChanged(before, { ...before, headline: 'Chef', version: 2 })).toBe(false);
    expect(onlyEngagementChanged(undefined, copied)).toBe(false);
  });

  it('recognises a profile write that put back an older copy', () => {
    // Read before the consumer's last write, written after it: the edit carries the old copy.
    expect(engagementCopyOverwritten(copied, { ...before, tags: ['berlin'], version: 2 })).toBe(true);
    expect(engagementCopyOverwritten(before, { ...before, tags: ['berlin'], version: 2 })).toBe(false);
    expect(engagementCopyOverwritten(before, copied)).toBe(false);
  });

  it('knows which segment rules read the score', () => {
    expect(readsEngagement({ all: [{ field: 'tags', op: 'contains', value: 'x' }, { not: { field: 'engagementScore', op: 'gte', value: 3 } }] })).toBe(true);
    expect(readsEngagement({ any: [{ field: 'lastActivityDays', op: 'lt', value: 30 }] })).toBe(false);
  });
});
