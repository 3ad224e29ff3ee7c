import {
  CandidateAddedToPool, CandidateCreated, CandidateRemovedFromPool, CandidateTagged, CandidateUntagged, CandidateUpdated,
} from '../../../events/candidates.ts';
import { makeEvent, type DomainEvent, type EventContract, type PayloadOf } from '../../../events/contract.ts';
import { Conflict, NotFound, PreconditionFailed, Unprocessable } from '../../../shared/errors.ts';
import type { PageRequest } from '../../../shared/http/pagination.ts';
import type { Candidate, CandidateFilter, CreateCandidate, UpdateCandidate } from '../schemas.ts';
import { bump, newCandidate, patchCandidate, withConsents, withPool, withTag, withoutPool, withoutTag } from './candidate.ts';
import { upsertCandidate } from './import-rows.ts';
import { StaleVersion, type CandidateStore, type Clock, type ErasedPeople, type Ids } from './ports.ts';

export interface CandidateDeps {
  candidates: CandidateStore;
  /** Tombstones of people erased at their request; none when absent. */
  erased?: ErasedPeople;
  /** When a consent granted now for this purpose lapses (the privacy settings' period); never when absent. */
  consentExpiry?: (purpose: string, at: string) => Promise<string | undefined>;
  clock: Clock;
  ids: Ids;
}

/** How many times a change is re-applied when another writer got in first (without If-Match). */
const MAX_ATTEMPTS = 3;

/** What imports report, and recruiters are told, for someone erased at their request. */
export const ERASED_REASON = "erased at the person's request";

const nobodyErased: ErasedPeople = { among: async () => new Set(), forget: async () => undefined };

export function candidateService({ candidates, erased = nobodyErased, consentExpiry = async () => undefined, clock, ids }: CandidateDeps) {
  type Consents = NonNullable<CreateCandidate['consents']>;
  /** Granted consents get the purpose's expiry unless they carry one; every expiry is kept in UTC (it is sorted as text). */
  const expiring = (consents: Consents, at: string): Promise<Consents> =>
    Promise.all(
      consents.map(async (consent) => {
        const expiresAt = consent.expiresAt ?? (consent.granted ? await consentExpiry(consent.purpose, at) : undefined);
        return expiresAt ? { ...consent, expiresAt: new Date(expiresAt).toISOString() } : consent;
      }),
    );
  const withExpiries = async (input: CreateCandidate): Promise<CreateCandidate> =>
    input.consents?.length ? { ...input, consents: await expiring(input.consents, clock.now()) } : input;

  const emit = <E extends EventContract>(contract: E, actor: string, payload: PayloadOf<E>): DomainEvent =>
    makeEvent(contract, { eventId: ids.next('evt'), occurredAt: clock.now(), actor }, payload);

  async function get(id: string): Promise<Candidate> {
    const candidate = await candidates.get(id);
    if (candidate) return candidate;
    const tombstone = await candidates.tombstone(id);
    if (tombstone) throw new NotFound(`${id} was merged into ${tombstone.mergedInto}.`, tombstone);
    throw new NotFound(`There is no candidate ${id}.`);
  }

  /**
   * Read, apply, write with a version check. A concurrent write makes us re-read and re-apply, unless the caller
   * pinned the version with If-Match: then it is their stale copy and they get 412.
   */
  async function change(
    id: string,
    apply: (current: Candidate, now: string) => { next: Candidate; events: DomainEvent[] },
    ifMatch?: number,
  ): Promise<Candidate> {
    for (let attempt = 1; ; attempt++) {
      const current = await get(id);
      if (ifMatch !== undefined && ifMatch !== current.version) {
        throw new PreconditionFailed(`The candidate is at version ${current.version}, not ${ifMatch}. Read it again and retry.`, {
          currentVersion: current.version,
        });
      }
      const { next, events } = apply(current, clock.now());
      if (next === current) return current;
      try {
        await candidates.replace(current, next, events);
        return next;
      } catch (error) {
        if (!(error instanceof StaleVersion)) throw error;
        if (ifMatch !== undefined) throw new PreconditionFailed('The candidate changed while this update was applied. Read it again and retry.');
        if (attempt >= MAX_ATTEMPTS) throw new Conflict('The candidate is being changed by someone else right now. Retry in a moment.');
      }
    }
  }

  function creation(input: CreateCandidate, id: string, actor: string) {
    const candidate = newCandidate(input, id, clock.now());
    const events = [
      emit(CandidateCreated, actor, { candidateId: candidate.id, status: candidate.status, sourceType: candidate.source.type }),
      ...candidate.tags.map((tag) => emit(CandidateTagged, actor, { candidateId: candidate.id, tag })),
    ];
    return { candidate, events };
  }

  /** Fields the input fills replace the stored ones; tags, skills and custom fields are added to. */
  const upsert = (id: string, input: CreateCandidate, actor: string) =>
    change(id, (current, now) => {
      const next = upsertCandidate(current, input, now);
      if (next === current) return { next, events: [] };
      const changed = Object.keys(next).filter((field) => !['updatedAt', 'version'].includes(field) && JSON.stringify(next[field as keyof Candidate]) !== JSON.stringify(current[field as keyof Candidate]));
      return {
        next,
        events: [
          emit(CandidateUpdated, actor, { candidateId: id, changed }),
          ...next.tags.filter((t) => !current.tags.includes(t)).map((tag) => emit(CandidateTagged, actor, { candidateId: id, tag })),
        ],
      };
    });

  const addToPool = (id: string, poolId: string, actor: string) =>
    change(id, (current, now) => ({
      next: withPool(current, poolId, now),
      events: [emit(CandidateAddedToPool, actor, { candidateId: id, poolId })],
    }));

  return {
    get,
    upsert,

    async create(input: CreateCandidate, actor: string): Promise<Candidate> {
      const { candidate, events } = creation(await withExpiries(input), ids.next('cand'), actor);
      await candidates.create(candidate, events);
      return candidate;
    },

    /**
     * Adds the candidate, or, when the email is taken and `onDuplicate` is merge, upserts the existing one. Someone
     * erased at their request is refused, unless they come back of their own accord (which lifts the tombstone).
     */
    async add(input: CreateCandidate, actor: string, onDuplicate: 'fail' | 'merge', options: { ownAccord?: boolean } = {}): Promise<{ candidate: Candidate; created: boolean }> {
      if (options.ownAccord) await erased.forget(input.email);
      else if ((await erased.among([input.email])).size) {
        throw new Unprocessable(`This person was ${ERASED_REASON}; they can only come back by signing up or applying themselves.`, { errors: [{ path: 'body.email', message: ERASED_REASON }] });
      }
      const { candidate, events } = creation(await withExpiries(input), ids.next('cand'), actor);
      try {
        await candidates.create(candidate, events);
        return { candidate, created: true };
      } catch (error) {
        const existingId = error instanceof Conflict ? (error.extras.existingId as string | undefined) : undefined;
        if (onDuplicate !== 'merge' || !existingId) throw error;
        return { candidate: await upsert(existingId, input, actor), created: false };
      }
    },

    /** Candidates with ids chosen by the caller, all in one write: throws Conflict if any is taken. */
    async createAll(inputs: { input: CreateCandidate; id: string }[], actor: string): Promise<Candidate[]> {
      const batch = await Promise.all(inputs.map(async ({ input, id }) => creation(await withExpiries(input), id, actor)));
      await candidates.createAll(batch);
      return batch.map(({ candidate }) => candidate);
    },

    /** Creates one candidate with a chosen id; answers the id of whoever holds the email if it is taken. */
    async createOne(input: CreateCandidate, id: string, actor: string): Promise<{ existingId?: string }> {
      const { candidate, events } = creation(await withExpiries(input), id, actor);
      try {
        await candidates.create(candidate, events);
        return {};
      } catch (error) {
        const existingId = error instanceof Conflict ? (error.extras.existingId as string | undefined) : undefined;
        if (!existingId) throw error;
        return { existingId };
      }
    },

    idsByEmail: (emails: string[]) => candidates.idsByEmail(emails),

    erasedAmong: (emails: string[]) => erased.among(emails),

    list: (filter: CandidateFilter, page: PageRequest) => candidates.list(filter, page),

    update: (id: string, patch: UpdateCandidate, actor: string, ifMatch?: number) =>
      change(
        id,
        (current, now) => {
          const { candidate: next, changed } = patchCandidate(current, patch, now);
          if (!changed.length) return { next, events: [] };
          const statusChanged = changed.includes('status');
          return {
            next,
            events: [
              emit(CandidateUpdated, actor, {
                candidateId: id,
                changed,
                ...(statusChanged ? { statusFrom: current.status, statusTo: next.status } : {}),
              }),
              ...next.tags.filter((t) => !current.tags.includes(t)).map((tag) => emit(CandidateTagged, actor, { candidateId: id, tag })),
              ...current.tags.filter((t) => !next.tags.includes(t)).map((tag) => emit(CandidateUntagged, actor, { candidateId: id, tag })),
            ],
          };
        },
        ifMatch,
      ),

    tag: (id: string, tag: string, actor: string) =>
      change(id, (current, now) => ({ next: withTag(current, tag, now), events: [emit(CandidateTagged, actor, { candidateId: id, tag })] })),

    untag: (id: string, tag: string, actor: string) =>
      change(id, (current, now) => ({ next: withoutTag(current, tag, now), events: [emit(CandidateUntagged, actor, { candidateId: id, tag })] })),

    addToPool,

    /**
     * Adds many candidates to a pool in a few writes (one each would outlast the request for a hundred): reports who
     * joined, who already was a member and which ids name nobody. Someone changed meanwhile joins as `addToPool` does.
     */
    async addAllToPool(ids: string[], poolId: string, actor: string) {
      const found = new Map((await candidates.getMany(ids)).map((candidate) => [candidate.id, candidate]));
      const result = { added: [] as string[], alreadyMembers: [] as string[], notFound: [] as string[] };
      const now = clock.now();
      const joins: Parameters<CandidateStore['joinPool']>[1] = [];
      for (const id of new Set(ids)) {
        const current = found.get(id);
        if (!current) result.notFound.push(id);
        else if (current.pools.includes(poolId)) result.alreadyMembers.push(id);
        else joins.push({ previous: current, next: withPool(current, poolId, now), events: [emit(CandidateAddedToPool, actor, { candidateId: id, poolId })] });
      }
      const stale = new Set(await candidates.joinPool(poolId, joins));
      for (const { previous } of joins) {
        if (!stale.has(previous.id)) result.added.push(previous.id);
        else {
          try {
            await addToPool(previous.id, poolId, actor);
            result.added.push(previous.id);
          } catch (error) {
            if (!(error instanceof NotFound)) throw error;
            result.notFound.push(previous.id);
          }
        }
      }
      return result;
    },

    /**
     * They were active at `at` (a touchpoint, a reply): moves `lastActivityAt` forward, never back. A stamp, not an
     * edit: it leaves the version alone, so a recruiter's If-Match never fails because of it.
     */
    touch: (id: string, at: string) => candidates.touch(id, at),

    recordConsents: async (id: string, consents: Consents, actor: string) => {
      const dated = await expiring(consents, clock.now());
      return change(id, (current, now) => ({
        next: withConsents(current, dated, now),
        events: [emit(CandidateUpdated, actor, { candidateId: id, changed: ['consents'] })],
      }));
    },

    /** Records when the Art. 14 privacy notice went out; the first time stays (a re-run changes nothing). */
    markPrivacyNoticeSent: (id: string, at: string, actor: string) =>
      change(id, (current, now) =>
        current.privacyNoticeSentAt
          ? { next: current, events: [] }
          : { next: bump({ ...current, privacyNoticeSentAt: at }, now), events: [emit(CandidateUpdated, actor, { candidateId: id, changed: ['privacyNoticeSentAt'] })] },
      ),

    /** Records who the person is in a connected ATS (shown on the profile); linking the same id again changes nothing. */
    linkExternalId: (id: string, link: { connectionId: string; id: string }, actor: string) =>
      change(id, (current, now) =>
        current.externalIds?.some((known) => known.connectionId === link.connectionId && known.id === link.id)
          ? { next: current, events: [] }
          : {
              next: bump({ ...current, externalIds: [...(current.externalIds ?? []), { connectionId: link.connectionId, id: link.id }] }, now),
              events: [emit(CandidateUpdated, actor, { candidateId: id, changed: ['externalIds'] })],
            },
      ),

    unlinkExternalId: (id: string, link: { connectionId: string; id: string }, actor: string) =>
      change(id, (current, now) => {
        const kept = (current.externalIds ?? []).filter((known) => known.connectionId !== link.connectionId || known.id !== link.id);
        if (kept.length === (current.externalIds ?? []).length) return { next: current, events: [] };
        const { externalIds, ...rest } = current;
        return {
          next: bump(kept.length ? { ...rest, externalIds: kept } : rest, now),
          events: [emit(CandidateUpdated, actor, { candidateId: id, changed: ['externalIds'] })],
        };
      }),

    removeFromPool: (id: string, poolId: string, actor: string) =>
      change(id, (current, now) => ({
        next: withoutPool(current, poolId, now),
        events: [emit(CandidateRemovedFromPool, actor, { candidateId: id, poolId })],
      })),
  };
}

export type CandidateService = ReturnType<typeof candidateService>;
