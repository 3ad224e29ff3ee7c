import { stringify } from 'csv-stringify/sync';
import { neutralisedCell } from '../../../shared/csv.ts';
import type { Question, QuestionResult, SurveyResults } from '../survey-schemas.ts';
import type { SurveyCounters, SurveyRecord, SurveyResponse } from './survey-ports.ts';

/** Halves away from zero, so +12.5 and −12.5 round to the same size. */
const roundHalfAway = (value: number, decimals = 0) => {
  const factor = 10 ** decimals;
  return (Math.sign(value) * Math.round(Math.abs(value) * factor)) / factor;
};

/**
 * Net Promoter Score of 0–10 answers: % promoters (9–10) − % detractors (0–6), passives (7–8) counting only in
 * the total; a whole number from −100 to 100, or null without answers.
 */
export function netPromoterScore(scores: number[]) {
  const promoters = scores.filter((s) => s >= 9).length;
  const detractors = scores.filter((s) => s <= 6).length;
  const passives = scores.length - promoters - detractors;
  const nps = scores.length ? roundHalfAway(((promoters - detractors) * 100) / scores.length) : null;
  return { answered: scores.length, promoters, passives, detractors, nps };
}

/** Mean of 1–5 ratings to two decimals (null without answers), and how many gave each value. */
export function ratingSummary(ratings: number[]) {
  const distribution = Object.fromEntries([1, 2, 3, 4, 5].map((value) => [String(value), ratings.filter((r) => r === value).length]));
  const average = ratings.length ? roundHalfAway(ratings.reduce((sum, r) => sum + r, 0) / ratings.length, 2) : null;
  return { answered: ratings.length, average, distribution };
}

/** Responses per invitation sent, in percent to one decimal. */
export const responseRate = (sent: number, responses: number) => (sent > 0 ? roundHalfAway((responses * 100) / sent, 1) : null);

const numbersOf = (question: Question, responses: SurveyResponse[]) =>
  responses.map((r) => r.answers[question.id]).filter((value): value is number => typeof value === 'number');

function questionResult(question: Question, responses: SurveyResponse[]): QuestionResult {
  const { id, label } = question;
  switch (question.type) {
    case 'nps':
      return { id, type: 'nps', label, ...netPromoterScore(numbersOf(question, responses)) };
    case 'rating':
      return { id, type: 'rating', label, ...ratingSummary(numbersOf(question, responses)) };
    case 'text': {
      const answers = responses.flatMap((r) => {
        const text = r.answers[id];
        return typeof text === 'string' ? [{ invitationId: r.invitationId, candidateId: r.candidateId, answeredAt: r.answeredAt, text }] : [];
      });
      return { id, type: 'text', label, answered: answers.length, answers };
    }
  }
}

/**
 * The survey's results: counts from its counters (kept as invitations are sent and answered), scores and free text
 * from the answers still held (an erased person's answers go with them; the counts stay).
 */
export function surveyResults(survey: SurveyRecord, counters: SurveyCounters, responses: SurveyResponse[]): SurveyResults {
  return {
    surveyId: survey.id,
    name: survey.name,
    status: survey.status,
    sent: counters.sent,
    responses: counters.responses,
    responseRate: responseRate(counters.sent, counters.responses),
    skipped: counters.skipped,
    failed: counters.failed,
    questions: survey.questions.map((question) => questionResult(question, responses)),
  };
}

/** One row per response, a column per question (its id), oldest first. */
export function resultsCsv(survey: Pick<SurveyRecord, 'questions'>, responses: SurveyResponse[]): string {
  const header = ['invitationId', 'candidateId', 'trigger', 'answeredAt', ...survey.questions.map((q) => q.id)];
  const rows = [...responses]
    .sort((a, b) => a.answeredAt.localeCompare(b.answeredAt))
    .map((r) => [r.invitationId, r.candidateId, r.trigger, r.answeredAt, ...survey.questions.map((q) => r.answers[q.id] ?? '')].map((cell) => neutralisedCell(String(cell))));
  return stringify([header, ...rows]);
}
