import { relevanceIn as relevance, terms } from '../../../shared/text/bm25.ts';
import type { AskAnswer, Job } from '../schemas.ts';
import { textOf } from './sanitise.ts';
import { jobLocationText } from './site-page.ts';

/** Half the ideal: the matched terms carry at least half the question's weight (see test/unit/assistant.test.ts). */
const MIN_RELEVANCE = 0.5;
const NOT_KNOWN = "I don't know the answer to that. Please contact the recruiting team.";

/**
 * Answers a career-page question from the site's FAQ and open jobs by retrieval, with no model and no network: the
 * best FAQ answer above MIN_RELEVANCE (up to 2 sources) and up to 3 jobs above it; scores are relevance, rounded.
 */
export function answerQuestion(question: string, faq: { question: string; answer: string }[], jobs: Job[]): AskAnswer {
  const documents = [
    ...faq.map((entry) => terms(`${entry.question} ${entry.question} ${entry.answer}`)),
    ...jobs.map((job) => terms(`${job.title} ${job.title} ${job.department ?? ''} ${job.skills.join(' ')} ${jobLocationText(job.location)} ${textOf(job.description)}`)),
  ];
  const scores = relevance(terms(question), documents).map((score) => Math.round(score * 100) / 100);
  const best = (from: number, count: number, limit: number) =>
    scores
      .slice(from, from + count)
      .map((score, index) => ({ score, index }))
      .filter(({ score }) => score >= MIN_RELEVANCE)
      .sort((x, y) => y.score - x.score || x.index - y.index)
      .slice(0, limit);
  const sources = best(0, faq.length, 2).map(({ index, score }) => ({ ...faq[index]!, score }));
  const matchingJobs = best(faq.length, jobs.length, 3).map(({ index, score }) => ({ title: jobs[index]!.title, url: jobs[index]!.url, score }));
  if (!sources.length && !matchingJobs.length) return { answered: false, answer: NOT_KNOWN, sources: [], jobs: [] };
  return {
    answered: true,
    answer: sources[0]?.answer ?? 'These open jobs match your question:',
    sources: sources.map(({ question: source, score }) => ({ question: source, score })),
    jobs: matchingJobs,
  };
}
