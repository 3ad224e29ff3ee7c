import { createHash } from 'node:crypto';
import type { DetailOf } from '../../../events/contract.ts';
import type { ApplicationReceived, ApplicationStatusChanged } from '../../../events/candidates.ts';
import type { EventAttended } from '../../../events/engagement.ts';
import { Conflict, NotFound } from '../../../shared/errors.ts';
import type { Page, PageRequest } from '../../../shared/http/pagination.ts';
import { changeVersioned } from '../../../shared/versioned.ts';
import { addDuration } from '../../campaigns/domain/send-time.ts';
import type { CreateSurvey, SendAccepted, Survey, SurveyResults, TriggerKind, UpdateSurvey } from '../survey-schemas.ts';
import { resultsCsv, surveyResults } from './survey-results.ts';
import type { Clock, Ids, InvitationStore, People, SurveyCounters, SurveyRecord, SurveyStore, Workflows } from './survey-ports.ts';

export const INVITATION_WORKFLOW = 'engagement-survey-invitation';
/** The subject of a recruiter's send: one manual invitation per person and survey. */
const MANUAL_SUBJECT = 'manual';
/** Starting workflows for a manual send: this many at once. */
const START_CONCURRENCY = 10;

/** The input of the invitation workflow: wait until `sendAt`, then send once. */
export interface SendInput {
  surveyId: string;
  candidateId: string;
  /** What the invitation is about: the application, the hiring event, or `manual`. */
  subject: string;
  trigger: TriggerKind;
  sendAt: string;
}

/**
 * One execution per survey, person and subject, named from them: a redelivered event starts nothing new (Step
 * Functions refuses a name already used). The ids would pass the 80 characters a name may have, so the person and
 * subject are hashed.
 */
export const executionName = (surveyId: string, candidateId: string, subject: string) =>
  `${surveyId}-${createHash('sha256').update(`${candidateId}:${subject}`).digest('base64url').slice(0, 22)}`;

/** The events that send surveys, as their contracts define them. */
export type TriggeringEvent =
  | { detailType: 'ApplicationReceived'; detail: DetailOf<typeof ApplicationReceived> }
  | { detailType: 'ApplicationStatusChanged'; detail: DetailOf<typeof ApplicationStatusChanged> }
  | { detailType: 'EventAttended'; detail: DetailOf<typeof EventAttended> };

export interface Trigger {
  kind: TriggerKind;
  candidateId: string;
  subject: string;
  at: string;
  /** The job an application is for, or the hiring event attended: what a survey may be limited to. */
  jobId?: string;
  eventId?: string;
}

/** Which survey trigger an event is, if any: a new application, one reaching interview or a decision, an attended event. */
export function triggerOf(event: TriggeringEvent): Trigger | undefined {
  const { candidateId, occurredAt: at } = event.detail;
  switch (event.detailType) {
    case 'ApplicationReceived': {
      const { applicationId, jobId } = event.detail;
      return { kind: 'application-received', candidateId, subject: applicationId, at, ...(jobId ? { jobId } : {}) };
    }
    case 'ApplicationStatusChanged': {
      const { to, applicationId, jobId } = event.detail;
      const job = jobId ? { jobId } : {};
      if (to === 'interview') return { kind: 'interview', candidateId, subject: applicationId, at, ...job };
      if (to === 'hired' || to === 'rejected') return { kind: 'hired-or-rejected', candidateId, subject: applicationId, at, ...job };
      return undefined;
    }
    case 'EventAttended':
      return { kind: 'event-attended', candidateId, subject: event.detail.hiringEventId, at, eventId: event.detail.hiringEventId };
  }
}

const resource = (survey: SurveyRecord, counters: SurveyCounters): Survey => ({ ...survey, sent: counters.sent, responses: counters.responses });

/** Recruiters' side of surveys: define, pause, send by hand, read the results; and the triggers that send them. */
export function surveyService(deps: { surveys: SurveyStore; invitations: InvitationStore; people: People; workflows: Workflows; clock: Clock; ids: Ids }) {
  const { surveys, invitations, clock, ids } = deps;

  async function found(id: string) {
    const stored = await surveys.get(id);
    if (!stored) throw new NotFound(`There is no survey ${id}.`);
    return stored;
  }

  const start = (survey: SurveyRecord, candidateId: string, subject: string, at: string) => {
    const input: SendInput = {
      surveyId: survey.id, candidateId, subject, trigger: survey.trigger.on,
      sendAt: survey.trigger.delay ? addDuration(new Date(at), survey.trigger.delay).toISOString() : at,
    };
    return deps.workflows.start(INVITATION_WORKFLOW, executionName(survey.id, candidateId, subject), { ...input });
  };

  return {
    async create(input: CreateSurvey, actor: string): Promise<Survey> {
      const now = clock.now();
      const survey: SurveyRecord = { ...input, id: ids.next('srv'), createdBy: actor, createdAt: now, updatedAt: now, version: 1 };
      await surveys.create(survey);
      return resource(survey, { sent: 0, responses: 0, failed: 0, skipped: {} });
    },

    async get(id: string): Promise<Survey> {
      const { survey, counters } = await found(id);
      return resource(survey, counters);
    },

    async list(page: PageRequest): Promise<Page<Survey>> {
      const { items, nextCursor } = await surveys.list(page);
      return { items: items.map(({ survey, counters }) => resource(survey, counters)), ...(nextCursor ? { nextCursor } : {}) };
    },

    async update(id: string, patch: UpdateSurvey, ifMatch?: number): Promise<Survey> {
      let counters: SurveyCounters | undefined;
      const { value } = await changeVersioned(
        'survey',
        {
          get: async () => {
            const stored = await found(id);
            counters = stored.counters;
            return stored.survey;
          },
          replace: surveys.replace,
          now: clock.now,
        },
        (current, now) => {
          const next: SurveyRecord = { ...current };
          for (const [field, value] of Object.entries(patch) as [keyof UpdateSurvey, string | null | undefined][]) {
            if (value === undefined) continue;
            if (value === null) delete next[field];
            else Object.assign(next, { [field]: value });
          }
          const changed = (Object.keys(patch) as (keyof UpdateSurvey)[]).some((field) => next[field] !== current[field]);
          return changed ? { next: { ...next, updatedAt: now, version: current.version + 1 }, events: [] } : { next: current, events: [] };
        },
        ifMatch,
      );
      return resource(value, counters!);
    },

    /** A recruiter's send: each person on file who has no manual invitation to this survey yet gets one, after the survey's delay. */
    async send(id: string, candidateIds: string[]): Promise<SendAccepted> {
      const { survey } = await found(id);
      if (survey.status !== 'active') throw new Conflict(`The survey ${id} is paused: resume it (status active) to send it.`);
      const [existing, invited] = await Promise.all([deps.people.existing(candidateIds), invitations.invited(id, MANUAL_SUBJECT, candidateIds)]);
      const items = candidateIds.map((candidateId) => ({
        candidateId,
        status: !existing.has(candidateId) ? ('not-found' as const) : invited.has(candidateId) ? ('already-invited' as const) : ('queued' as const),
      }));
      const queued = items.filter((item) => item.status === 'queued');
      const now = clock.now();
      for (let i = 0; i < queued.length; i += START_CONCURRENCY) {
        await Promise.all(queued.slice(i, i + START_CONCURRENCY).map((item) => start(survey, item.candidateId, MANUAL_SUBJECT, now)));
      }
      return { queued: queued.length, items };
    },

    /** Starts the invitation of every active survey this event triggers; a redelivered event starts nothing new. */
    async triggered(event: TriggeringEvent): Promise<number> {
      const trigger = triggerOf(event);
      if (!trigger) return 0;
      const matching = (await surveys.triggeredBy(trigger.kind)).filter(
        (s) => s.status === 'active' && (s.trigger.eventId === undefined || s.trigger.eventId === trigger.eventId) && (s.trigger.jobId === undefined || s.trigger.jobId === trigger.jobId),
      );
      await Promise.all(matching.map((survey) => start(survey, trigger.candidateId, trigger.subject, trigger.at)));
      return matching.length;
    },

    async results(id: string): Promise<SurveyResults> {
      const { survey, counters } = await found(id);
      return surveyResults(survey, counters, await invitations.responses(id));
    },

    async resultsCsv(id: string): Promise<string> {
      const { survey } = await found(id);
      return resultsCsv(survey, await invitations.responses(id));
    },
  };
}

