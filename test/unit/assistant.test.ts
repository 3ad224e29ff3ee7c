import { describe, expect, it } from 'vitest';
import { answerQuestion } from '../../functions/syndication/domain/assistant.ts';
import { aJob } from '../fixtures/builders.ts';

const faq = [
  { question: 'Do you offer visa sponsorship?', answer: 'Yes. We sponsor work visas for all engineering roles in Germany and help with relocation.' },
  { question: 'Can I work remotely?', answer: 'Many of our teams work remotely from anywhere in the EU; some roles are hybrid in Berlin.' },
  { question: 'What does the interview process look like?', answer: 'A call with a recruiter, a take-home exercise and a final interview with the team.' },
  { question: 'What benefits do you offer?', answer: 'Thirty days of paid holiday, a learning budget, a pension plan and a yearly team trip.' },
  { question: 'Which languages do you speak at work?', answer: 'Our working language is English; German helps but is not required.' },
];
const remoteBackend = aJob({ title: 'Senior Backend Engineer', description: '<p>Build our APIs with <strong>TypeScript</strong> on AWS Lambda.</p>', url: 'https://jobs.example.com/a', location: { type: 'remote', applicantCountries: ['DE', 'PL'] } });
const recruiter = aJob({ title: 'Recruiter', department: 'People', skills: ['sourcing'], description: '<p>Hire great people for our team.</p>', url: 'https://jobs.example.com/b' });
const remoteAnalyst = aJob({ title: 'Data Analyst', department: 'Data', skills: ['sql'], description: '<p>Turn data into decisions.</p>', url: 'https://jobs.example.com/c', location: { type: 'remote', applicantCountries: ['DE'] } });
const officeManager = aJob({ title: 'Office Manager', department: 'Operations', skills: [], description: '<p>Keep our Munich office running.</p>', url: 'https://jobs.example.com/d', location: { type: 'onsite', address: { city: 'Munich', country: 'DE' } } });
const jobs = [remoteBackend, recruiter, remoteAnalyst, officeManager];
const notKnown = { answered: false, answer: "I don't know the answer to that. Please contact the recruiting team.", sources: [], jobs: [] };

describe('the career-page assistant', () => {
  it('answers "Can you sponsor my visa?" from the FAQ "Do you offer visa sponsorship?" through stems its answer shares', () => {
    const reply = answerQuestion('Can you sponsor my visa?', faq, jobs);
    expect(reply).toMatchObject({ answered: true, answer: faq[0]!.answer, jobs: [] });
    expect(reply.sources).toEqual([{ question: 'Do you offer visa sponsorship?', score: expect.any(Number) }]);
  });

  it('answers a question about remote work with the FAQ and the remote jobs only', () => {
    const reply = answerQuestion('Do you have remote jobs?', faq, jobs);
    expect(reply.answer).toBe(faq[1]!.answer);
    expect(reply.jobs.map((job) => job.url).sort()).toEqual([remoteBackend.url, remoteAnalyst.url]);
  });

  it('lists matching jobs when no FAQ entry fits', () => {
    expect(answerQuestion('Is the office in Munich?', faq, jobs)).toEqual({
      answered: true, answer: 'These open jobs match your question:', sources: [], jobs: [{ title: 'Office Manager', url: officeManager.url, score: expect.any(Number) }],
    });
  });

  it('says it does not know the capital of Peru', () => {
    expect(answerQuestion('What is the capital of Peru?', faq, jobs)).toEqual(notKnown);
  });

  it('says it does not know when a question shares only one ordinary word with an FAQ entry', () => {
    // "work" is in two FAQ entries; "culture" and "Peru" are in none, so the match carries too little of the question.
    expect(answerQuestion('What is the work culture in Peru?', faq, jobs)).toEqual(notKnown);
    expect(answerQuestion('Tell me a joke about work', faq, jobs)).toEqual(notKnown);
  });

  it('says it does not know when the site has no FAQ and no jobs', () => {
    expect(answerQuestion('Can you sponsor my visa?', [], [])).toEqual(notKnown);
  });

  it('says it does not know a question made only of stop words', () => {
    expect(answerQuestion('What is it?', faq, jobs)).toEqual(notKnown);
  });

  it('answers from a site with a single FAQ entry, where every word is rare and scores are small', () => {
    expect(answerQuestion('Can you sponsor my visa?', faq.slice(0, 1), [])).toMatchObject({ answered: true, answer: faq[0]!.answer });
  });

  it('ignores words inside HTML tags of a job description', () => {
    const styled = aJob({ title: 'Engineer', description: '<p class="kubernetes">Build things.</p>', skills: [] });
    expect(answerQuestion('kubernetes', [], [styled])).toEqual(notKnown);
  });

  it('orders by score, then keeps the original order of equal scores, and rounds scores to 2 decimals', () => {
    const twin = { ...remoteAnalyst, url: 'https://jobs.example.com/twin' };
    const reply = answerQuestion('data analyst', [], [recruiter, remoteAnalyst, twin]);
    expect(reply.jobs.map((job) => job.url)).toEqual([remoteAnalyst.url, twin.url]);
    for (const job of reply.jobs) expect(job.score).toBe(Math.round(job.score * 100) / 100);
  });
});
