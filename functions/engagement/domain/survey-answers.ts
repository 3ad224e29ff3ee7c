import type { FieldError } from '../../../shared/errors.ts';
import { MAX_TEXT_ANSWER, scales, SURVEY_HONEYPOT, type Question } from '../survey-schemas.ts';
import type { AnswerValue } from './survey-ports.ts';

export type CheckedAnswers = { answers: Record<string, AnswerValue> } | { errors: FieldError[] };

const blank = (value: unknown) => value === undefined || value === null || (typeof value === 'string' && value.trim() === '');

/** A scale answer: a JSON number, or the digits a form sends. */
function scaleValue(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) ? value : undefined;
  if (typeof value === 'string' && /^\s*\d{1,2}\s*$/.test(value)) return Number(value);
  return undefined;
}

/**
 * Answers checked against the survey's own questions: each error's path names the question (`answers.<id>`).
 * Unanswered optional questions are left out; free text is trimmed.
 */
export function checkAnswers(questions: readonly Question[], given: Record<string, unknown>): CheckedAnswers {
  const errors: FieldError[] = [];
  const answers: Record<string, AnswerValue> = {};
  const known = new Set(questions.map((q) => q.id));
  for (const id of Object.keys(given)) if (!known.has(id)) errors.push({ path: `answers.${id}`, message: 'not a question of this survey' });
  for (const question of questions) {
    const path = `answers.${question.id}`;
    const value = given[question.id];
    if (blank(value)) {
      if (question.required) errors.push({ path, message: `"${question.label}" needs an answer` });
      continue;
    }
    if (Array.isArray(value)) {
      errors.push({ path, message: `"${question.label}" takes one answer` });
      continue;
    }
    if (question.type === 'text') {
      const text = typeof value === 'string' ? value.trim() : undefined;
      if (text === undefined) errors.push({ path, message: `"${question.label}" takes text` });
      else if (text.length > MAX_TEXT_ANSWER) errors.push({ path, message: `"${question.label}" takes at most ${MAX_TEXT_ANSWER} characters` });
      else answers[question.id] = text;
      continue;
    }
    const { min, max } = scales[question.type];
    const score = scaleValue(value);
    if (score === undefined || score < min || score > max) errors.push({ path, message: `"${question.label}" takes a whole number from ${min} to ${max}` });
    else answers[question.id] = score;
  }
  return errors.length ? { errors } : { answers };
}

/**
 * The answers a submission gives (`{answers: {...}}` or the fields themselves), without the hidden honeypot field,
 * which the form always posts (empty); `bot` when that field was filled in.
 */
export function submittedAnswers(body: Record<string, unknown>): { bot: true } | { bot: false; given: Record<string, unknown> } {
  const { [SURVEY_HONEYPOT]: trap, ...rest } = body;
  if (typeof trap === 'string' && trap !== '') return { bot: true };
  const nested = rest.answers;
  return { bot: false, given: nested !== null && typeof nested === 'object' && !Array.isArray(nested) ? (nested as Record<string, unknown>) : rest };
}
