import type { FieldError } from '../../../shared/errors.ts';
import { escapeHtml as escape, simplePage } from '../../../shared/html.ts';
import { MAX_TEXT_ANSWER, scales, SURVEY_HONEYPOT, type Question } from '../survey-schemas.ts';
import type { Organisation, SurveyRecord } from './survey-ports.ts';

/** How long a survey link works. */
export const SURVEY_LINK_DAYS = 30;

export const surveyTitle = (survey: Pick<SurveyRecord, 'title'>, org: Organisation) => survey.title ?? `Your experience with ${org.name}`;

const scaleHints = { nps: '0 means not at all likely, 10 extremely likely.', rating: '1 means very poor, 5 excellent.' } as const;

// Touch-sized choices that wrap on a phone; inline styles, since the page's CSP allows no stylesheet but its own.
const choicesStyle = 'display:flex;flex-wrap:wrap;gap:.4rem;margin:.5rem 0';
const choiceStyle = 'display:inline-flex;align-items:center;gap:.3rem;min-width:2.75rem;min-height:2.75rem;padding:0 .6rem;border:1px solid #767676;border-radius:4px;box-sizing:border-box';
const errorStyle = 'color:#b00020;font-weight:600;margin:.25rem 0';
const trapStyle = 'position:absolute;left:-9999px;width:1px;height:1px;overflow:hidden';

const fieldId = (question: Question) => `q-${question.id}`;
const requiredMark = (question: Question) => (question.required ? ' <span>(required)</span>' : ' <span>(optional)</span>');

function errorLine(question: Question, error: FieldError | undefined) {
  return error ? `<p id="${fieldId(question)}-error" style="${errorStyle}">Error: ${escape(error.message)}</p>` : '';
}

/** A 0–10 or 1–5 scale: a fieldset whose legend is the question, one labelled radio button per value. */
function scaleQuestion(question: Question & { type: 'nps' | 'rating' }, value: unknown, error: FieldError | undefined): string {
  const id = fieldId(question);
  const { min, max } = scales[question.type];
  const described = [`${id}-hint`, ...(error ? [`${id}-error`] : [])].join(' ');
  const choices = Array.from({ length: max - min + 1 }, (_, i) => min + i)
    .map((n) => {
      const checked = String(value ?? '').trim() === String(n) ? ' checked' : '';
      return `<label style="${choiceStyle}"><input type="radio" name="${escape(question.id)}" value="${n}"${question.required ? ' required' : ''}${checked}> ${n}</label>`;
    })
    .join('\n');
  return `<fieldset id="${id}" aria-describedby="${described}">
<legend>${escape(question.label)}${requiredMark(question)}</legend>
<p id="${id}-hint">${scaleHints[question.type]}</p>
${errorLine(question, error)}<div style="${choicesStyle}">
${choices}
</div>
</fieldset>`;
}

function textQuestion(question: Question, value: unknown, error: FieldError | undefined): string {
  const id = fieldId(question);
  const text = typeof value === 'string' ? value : '';
  return `<p><label for="${id}">${escape(question.label)}${requiredMark(question)}</label></p>
${errorLine(question, error)}<textarea id="${id}" name="${escape(question.id)}" rows="5" maxlength="${MAX_TEXT_ANSWER}" style="width:100%;box-sizing:border-box;font:inherit"${question.required ? ' required' : ''}${error ? ` aria-invalid="true" aria-describedby="${id}-error"` : ''}>${escape(text)}</textarea>`;
}

/**
 * The survey as a plain HTML form: it posts to its own address and works without JavaScript. Given the errors of a
 * submission, it shows them above the form (linked to their questions) and beside each question, with the answers kept.
 */
export function surveyFormPage(input: { survey: Pick<SurveyRecord, 'title' | 'intro' | 'questions'>; org: Organisation; values?: Record<string, unknown>; errors?: FieldError[] }): string {
  const { survey, org, values = {}, errors = [] } = input;
  const errorOf = (question: Question) => errors.find((e) => e.path === `answers.${question.id}`);
  const summary = errors.length
    ? `<div role="alert" style="border:2px solid #b00020;padding:0 1rem;margin:1rem 0"><h2>Please check your answers</h2><ul>${errors
        .map((e) => {
          const question = survey.questions.find((q) => e.path === `answers.${q.id}`);
          return `<li>${question ? `<a href="#${fieldId(question)}">${escape(e.message)}</a>` : escape(e.message)}</li>`;
        })
        .join('')}</ul></div>`
    : '';
  const questions = survey.questions
    .map((question) =>
      question.type === 'text'
        ? textQuestion(question, values[question.id], errorOf(question))
        : scaleQuestion(question as Question & { type: 'nps' | 'rating' }, values[question.id], errorOf(question)),
    )
    .join('\n');
  return simplePage(surveyTitle(survey, org), `${summary}
${survey.intro ? `<p>${escape(survey.intro)}</p>` : ''}
<p>Your answers go to the recruiting team at ${escape(org.name)} and help us treat candidates better. They are kept with your candidate record, so you can ask for a copy or their erasure at any time.</p>
<form method="post">
${questions}
<div aria-hidden="true" style="${trapStyle}"><label for="survey-${SURVEY_HONEYPOT}">Website</label><input id="survey-${SURVEY_HONEYPOT}" name="${SURVEY_HONEYPOT}" type="text" tabindex="-1" autocomplete="off"></div>
<p><button type="submit">Send my answers</button></p>
</form>`);
}

export const thankYouPage = () => simplePage('Thank you!', '<p role="status">Your answers are saved. Thank you for taking the time to tell us.</p>');

export const alreadyAnsweredPage = () =>
  simplePage('Your answers were already received', '<p role="status">We already have your answers to this survey, so nothing was changed. Thank you again for them.</p>');

export const invalidLinkPage = () =>
  simplePage('This link does not work', `<p>The link is incomplete or has expired (survey links work for ${SURVEY_LINK_DAYS} days). Nothing was saved.</p>`);
