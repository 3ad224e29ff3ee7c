import { ApplicationReceived, ApplicationStatusChanged } from '../../events/candidates.ts';
import { EventAttended } from '../../events/engagement.ts';
import { route } from '../../shared/http/route.ts';
import {
  AnswerAccepted, AnswerSurvey, CreateSurvey, ListSurveysQuery, ResultsQuery, SendAccepted, SendSurvey, Survey, SurveyById, SurveyPage, SurveyResults,
  SurveyToken, SURVEY_HONEYPOT, UpdateSurvey,
} from './survey-schemas.ts';

const tag = 'surveys';

export const createSurvey = route({
  method: 'POST', path: '/surveys', access: 'recruiter', tag,
  summary: 'Create a feedback survey: NPS (0–10), rating (1–5) and free-text questions, and what sends it (an application, an interview, a hiring event, a decision, or only by hand) after a delay',
  body: CreateSurvey, response: Survey, status: 201, idempotent: true,
});
export const listSurveys = route({ method: 'GET', path: '/surveys', access: 'viewer', tag, summary: 'List surveys, newest first, with how many were sent and answered', query: ListSurveysQuery, response: SurveyPage });
export const getSurvey = route({ method: 'GET', path: '/surveys/{id}', access: 'viewer', tag, summary: 'Read a survey (ETag carries the version)', params: SurveyById, response: Survey });
export const updateSurvey = route({
  method: 'PATCH', path: '/surveys/{id}', access: 'recruiter', tag,
  summary: 'Rename a survey or change its title and intro; status paused stops its trigger (invitations not yet sent are skipped), active resumes it',
  params: SurveyById, body: UpdateSurvey, response: Survey, conditional: true,
});
export const sendSurvey = route({
  method: 'POST', path: '/surveys/{id}/sends', access: 'recruiter', tag,
  summary: 'Send the survey to these people after its delay; each person gets one manual invitation per survey',
  params: SurveyById, body: SendSurvey, response: SendAccepted, status: 202, idempotent: true,
});
export const surveyResults = route({
  method: 'GET', path: '/surveys/{id}/results', access: 'viewer', tag,
  summary: 'Sent, responses, response rate, NPS and rating averages per question, and the free-text answers; ?format=csv gives one row per response',
  params: SurveyById, query: ResultsQuery, response: SurveyResults,
});

/** The link in the email: a person opens it a few times; scripts get 429. */
const linkLimit = { rps: 5, burst: 20 };

export const surveyForm = route({
  method: 'GET', path: '/public/surveys/{token}', access: 'public', tag,
  summary: 'The survey behind the emailed link, as an accessible HTML form that works without JavaScript (401 for a forged or expired link)',
  params: SurveyToken, rateLimit: linkLimit,
});
export const answerSurvey = route({
  method: 'POST', path: '/public/surveys/{token}', access: 'public', tag,
  summary: 'Answer the survey once (the form, or JSON {answers: {questionId: value}}); 400 names the question at fault, 409 when already answered, 401 for a forged or expired link',
  params: SurveyToken, body: AnswerSurvey, form: true, response: AnswerAccepted, honeypot: SURVEY_HONEYPOT, rateLimit: { rps: 2, burst: 10 },
});

/** The events that send surveys: a new application, an application's status (interview, hired, rejected), an attended hiring event. */
export const surveyTriggers = [ApplicationReceived, ApplicationStatusChanged, EventAttended];
