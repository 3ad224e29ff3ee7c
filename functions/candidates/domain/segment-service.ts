import { SegmentEntered, SegmentLeft } from '../../../events/candidates.ts';
import { makeEvent } from '../../../events/contract.ts';
import { Conflict, InvalidInput, NotFound, PreconditionFailed } from '../../../shared/errors.ts';
import type { PageRequest } from '../../../shared/http/pagination.ts';
import { builtInSegmentIds, type Candidate, type CandidateFilter, type CreateSegment, type Segment, type UpdateSegment } from '../schemas.ts';
import type { CandidateService } from './candidate-service.ts';
import { StaleVersion, type Clock, type Ids, type SegmentRecord, type SegmentStore, type Workflows } from './ports.ts';
import { dependsOnTime, matches, narrowingIndex, type Rule } from './segment-rule.ts';

export const BACKFILL_WORKFLOW = 'candidates-segment-backfill';
/** Candidates read per backfill page. */
const BACKFILL_PAGE = 100;
/** A preview reads at most this many candidates, then extrapolates. */
const PREVIEW_LIMIT = 2000;

const isBuiltIn = (id: string) => (builtInSegmentIds as readonly string[]).includes(id);
const publicSegment = ({ backfillCursor, backfillRun, ...segment }: Segment & Partial<SegmentRecord>): Segment => ({ ...segment, builtIn: isBuiltIn(segment.id) });

/** A segment the product defines (docs/reactivation.md): created on first use, its rule kept as the settings say. */
export interface BuiltInSegment {
  id: (typeof builtInSegmentIds)[number];
  name: string;
  description: string;
  rule: Rule;
}
/** A write that lost a race with another is read again and retried this often. */
const BUILT_IN_ATTEMPTS = 3;

export function segmentService(deps: {
  segments: SegmentStore;
  candidates: CandidateService;
  workflows: Workflows;
  clock: Clock;
  ids: Ids;
  /** The built-in segments as they should be now. */
  builtIns?: () => Promise<BuiltInSegment[]>;
}) {
  const { segments, candidates, workflows, clock, ids } = deps;
  const membershipEvent = (entered: boolean, segmentId: string, candidateId: string) =>
    makeEvent(entered ? SegmentEntered : SegmentLeft, { eventId: ids.next('evt'), occurredAt: clock.now(), actor: 'system' }, { segmentId, candidateId });

  async function get(id: string): Promise<SegmentRecord> {
    const segment = await segments.get(id);
    if (!segment) throw new NotFound(`There is no segment ${id}.`);
    return segment;
  }

  /** A fresh backfill run: evaluates every candidate against the rule, from the first. */
  async function startBackfill(segment: SegmentRecord, reason: string): Promise<SegmentRecord> {
    const total = await segments.candidateCount();
    const run = `${segment.id}-${reason}`;
    return {
      ...segment,
      backfill: { status: 'running', processed: 0, total, progress: 0, startedAt: clock.now() },
      backfillRun: run,
      backfillCursor: undefined,
    };
  }

  /** Creates a missing built-in segment, or gives it the rule it should have now; either fills it in the background. */
  async function syncBuiltIn(wanted: BuiltInSegment): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const stored = await segments.get(wanted.id);
      const now = clock.now();
      if (!stored) {
        const segment = await startBackfill(
          { id: wanted.id, kind: 'dynamic', name: wanted.name, description: wanted.description, rule: wanted.rule, memberCount: 0, createdAt: now, createdBy: 'system', updatedAt: now, version: 1 },
          'v1',
        );
        if (await segments.createIfAbsent(segment)) return workflows.start(BACKFILL_WORKFLOW, segment.backfillRun!, { jobId: segment.id });
      } else {
        if (JSON.stringify(stored.rule) === JSON.stringify(wanted.rule) && stored.description === wanted.description) return;
        const next = await startBackfill(
          { ...stored, name: wanted.name, description: wanted.description, rule: wanted.rule, updatedAt: now, version: stored.version + 1 },
          `v${stored.version + 1}`,
        );
        try {
          await segments.replace(stored, next);
          return workflows.start(BACKFILL_WORKFLOW, next.backfillRun!, { jobId: next.id });
        } catch (error) {
          if (!(error instanceof StaleVersion)) throw error;
        }
      }
      if (attempt >= BUILT_IN_ATTEMPTS) throw new Conflict(`The built-in segment ${wanted.id} is being changed right now. Retry in a moment.`);
    }
  }

  async function syncBuiltIns(): Promise<void> {
    for (const wanted of (await deps.builtIns?.()) ?? []) await syncBuiltIn(wanted);
  }

  // Once per container: later changes of their rules come through the settings (syncBuiltIns).
  let ensured: Promise<void> | undefined;
  const ensureBuiltIns = () =>
    (ensured ??= syncBuiltIns().catch((error: unknown) => {
      ensured = undefined;
      throw error;
    }));

  /** Brings the candidate's membership of one segment to what the rule says; publishes only real changes. */
  async function settle(segmentId: string, candidateId: string, member: boolean, wanted: boolean) {
    if (member === wanted) return;
    if (wanted) await segments.join(segmentId, candidateId, membershipEvent(true, segmentId, candidateId));
    else await segments.leave(segmentId, candidateId, membershipEvent(false, segmentId, candidateId));
  }

  return {
    async get(id: string) {
      if (isBuiltIn(id)) await ensureBuiltIns();
      return publicSegment(await get(id));
    },
    async list(page: PageRequest) {
      await ensureBuiltIns();
      const { items, nextCursor } = await segments.list(page);
      return { items: items.map(publicSegment), nextCursor };
    },
    /** Gives the built-in segments the rules the settings now call for (after the settings changed). */
    syncBuiltIns,

    async create(input: CreateSegment, actor: string): Promise<Segment> {
      const now = clock.now();
      const base = { id: ids.next('seg'), name: input.name, ...(input.description ? { description: input.description } : {}), memberCount: 0, createdAt: now, createdBy: actor, updatedAt: now, version: 1 };
      if (input.kind === 'static') {
        const found = await Promise.all(input.candidateIds.map((id) => candidates.get(id).then(() => id, () => undefined)));
        const missing = input.candidateIds.filter((_, i) => !found[i]);
        if (missing.length) throw new InvalidInput('Some candidates do not exist.', missing.map((id) => ({ path: 'body.candidateIds', message: `no candidate ${id}` })));
        const segment: SegmentRecord = { ...base, kind: 'static' };
        await segments.create(segment);
        for (const id of input.candidateIds) await segments.join(segment.id, id, membershipEvent(true, segment.id, id));
        return publicSegment({ ...segment, memberCount: input.candidateIds.length });
      }
      const segment = await startBackfill({ ...base, kind: 'dynamic', rule: input.rule }, 'v1');
      await segments.create(segment);
      await workflows.start(BACKFILL_WORKFLOW, segment.backfillRun!, { jobId: segment.id });
      return publicSegment(segment);
    },

    async update(id: string, patch: UpdateSegment, ifMatch?: number): Promise<Segment> {
      if (isBuiltIn(id)) {
        throw new Conflict(`${id} is a built-in segment and cannot be changed: its rule is the product's (the waiting period is set with PUT /settings/reactivation). Create a segment of your own for another rule.`, { builtIn: true });
      }
      const previous = await get(id);
      if (ifMatch !== undefined && ifMatch !== previous.version) {
        throw new PreconditionFailed(`The segment is at version ${previous.version}, not ${ifMatch}. Read it again and retry.`, { currentVersion: previous.version });
      }
      if (patch.rule && previous.kind === 'static') throw new InvalidInput('A static segment has no rule.', [{ path: 'body.rule', message: 'static segment' }]);
      let next: SegmentRecord = { ...previous, ...(patch.name ? { name: patch.name } : {}), updatedAt: clock.now(), version: previous.version + 1 };
      if (patch.description === null) delete next.description;
      else if (patch.description !== undefined) next.description = patch.description;
      const ruleChanged = patch.rule !== undefined && JSON.stringify(patch.rule) !== JSON.stringify(previous.rule);
      if (ruleChanged) next = await startBackfill({ ...next, rule: patch.rule }, `v${next.version}`);
      try {
        await segments.replace(previous, next);
      } catch (error) {
        if (error instanceof StaleVersion) throw new Conflict('The segment changed while this update was applied. Read it again and retry.');
        throw error;
      }
      if (ruleChanged) await workflows.start(BACKFILL_WORKFLOW, next.backfillRun!, { jobId: id });
      return publicSegment(next);
    },

    async preview(rule: Rule, sampleSize: number) {
      const now = clock.now();
      const filter: CandidateFilter = narrowingIndex(rule) as CandidateFilter;
      const narrowed = Object.keys(filter).length > 0;
      let evaluated = 0;
      let count = 0;
      const sample: Candidate[] = [];
      let cursor: string | undefined;
      do {
        const page = await candidates.list(filter, { limit: 200, cursor });
        for (const candidate of page.items) {
          evaluated++;
          if (!matches(rule, candidate, now)) continue;
          count++;
          if (sample.length < sampleSize) sample.push(candidate);
        }
        cursor = page.nextCursor;
      } while (cursor && evaluated < PREVIEW_LIMIT);
      const exact = !cursor;
      // Past the limit: scale what was seen to the whole pool (a narrowing index only gives a lower bound).
      const estimate = exact || narrowed ? count : Math.round((count / Math.max(evaluated, 1)) * (await segments.candidateCount()));
      return { count: estimate, exact, evaluated, sample };
    },

    async members(id: string, page: PageRequest) {
      if (isBuiltIn(id)) await ensureBuiltIns();
      await get(id);
      return segments.members(id, page);
    },

    async addMembers(id: string, candidateIds: string[]) {
      const segment = await get(id);
      if (segment.kind !== 'static') throw new Conflict('Members of a dynamic segment follow its rule; change the rule instead.');
      const added: string[] = [];
      const notFound: string[] = [];
      for (const candidateId of candidateIds) {
        const exists = await candidates.get(candidateId).then(() => true, () => false);
        if (!exists) notFound.push(candidateId);
        else if (await segments.join(id, candidateId, membershipEvent(true, id, candidateId))) added.push(candidateId);
      }
      return { added, alreadyMembers: candidateIds.filter((c) => !added.includes(c) && !notFound.includes(c)), notFound };
    },

    async removeMember(id: string, candidateId: string) {
      const segment = await get(id);
      if (segment.kind !== 'static') throw new Conflict('Members of a dynamic segment follow its rule; change the rule instead.');
      await segments.leave(id, candidateId, membershipEvent(false, id, candidateId));
    },

    /** The dynamic segments, read once per batch of changes. */
    dynamicSegments: () => segments.dynamicSegments(),

    /**
     * A candidate changed (or was removed): their membership of every dynamic segment becomes what the rules say.
     * Compared with what is stored, so a replayed stream record, a backfill running alongside, or a segment created
     * a moment ago all converge on the same state.
     */
    async evaluate(candidate: Candidate | undefined, candidateId: string, dynamic: SegmentRecord[]): Promise<void> {
      if (!dynamic.length) return;
      const now = clock.now();
      const current = await segments.segmentsOf(candidateId);
      for (const segment of dynamic) {
        const wanted = Boolean(candidate) && matches(segment.rule as Rule, candidate!, now);
        await settle(segment.id, candidateId, current.has(segment.id), wanted);
      }
    },

    /** One chunk of a backfill: pages of candidates until the deadline; answers whether it is finished. */
    async backfill(id: string, deadline: number): Promise<boolean> {
      let segment = await get(id);
      const run = segment.backfillRun;
      if (segment.kind !== 'dynamic' || !run || segment.backfill?.status !== 'running') return true;
      const now = clock.now();
      for (;;) {
        const page = await candidates.list({}, { limit: BACKFILL_PAGE, cursor: segment.backfillCursor });
        const members = await segments.membersAmong(id, page.items.map((c) => c.id));
        for (const candidate of page.items) await settle(id, candidate.id, members.has(candidate.id), matches(segment.rule as Rule, candidate, now));
        const processed = segment.backfill!.processed + page.items.length;
        const done = !page.nextCursor;
        const total = Math.max(segment.backfill!.total, processed);
        const backfill = {
          ...segment.backfill!,
          processed,
          total: done ? processed : total,
          progress: done ? 100 : Math.min(99, Math.floor((processed / Math.max(total, 1)) * 100)),
          ...(done ? { status: 'completed' as const, completedAt: clock.now() } : {}),
        };
        const moved = await segments.advanceBackfill(id, { run, cursor: segment.backfillCursor }, { backfill, backfillCursor: page.nextCursor });
        if (!moved) {
          // Someone else moved the checkpoint: a newer run (the rule changed) carries on by itself; another
          // invocation of this run (seen on the local stack under load) is followed from where it got to.
          const current = await get(id);
          if (current.backfillRun !== run || current.backfill?.status !== 'running') return true;
          segment = current;
          continue;
        }
        if (done) return true;
        segment = { ...segment, backfill, backfillCursor: page.nextCursor };
        if (Date.now() > deadline) return false;
      }
    },

    async backfillFailed(id: string): Promise<void> {
      const segment = await get(id);
      if (segment.backfill?.status !== 'running' || !segment.backfillRun) return;
      await segments.advanceBackfill(id, { run: segment.backfillRun, cursor: segment.backfillCursor }, { backfill: { ...segment.backfill, status: 'failed' } });
    },

    /** The daily refresh: segments whose rules age with time (last activity) are evaluated again. */
    async refreshAging(): Promise<{ refreshed: number }> {
      await ensureBuiltIns();
      const day = clock.now().slice(0, 10);
      let refreshed = 0;
      for (const segment of await segments.dynamicSegments()) {
        if (!dependsOnTime(segment.rule as Rule) || segment.backfill?.status === 'running') continue;
        const next = await startBackfill(segment, `d${day}`);
        const started = await segments.advanceBackfill(segment.id, { run: segment.backfillRun!, cursor: segment.backfillCursor }, {
          backfill: next.backfill,
          backfillRun: next.backfillRun,
          backfillCursor: undefined,
        });
        if (!started) continue;
        await workflows.start(BACKFILL_WORKFLOW, next.backfillRun!, { jobId: segment.id });
        refreshed++;
      }
      return { refreshed };
    },
  };
}

export type SegmentService = ReturnType<typeof segmentService>;
