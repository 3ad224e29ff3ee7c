import { describe, expect, it } from 'vitest';
import { checkAnswers, submittedAnswers } from '../../functions/engagement/domain/survey-answers.ts';
import { surveyFormPage } from '../../functions/engagement/domain/survey-page.ts';
import type { Question } from '../../functions/engagement/survey-schemas.ts';
import { CreateSurvey } from '../../functions/engagement/survey-schemas.ts';

const questions: Question[] = [
  { id: 'recommend', type: 'nps', label: 'How likely are you to recommend us?', required: true },
  { id: 'process', type: 'rating', label: 'How clear was the process?', required: false },
  { id: 'comment', type: 'text', label: 'Anything else?', required: false },
];
const org = { name: 'Acme Robotics', url: 'https://acme.example' };

describe('checking answers against the survey', () => {
  it('takes numbers from JSON and digits from a form, trims free text and leaves out unanswered optional questions', () => {
    expect(checkAnswers(questions, { recommend: 9, comment: '  Great  ' })).toEqual({ answers: { recommend: 9, comment: 'Great' } });
    expect(checkAnswers(questions, { recommend: '0', process: '5', comment: '' })).toEqual({ answers: { recommend: 0, process: 5 } });
  });

  it('names the required question left unanswered', () => {
    expect(checkAnswers(questions, { process: 3 })).toEqual({ errors: [{ path: 'answers.recommend', message: '"How likely are you to recommend us?" needs an answer' }] });
  });

  it('names the question whose answer is off its scale or not a whole number', () => {
    expect(checkAnswers(questions, { recommend: 11 })).toEqual({ errors: [{ path: 'answers.recommend', message: expect.stringContaining('whole number from 0 to 10') }] });
    expect(checkAnswers(questions, { recommend: 5, process: 0 })).toEqual({ errors: [{ path: 'answers.process', message: expect.stringContaining('from 1 to 5') }] });
    expect(checkAnswers(questions, { recommend: 7.5 })).toMatchObject({ errors: [{ path: 'answers.recommend' }] });
    expect(checkAnswers(questions, { recommend: 'ten' })).toMatchObject({ errors: [{ path: 'answers.recommend' }] });
  });

  it('refuses two answers to one question, text over 2,000 characters and questions the survey does not ask', () => {
    expect(checkAnswers(questions, { recommend: ['9', '10'] })).toMatchObject({ errors: [{ path: 'answers.recommend', message: expect.stringContaining('one answer') }] });
    expect(checkAnswers(questions, { recommend: 9, comment: 'x'.repeat(2001) })).toMatchObject({ errors: [{ path: 'answers.comment' }] });
    expect(checkAnswers(questions, { recommend: 9, salary: 'more' })).toEqual({ errors: [{ path: 'answers.salary', message: 'not a question of this survey' }] });
  });
});

describe('a submitted answer', () => {
  it('keeps the answers when the hidden honeypot field comes empty, as every browser form and many clients send it', () => {
    expect(submittedAnswers({ recommend: '9', website: '' })).toEqual({ bot: false, given: { recommend: '9' } });
    expect(submittedAnswers({ answers: { recommend: 9 }, website: '' })).toEqual({ bot: false, given: { recommend: 9 } });
    expect(submittedAnswers({ answers: { recommend: 9 } })).toEqual({ bot: false, given: { recommend: 9 } });
  });

  it('is a bot\'s when the honeypot field is filled in', () => {
    expect(submittedAnswers({ recommend: '9', website: 'https://spam.example' })).toEqual({ bot: true });
  });
});

describe('a survey definition', () => {
  const base = { name: 'Applicant experience', questions, trigger: { on: 'application-received', delay: 'PT1H' } };

  it('refuses two questions with one id, naming the second', () => {
    const result = CreateSurvey.safeParse({ ...base, questions: [...questions, { id: 'comment', type: 'text', label: 'Again?' }] });
    expect(result.error?.issues[0]?.path).toEqual(['questions', 3, 'id']);
  });

  it('refuses the honeypot field name as a question id, an event id on another trigger and a delay over 180 days', () => {
    expect(CreateSurvey.safeParse({ ...base, questions: [{ id: 'website', type: 'text', label: 'Site?' }] }).success).toBe(false);
    expect(CreateSurvey.safeParse({ ...base, trigger: { on: 'interview', eventId: 'hev_1' } }).error?.issues[0]?.path).toEqual(['trigger', 'eventId']);
    expect(CreateSurvey.safeParse({ ...base, trigger: { on: 'manual', delay: 'P181D' } }).success).toBe(false);
    expect(CreateSurvey.safeParse({ ...base, trigger: { on: 'manual', delay: 'P180D' } }).success).toBe(true);
  });
});

describe('the survey form page', () => {
  const survey = { title: 'Your application at <Acme>', intro: 'Two minutes, promised.', questions };

  it('puts each scale in a fieldset whose legend is the question, one labelled radio button per value', () => {
    const html = surveyFormPage({ survey, org });
    expect(html).toContain('<legend>How likely are you to recommend us? <span>(required)</span></legend>');
    expect(html.match(/<input type="radio" name="recommend" value="\d+" required>/g)).toHaveLength(11);
    expect(html.match(/<input type="radio" name="process" value="\d"/g)).toHaveLength(5);
    expect(html).toContain('<label for="q-comment">Anything else? <span>(optional)</span></label>');
    expect(html).toContain('<textarea id="q-comment" name="comment"');
  });

  it('is a plain form posting to its own address, without scripts, readable on a phone', () => {
    const html = surveyFormPage({ survey, org });
    expect(html).toContain('<form method="post">');
    expect(html).not.toContain('<script');
    expect(html).toContain('name="viewport" content="width=device-width, initial-scale=1"');
    expect(html).toContain('<title>Your application at &lt;Acme&gt;</title>');
  });

  it('shows the errors above the form linked to their questions, beside each question, and keeps the answers given', () => {
    const html = surveyFormPage({ survey, org, values: { process: '4', comment: 'So <so>' }, errors: [{ path: 'answers.recommend', message: '"How likely are you to recommend us?" needs an answer' }] });
    expect(html).toContain('<div role="alert"');
    expect(html).toContain('<a href="#q-recommend">&quot;How likely are you to recommend us?&quot; needs an answer</a>');
    expect(html).toContain('aria-describedby="q-recommend-hint q-recommend-error"');
    expect(html).toContain('<p id="q-recommend-error"');
    expect(html).toContain('value="4" checked>');
    expect(html).toContain('>So &lt;so&gt;</textarea>');
  });
});
