import { stemmer } from 'stemmer';
import type { AskAnswer, Job } from '../schemas.ts';
import { textOf } from './sanitise.ts';
import { jobLocationText } from './site-page.ts';

/** English function words and, because every question on a career page is about them, job, role, position and vacancy. */
const stopWords = new Set(
  ('a about after all also am an and any anyone are as at be been but by can could did do does for from get got had has have hello hi how i if in '
    + 'is it its job jobs just know like many me more much my of on or our please position positions possibly role roles so some tell than thank '
    + 'thanks that the their them there these they this those to us vacancies vacancy want was we were what when where whether which who why will '
    + 'with wonder wondering would you your')
    .split(' '),
);

/** Lower-case word stems without stop words: "Can you sponsor my visas?" → sponsor, visa. */
function terms(text: string): string[] {
  return (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).filter((word) => !stopWords.has(word)).map((word) => stemmer(word));
}

/**
 * Okapi BM25 (Lucene's never-negative idf) of every document, divided by the query's ideal score: what a document
 * of average length holding each distinct query term once would score. Words no document has count in the ideal, so
 * a question about something else that shares one ordinary word ("work culture in Peru") stays far below 1.
 */
function relevance(query: string[], documents: string[][], k1 = 1.2, b = 0.75): number[] {
  const averageLength = documents.reduce((sum, doc) => sum + doc.length, 0) / documents.length || 1;
  const idf = [...new Set(query)].map((term) => {
    const containing = documents.filter((doc) => doc.includes(term)).length;
    return [term, Math.log(1 + (documents.length - containing + 0.5) / (containing + 0.5))] as const;
  });
  const ideal = idf.reduce((sum, [, weight]) => sum + weight, 0);
  return documents.map((doc) => {
    const lengthNorm = k1 * (1 - b + (b * doc.length) / averageLength);
    const score = idf.reduce((sum, [term, weight]) => {
      const tf = doc.filter((t) => t === term).length;
      return sum + (weight * tf * (k1 + 1)) / (tf + lengthNorm);
    }, 0);
    return ideal ? score / ideal : 0;
  });
}

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
