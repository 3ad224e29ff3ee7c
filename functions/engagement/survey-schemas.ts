import * as z from 'zod';
import { PageQuery, pageOf } from '../../shared/http/pagination.ts';
import { addDuration } from '../campaigns/domain/send-time.ts';
import { Duration } from '../campaigns/schemas.ts';
import { CandidateId } from '../candidates/schemas.ts';

const text = (max: number) => z.string().trim().min(1).max(max);

export const SurveyId = z.string().regex(/^srv_[0-9A-HJKMNP-TV-Z]{26}$/, 'not a survey id');

/** The public form's hidden field that only bots fill in: no question may take its name. */
export const SURVEY_HONEYPOT = 'website';

/** A question's id is also its form field name and its CSV column. */
export const QuestionId = z
  .string()
  .trim()
  .regex(/^[a-z][a-z0-9_-]{0,39}$/, 'lower-case letters, digits, _ and - (at most 40), starting with a letter')
  .refine((id) => id !== SURVEY_HONEYPOT, `${SURVEY_HONEYPOT} is reserved`);

/** `nps`: 0–10 (how likely to recommend); `rating`: 1–5; `text`: free text. */
export const questionTypes = ['nps', 'rating', 'text'] as const;
export const scales = { nps: { min: 0, max: 10 }, rating: { min: 1, max: 5 } } as const;
export const MAX_TEXT_ANSWER = 2000;

export const Question = z.strictObject({
  id: QuestionId,
  type: z.enum(questionTypes),
  label: text(300),
  required: z.boolean().default(false),
});
export type Question = z.output<typeof Question>;

/**
 * What sends the survey: a new application, an application reaching interview, a decision (hired or rejected) —
 * for one job or any —, an attended hiring event (one event or any), or only a recruiter's manual send.
 */
export const triggerKinds = ['application-received', 'interview', 'event-attended', 'hired-or-rejected', 'manual'] as const;
export type TriggerKind = (typeof triggerKinds)[number];
const applicationTriggers: readonly TriggerKind[] = ['application-received', 'interview', 'hired-or-rejected'];
export const MAX_DELAY_DAYS = 180;

export const Trigger = z
  .strictObject({
    on: z.enum(triggerKinds),
    /** How long after the trigger the invitation goes out (ISO 8601: PT1H, P2D); at once when absent. */
    delay: Duration.refine((delay) => addDuration(new Date(0), delay).getTime() <= MAX_DELAY_DAYS * 86_400_000, `at most ${MAX_DELAY_DAYS} days`).optional(),
    /** With `event-attended`: only this hiring event; any event when absent. */
    eventId: text(100).optional(),
    /** With an application trigger: only applications to this job; any job when absent. */
    jobId: text(100).optional(),
  })
  .refine((trigger) => trigger.eventId === undefined || trigger.on === 'event-attended', { path: ['eventId'], message: 'only an event-attended trigger names an event' })
  .refine((trigger) => trigger.jobId === undefined || applicationTriggers.includes(trigger.on), { path: ['jobId'], message: 'only an application trigger names a job' });
export type Trigger = z.output<typeof Trigger>;

export const surveyStatuses = ['active', 'paused'] as const;

const Questions = z
  .array(Question)
  .min(1)
  .max(20)
  .superRefine((questions, ctx) => {
    const seen = new Set<string>();
    questions.forEach((question, i) => {
      if (seen.has(question.id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `the id ${question.id} is used twice` });
      seen.add(question.id);
    });
  });

export const CreateSurvey = z.strictObject({
  /** For the recruiting team. */
  name: text(200),
  /** What the person sees as the email subject and the form's heading. */
  title: text(200).optional(),
  /** A few words above the questions. */
  intro: text(1000).optional(),
  questions: Questions,
  trigger: Trigger,
  status: z.enum(surveyStatuses).default('active'),
});
export type CreateSurvey = z.output<typeof CreateSurvey>;

/** Questions and trigger stay as created, so every response answers the same survey; `null` clears a field. */
export const UpdateSurvey = z
  .strictObject({
    name: text(200).optional(),
    title: text(200).nullable().optional(),
    intro: text(1000).nullable().optional(),
    /** `paused` stops the trigger: invitations not yet sent are skipped. */
    status: z.enum(surveyStatuses).optional(),
  })
  .refine((patch) => Object.keys(patch).length > 0, 'send at least one field to change');
export type UpdateSurvey = z.output<typeof UpdateSurvey>;

export const Survey = z.object({
  id: SurveyId,
  name: z.string(),
  title: z.string().optional(),
  intro: z.string().optional(),
  questions: z.array(Question),
  trigger: Trigger,
  status: z.enum(surveyStatuses),
  /** Invitations sent and answered so far. */
  sent: z.number().int(),
  responses: z.number().int(),
  createdBy: z.string(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  version: z.number().int(),
});
export type Survey = z.output<typeof Survey>;

export const SurveyPage = pageOf(Survey);
export const SurveyById = z.strictObject({ id: SurveyId });
export const ListSurveysQuery = PageQuery.strict();

export const ResultsQuery = z.strictObject({ format: z.enum(['json', 'csv']).default('json') });

export const SendSurvey = z.strictObject({
  candidateIds: z.array(CandidateId).min(1).max(100).transform((ids) => [...new Set(ids)]),
});
export type SendSurvey = z.output<typeof SendSurvey>;

export const SendAccepted = z.object({
  queued: z.number().int(),
  items: z.array(z.object({ candidateId: z.string(), status: z.enum(['queued', 'already-invited', 'not-found']) })),
});
export type SendAccepted = z.output<typeof SendAccepted>;

const AnswerValue = z.union([z.number(), z.string().max(MAX_TEXT_ANSWER * 2), z.null()]);
/**
 * The answers, keyed by question id: `{"answers": {"nps": 9, "comment": "…"}}` as JSON, or the form's fields
 * (`nps=9&comment=…`). Checked against the survey's own questions by the domain, which names the question at fault.
 */
export const AnswerSurvey = z.union([
  z.strictObject({ answers: z.record(z.string().max(64), AnswerValue), [SURVEY_HONEYPOT]: z.string().max(500).optional() }),
  z.record(z.string().max(64), z.union([z.string().max(MAX_TEXT_ANSWER * 2), z.array(z.string().max(MAX_TEXT_ANSWER * 2)).max(20)])),
]);
export type AnswerSurvey = z.output<typeof AnswerSurvey>;

export const SurveyToken = z.strictObject({ token: z.string().min(1).max(400) });

export const AnswerAccepted = z.object({ status: z.literal('received'), message: z.string() });

const TextAnswer = z.object({ invitationId: z.string(), candidateId: z.string(), answeredAt: z.string(), text: z.string() });

export const QuestionResult = z.discriminatedUnion('type', [
  z.object({
    id: z.string(), type: z.literal('nps'), label: z.string(), answered: z.number().int(),
    promoters: z.number().int(), passives: z.number().int(), detractors: z.number().int(),
    /** % promoters (9–10) − % detractors (0–6), a whole number from −100 to 100; null before any answer. */
    nps: z.number().int().nullable(),
  }),
  z.object({
    id: z.string(), type: z.literal('rating'), label: z.string(), answered: z.number().int(),
    /** Mean of the answers to two decimals; null before any answer. */
    average: z.number().nullable(),
    /** How many answered each value, `"1"` to `"5"`. */
    distribution: z.record(z.string(), z.number().int()),
  }),
  z.object({ id: z.string(), type: z.literal('text'), label: z.string(), answered: z.number().int(), answers: z.array(TextAnswer) }),
]);
export type QuestionResult = z.output<typeof QuestionResult>;

export const SurveyResults = z.object({
  surveyId: z.string(),
  name: z.string(),
  status: z.enum(surveyStatuses),
  sent: z.number().int(),
  responses: z.number().int(),
  /** Responses per invitation sent, in percent to one decimal; null before the first send. */
  responseRate: z.number().nullable(),
  /** Invitations not sent, by reason (suppressed, do-not-contact, objected, no-address, paused). */
  skipped: z.record(z.string(), z.number().int()),
  /** Invitations whose sending failed after its retries. */
  failed: z.number().int(),
  questions: z.array(QuestionResult),
});
export type SurveyResults = z.output<typeof SurveyResults>;
