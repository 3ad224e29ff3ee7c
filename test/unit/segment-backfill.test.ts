import { describe, expect, it } from 'vitest';
import type { CandidateService } from '../../functions/candidates/domain/candidate-service.ts';
import type { SegmentRecord, SegmentStore } from '../../functions/candidates/domain/ports.ts';
import { segmentService } from '../../functions/candidates/domain/segment-service.ts';
import { aCandidate } from '../fixtures/builders.ts';

const now = '2026-11-25T10:00:00.000Z';
const people = Array.from({ length: 5 }, (_, i) => aCandidate({ id: `cand_01JDX5Q9S3P5W7V9X1Z3B5D7F${i}`, tags: ['java'] }));

/** A segment store holding one segment whose backfill checkpoint moves only from where it is, as in DynamoDB. */
function backfillFakes(segment: SegmentRecord) {
  let stored = { ...segment };
  const members = new Set<string>();
  const store = {
    get: async () => ({ ...stored }),
    membersAmong: async (_: string, ids: string[]) => new Set(ids.filter((id) => members.has(id))),
    join: async (_: string, candidateId: string) => members.add(candidateId).size > 0,
    leave: async (_: string, candidateId: string) => members.delete(candidateId),
    async advanceBackfill(_: string, expected: { run: string; cursor?: string }, changes: Partial<SegmentRecord>) {
      if (stored.backfillRun !== expected.run || stored.backfillCursor !== expected.cursor) return false;
      stored = { ...stored, ...changes };
      return true;
    },
  } as unknown as SegmentStore;
  // Two people a page; the cursor is the index of the next person.
  const candidates = {
    list: async (_: unknown, page: { cursor?: string }) => {
      const from = Number(page.cursor ?? 0);
      const next = from + 2;
      return { items: people.slice(from, next), ...(next < people.length ? { nextCursor: String(next) } : {}) };
    },
  } as unknown as CandidateService;
  return { store, candidates, members, stored: () => stored, moveCheckpoint: (cursor: string) => (stored = { ...stored, backfillCursor: cursor }) };
}

const aRunningBackfill = (): SegmentRecord => ({
  id: 'seg_01JDX5Q9S3P5W7V9X1Z3B5D7F9', name: 'Java', kind: 'dynamic', rule: { field: 'tags', op: 'contains', value: 'java' }, memberCount: 0,
  createdAt: now, createdBy: 'test', updatedAt: now, version: 1,
  backfill: { status: 'running', processed: 0, total: 5, progress: 0, startedAt: now }, backfillRun: 'run-1',
} as SegmentRecord);

describe('a segment backfill', () => {
  it('finishes when another invocation of the same run moved the checkpoint under it, following from where that one got to', async () => {
    const fakes = backfillFakes(aRunningBackfill());
    const service = segmentService({ segments: fakes.store, candidates: fakes.candidates, workflows: { start: async () => undefined }, clock: { now: () => now }, ids: { next: () => 'evt_1' } } as never);
    // Another invocation of the run has already done the first page.
    const read = fakes.store.get.bind(fakes.store);
    let interfered = false;
    fakes.store.get = async (id: string) => {
      const record = await read(id);
      if (!interfered) {
        interfered = true;
        fakes.moveCheckpoint('2');
      }
      return record;
    };
    expect(await service.backfill('seg_01JDX5Q9S3P5W7V9X1Z3B5D7F9', Date.now() + 60_000)).toBe(true);
    expect(fakes.stored().backfill).toMatchObject({ status: 'completed' });
    expect([...fakes.members].sort()).toEqual(people.map((p) => p.id).sort());
  });

  it('stops when a newer run took over (the rule changed), leaving the rest to it', async () => {
    const fakes = backfillFakes(aRunningBackfill());
    const service = segmentService({ segments: fakes.store, candidates: fakes.candidates, workflows: { start: async () => undefined }, clock: { now: () => now }, ids: { next: () => 'evt_1' } } as never);
    const read = fakes.store.get.bind(fakes.store);
    let calls = 0;
    fakes.store.get = async (id: string) => {
      const record = await read(id);
      if (calls++ === 0) await fakes.store.advanceBackfill(id, { run: 'run-1' }, { backfillRun: 'run-2' });
      return record;
    };
    expect(await service.backfill('seg_01JDX5Q9S3P5W7V9X1Z3B5D7F9', Date.now() + 60_000)).toBe(true);
    expect(fakes.stored()).toMatchObject({ backfillRun: 'run-2', backfill: { status: 'running' } });
  });
});
