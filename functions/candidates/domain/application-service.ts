import { ApplicationReceived, ApplicationStatusChanged } from '../../../events/candidates.ts';
import { makeEvent } from '../../../events/contract.ts';
import { Conflict, NotFound, PreconditionFailed, Unprocessable } from '../../../shared/errors.ts';
import { applicationLadder, type Application, type Candidate, type CreateApplication, type UpdateApplication } from '../schemas.ts';
import { bump } from './candidate.ts';
import type { CandidateService } from './candidate-service.ts';
import { StaleVersion, type ApplicationStore, type Clock, type Ids } from './ports.ts';

type Status = Application['status'];
const terminal: readonly Status[] = ['hired', 'rejected', 'withdrawn'];

/** Up the ladder (steps may be skipped), or out by rejection or withdrawal; never back, never from an end. */
export function canMove(from: Status, to: Status): boolean {
  if (terminal.includes(from)) return false;
  if (to === 'rejected' || to === 'withdrawn') return true;
  return applicationLadder.indexOf(to as (typeof applicationLadder)[number]) > applicationLadder.indexOf(from as (typeof applicationLadder)[number]);
}

/**
 * The application as the profile summarises it for segments: where it stands, the ladder steps it reached or passed
 * (its current status alone forgets them once it ends) and when it ended.
 */
export function applicationSummary(application: Application): Candidate['applications'][number] {
  const highest = Math.max(...application.history.map((h) => applicationLadder.indexOf(h.status as (typeof applicationLadder)[number])));
  const ended = terminal.includes(application.status) ? application.history.at(-1)?.at : undefined;
  return {
    id: application.id,
    status: application.status,
    ...(application.jobId ? { jobId: application.jobId } : {}),
    reached: applicationLadder.slice(0, highest + 1),
    ...(ended ? { endedAt: ended } : {}),
  };
}

/** What an application says about the person: they are active while applying, and hired once hired. */
function withApplication(candidate: Candidate, application: Application, now: string): Candidate {
  const others = candidate.applications.filter((a) => a.id !== application.id);
  const status =
    application.status === 'hired' ? 'hired' : candidate.status === 'passive' || candidate.status === 'former' ? 'active' : candidate.status;
  return bump(
    {
      ...candidate,
      status,
      applications: [...others, applicationSummary(application)],
      lastActivityAt: now,
    },
    now,
  );
}

const MAX_ATTEMPTS = 3;

export function applicationService(deps: { applications: ApplicationStore; candidates: CandidateService; clock: Clock; ids: Ids }) {
  const { applications, candidates, clock, ids } = deps;

  async function get(id: string): Promise<Application> {
    const application = await applications.get(id);
    if (!application) throw new NotFound(`There is no application ${id}.`);
    return application;
  }

  /** Saves the application with the candidate's summary; re-reads and retries when someone else wrote first. */
  async function save(build: () => Promise<{ next: Application; previous?: Application }>, actor: string): Promise<Application> {
    for (let attempt = 1; ; attempt++) {
      const { next, previous } = await build();
      if (previous && next === previous) return previous;
      const candidate = await candidates.get(next.candidateId);
      const updated = withApplication(candidate, next, next.updatedAt);
      const meta = { occurredAt: next.updatedAt, actor };
      const common = {
        candidateId: next.candidateId,
        applicationId: next.id,
        ...(next.jobId ? { jobId: next.jobId } : {}),
        ...(next.utm ? { utm: next.utm as Record<string, string> } : {}),
      };
      const events = [
        ...(previous ? [] : [makeEvent(ApplicationReceived, { ...meta, eventId: ids.next('evt') }, { ...common, ...(next.requisitionId ? { requisitionId: next.requisitionId } : {}) })]),
        makeEvent(ApplicationStatusChanged, { ...meta, eventId: ids.next('evt') }, { ...common, ...(previous ? { from: previous.status } : {}), to: next.status }),
      ];
      try {
        await applications.save(next, previous, { previous: candidate, next: updated }, events);
        return next;
      } catch (error) {
        if (!(error instanceof StaleVersion) || attempt >= MAX_ATTEMPTS) {
          throw error instanceof StaleVersion ? new Conflict('The application or its candidate is being changed right now. Retry in a moment.') : error;
        }
      }
    }
  }

  return {
    get,

    async create(candidateId: string, input: CreateApplication & Pick<Application, 'cv' | 'external'>, actor: string, id = ids.next('app')): Promise<Application> {
      const now = clock.now();
      const { note, ...fields } = input;
      const application: Application = {
        id,
        candidateId,
        ...fields,
        history: [{ status: input.status, at: now, by: actor, ...(note ? { note } : {}) }],
        createdAt: now,
        updatedAt: now,
        version: 1,
      };
      return save(async () => ({ next: application }), actor);
    },

    async move(id: string, input: UpdateApplication, actor: string, ifMatch?: number): Promise<Application> {
      return save(async () => {
        const previous = await get(id);
        if (ifMatch !== undefined && ifMatch !== previous.version) {
          throw new PreconditionFailed(`The application is at version ${previous.version}, not ${ifMatch}. Read it again and retry.`, { currentVersion: previous.version });
        }
        if (previous.status === input.status) return { next: previous, previous };
        if (!canMove(previous.status, input.status)) {
          throw new Unprocessable(`An application cannot move from ${previous.status} to ${input.status}.`, {
            allowed: [...applicationLadder, 'rejected', 'withdrawn'].filter((to) => canMove(previous.status, to as Status)),
          });
        }
        const now = clock.now();
        const next: Application = {
          ...previous,
          status: input.status,
          history: [...previous.history, { status: input.status, at: now, by: actor, ...(input.note ? { note: input.note } : {}) }],
          updatedAt: now,
          version: previous.version + 1,
        };
        return { next, previous };
      }, actor);
    },

    /**
     * Where another system that decides says the application stands (an ATS): the ladder does not apply, so it may
     * skip steps, go back, or reopen an ended application. The same status again changes nothing.
     */
    async sync(id: string, input: { status: Status; note?: string; external?: Application['external'] }, actor: string): Promise<Application> {
      return save(async () => {
        const previous = await get(id);
        const external = previous.external ?? input.external;
        if (previous.status === input.status && external === previous.external) return { next: previous, previous };
        const now = clock.now();
        const moved = previous.status !== input.status;
        const next: Application = {
          ...previous,
          status: input.status,
          ...(external ? { external } : {}),
          history: moved ? [...previous.history, { status: input.status, at: now, by: actor, ...(input.note ? { note: input.note } : {}) }] : previous.history,
          updatedAt: now,
          version: previous.version + 1,
        };
        return { next, previous };
      }, actor);
    },
  };
}

export type ApplicationService = ReturnType<typeof applicationService>;
