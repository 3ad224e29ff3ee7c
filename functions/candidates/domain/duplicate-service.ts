import { CandidatesMerged, MergeUndone, SegmentEntered, SegmentLeft } from '../../../events/candidates.ts';
import { makeEvent } from '../../../events/contract.ts';
import { Conflict, NotFound } from '../../../shared/errors.ts';
import type { PageRequest } from '../../../shared/http/pagination.ts';
import type { Candidate } from '../schemas.ts';
import type { CandidateService } from './candidate-service.ts';
import { compare, matchKeys, mergeProfiles, type MergeChoice, type MergeableField } from './duplicates.ts';
import { StaleVersion, type Clock, type DuplicatePair, type DuplicateStore, type Ids, type MergeRecord, type MergeStore, type SegmentStore } from './ports.ts';

/** A merge can be undone for this long. */
export const UNDO_WINDOW_MS = 30 * 24 * 60 * 60 * 1000;

export const pairId = (a: string, b: string) => (a < b ? `${a}~${b}` : `${b}~${a}`);

export function duplicateService(deps: {
  duplicates: DuplicateStore;
  merges: MergeStore;
  segments: SegmentStore;
  candidates: CandidateService;
  clock: Clock;
  ids: Ids;
}) {
  const { duplicates, merges, segments, candidates, clock, ids } = deps;

  const membership = (entered: boolean, segmentId: string, candidateId: string, actor: string) =>
    makeEvent(entered ? SegmentEntered : SegmentLeft, { eventId: ids.next('evt'), occurredAt: clock.now(), actor }, { segmentId, candidateId });

  /** Static lists follow the person; dynamic segments follow the profile stream by themselves. */
  async function moveStaticSegments(record: MergeRecord, actor: string) {
    for (const segmentId of record.moved.staticSegments) await segments.join(segmentId, record.survivorId, membership(true, segmentId, record.survivorId, actor));
    for (const segmentId of [...record.moved.staticSegments, ...record.moved.droppedSegments]) {
      await segments.leave(segmentId, record.mergedId, membership(false, segmentId, record.mergedId, actor));
    }
  }

  /**
   * A candidate for merging: present, and not already merged into someone (409 says into whom). Asking again for a
   * merge that was done first finishes its moves, in case the first request died half-way.
   */
  async function live(id: string, survivorId: string, actor: string): Promise<Candidate> {
    try {
      return await candidates.get(id);
    } catch (error) {
      if (!(error instanceof NotFound) || !error.extras.mergedInto) throw error;
      const { mergedInto, mergeId } = error.extras as { mergedInto: string; mergeId: string };
      const record = mergedInto === survivorId ? await merges.get(mergeId) : undefined;
      if (record?.status === 'merged') {
        await merges.finishMoves(record);
        await moveStaticSegments(record, actor);
      }
      throw new Conflict(`${id} was already merged into ${mergedInto}.`, { mergedInto, mergeId });
    }
  }

  async function getMerge(id: string): Promise<MergeRecord> {
    const record = await merges.get(id);
    if (!record) throw new NotFound(`There is no merge ${id} (merges can be undone for 30 days).`);
    return record;
  }

  return {
    /** A profile changed: its suspected pairs become what the match keys say now. */
    async refresh(before: Candidate | undefined, after: Candidate | undefined): Promise<void> {
      const id = (after ?? before)!.id;
      const [old, now] = [before ? matchKeys(before) : [], after ? matchKeys(after) : []];
      // Pairs depend on match keys alone: a change that keeps them (most edits) changes no pair.
      if (before && after && JSON.stringify(old) === JSON.stringify(now)) return;
      const keys = [...new Set([...old, ...now])];
      const others = await duplicates.sharing(keys, id);
      for (const otherId of others) {
        const other = after ? await candidates.get(otherId).catch(() => undefined) : undefined;
        const found = after && other ? compare(after, other) : { score: 0, reasons: [] };
        if (!found.reasons.length) await duplicates.remove(pairId(id, otherId));
        else {
          const candidateIds = [id, otherId].sort() as [string, string];
          await duplicates.upsert({ id: pairId(id, otherId), candidateIds, ...found, updatedAt: clock.now() });
        }
      }
    },

    async list(page: PageRequest) {
      const pairs = await duplicates.listOpen(page);
      const items = await Promise.all(
        pairs.items.map(async (pair: DuplicatePair) => ({ ...pair, candidates: await Promise.all(pair.candidateIds.map((id) => candidates.get(id))) })),
      );
      return { items, nextCursor: pairs.nextCursor };
    },

    /** "Not a duplicate": the pair stays out of the list, whatever changes later. */
    async dismiss(a: string, b: string): Promise<void> {
      const id = pairId(a, b);
      if (!(await duplicates.get(id))) throw new NotFound(`${a} and ${b} are not a suspected pair.`);
      await duplicates.dismiss(id, clock.now());
    },

    async merge(survivorId: string, mergedId: string, prefer: Partial<Record<MergeableField, MergeChoice>>, actor: string) {
      if (survivorId === mergedId) throw new Conflict('A candidate cannot be merged with itself.');
      const [survivor, merged] = await Promise.all([live(survivorId, survivorId, actor), live(mergedId, survivorId, actor)]);
      const now = clock.now();
      const after = mergeProfiles(survivor, merged, prefer, now);
      const [references, survivorSegments, mergedSegments, staticSegments] = await Promise.all([
        merges.references(mergedId),
        segments.segmentsOf(survivorId),
        segments.segmentsOf(mergedId),
        segments.list({ limit: 200 }).then((page) => new Set(page.items.filter((s) => s.kind === 'static').map((s) => s.id))),
      ]);
      const statics = [...mergedSegments].filter((id) => staticSegments.has(id));
      const record: MergeRecord = {
        id: ids.next('mrg'),
        survivorId,
        mergedId,
        before: { survivor, merged },
        after,
        moved: {
          ...references,
          staticSegments: statics.filter((id) => !survivorSegments.has(id)),
          droppedSegments: statics.filter((id) => survivorSegments.has(id)),
        },
        status: 'merged',
        createdAt: now,
        createdBy: actor,
      };
      const event = makeEvent(CandidatesMerged, { eventId: ids.next('evt'), occurredAt: now, actor }, { candidateId: survivorId, mergedId, mergeId: record.id });
      try {
        await merges.merge(record, [event]);
      } catch (error) {
        if (error instanceof StaleVersion) throw new Conflict('One of the two candidates changed while merging. Look at them again and retry.');
        throw error;
      }
      await moveStaticSegments(record, actor);
      return { mergeId: record.id, candidate: after };
    },

    async undo(mergeId: string, actor: string) {
      const record = await getMerge(mergeId);
      if (record.status === 'undone') throw new Conflict(`The merge ${mergeId} was already undone.`);
      if (Date.parse(clock.now()) - Date.parse(record.createdAt) > UNDO_WINDOW_MS) throw new Conflict('Merges can be undone for 30 days; this one is older.');
      const current = await candidates.get(record.survivorId);
      if (current.version !== record.after.version) {
        throw new Conflict(
          `${record.survivorId} was changed after the merge (version ${record.after.version} → ${current.version}); undoing would lose those changes. Undo them first, or split the records by hand.`,
          { mergedVersion: record.after.version, currentVersion: current.version },
        );
      }
      const now = clock.now();
      const event = makeEvent(MergeUndone, { eventId: ids.next('evt'), occurredAt: now, actor }, { candidateId: record.survivorId, mergedId: record.mergedId, mergeId });
      try {
        await merges.undo(record, current, now, [event]);
      } catch (error) {
        if (error instanceof StaleVersion) throw new Conflict('The survivor changed while undoing. Look at it again and retry.');
        throw error;
      }
      for (const segmentId of [...record.moved.staticSegments, ...record.moved.droppedSegments]) {
        await segments.join(segmentId, record.mergedId, membership(true, segmentId, record.mergedId, actor));
      }
      for (const segmentId of record.moved.staticSegments) await segments.leave(segmentId, record.survivorId, membership(false, segmentId, record.survivorId, actor));
      return { survivor: await candidates.get(record.survivorId), merged: await candidates.get(record.mergedId) };
    },
  };
}
