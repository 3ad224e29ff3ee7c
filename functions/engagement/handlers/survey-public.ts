import { config } from '../../../shared/config.ts';
import { Conflict, InvalidInput, Unauthorized } from '../../../shared/errors.ts';
import { endpoint, htmlPage, httpApi, ok, type HttpReply } from '../../../shared/http/api.ts';
import { isFormPost } from '../../../shared/http/request.ts';
import { invitations } from '../adapters/survey-services.ts';
import { submittedAnswers } from '../domain/survey-answers.ts';
import type { AnswerOutcome } from '../domain/survey-invitations.ts';
import { alreadyAnsweredPage, invalidLinkPage, surveyFormPage, thankYouPage } from '../domain/survey-page.ts';
import * as api from '../survey-api.ts';

const RECEIVED = 'Thank you: your answers are saved.';

const surveyForm = endpoint(api.surveyForm, async ({ params }) => {
  const form = await invitations.form(params.token);
  switch (form.state) {
    case 'open':
      return htmlPage(200, surveyFormPage({ survey: form.survey, org: config.organisation }));
    case 'already-answered':
      return htmlPage(200, alreadyAnsweredPage());
    case 'invalid-link':
      return htmlPage(401, invalidLinkPage());
  }
});

/** The form's answer, as a page: the form again with its errors, or what happened. */
function pageFor(outcome: AnswerOutcome, values: Record<string, unknown>): HttpReply {
  switch (outcome.state) {
    case 'received':
      return htmlPage(200, thankYouPage());
    case 'already-answered':
      return htmlPage(409, alreadyAnsweredPage());
    case 'invalid-link':
      return htmlPage(401, invalidLinkPage());
    case 'invalid-answers':
      return htmlPage(400, surveyFormPage({ survey: outcome.survey, org: config.organisation, values, errors: outcome.errors }));
  }
}

/** The JSON answer: the outcome, or the problem. */
function replyFor(outcome: AnswerOutcome): HttpReply {
  switch (outcome.state) {
    case 'received':
      return ok({ status: 'received', message: RECEIVED });
    case 'already-answered':
      throw new Conflict('The answers to this survey were already received; nothing was changed.');
    case 'invalid-link':
      throw new Unauthorized('The survey link is forged or has expired.');
    case 'invalid-answers':
      throw new InvalidInput('Some answers are not valid.', outcome.errors);
  }
}

const answerSurvey = endpoint(api.answerSurvey, async ({ params, body, headers }) => {
  const fromForm = isFormPost(headers);
  const submitted = submittedAnswers(body);
  // A bot filled the hidden field: it gets the usual answer, and nothing is stored.
  if (submitted.bot) return fromForm ? htmlPage(200, thankYouPage()) : ok({ status: 'received', message: RECEIVED });
  const { given } = submitted;
  const outcome = await invitations.answer(params.token, given);
  return fromForm ? pageFor(outcome, given) : replyFor(outcome);
});

export const handler = httpApi(surveyForm, answerSurvey);
