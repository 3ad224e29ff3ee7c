import { stemmer } from 'stemmer';
import { remembered } from '../remembered.ts';

/**
 * Text relevance by retrieval, with no model and no network: a tokenizer (lower-case Porter stems without stop words)
 * and Okapi BM25. Shared by the career-site assistant (functions/syndication) and candidate matching
 * (functions/candidates, docs/matching.md).
 */

/** English function words and, because every question on a career page is about them, job, role, position and vacancy. */
const stopWords = new Set(
  ('a about after all also am an and any anyone are as at be been but by can could did do does for from get got had has have hello hi how i if in '
    + 'is it its job jobs just know like many me more much my of on or our please position positions possibly role roles so some tell than thank '
    + 'thanks that the their them there these they this those to us vacancies vacancy want was we were what when where whether which who why will '
    + 'with wonder wondering would you your')
    .split(' '),
);

/** Lower-case word stems without stop words: "Can you sponsor my visas?" → sponsor, visa. */
/** The same few thousand words recur across profiles and jobs, and stemming is the cost. */
const stem = remembered(stemmer);

export function terms(text: string): string[] {
  return (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).filter((word) => !stopWords.has(word)).map(stem);
}

/** A corpus prepared once (document frequencies, lengths, term counts) so many queries score against it cheaply. */
export interface Corpus {
  readonly size: number;
  /** The BM25 relevance of one document to the query, divided by the query's ideal score (see `relevanceIn`). */
  relevance(query: readonly string[], document: number): number;
  /**
   * How much of a document the query covers, 0–1: its BM25 score divided by the document's self-score, what the
   * document's own `words` most weighty distinct terms score against it. Unlike `relevance`, a query of one word
   * that the document holds scores a small part of 1, never all of it (unless the document holds one word only).
   */
  coverage(query: readonly string[], document: number, words: number): number;
}

export function corpusOf(documents: readonly (readonly string[])[], k1 = 1.2, b = 0.75): Corpus {
  const averageLength = documents.reduce((sum, doc) => sum + doc.length, 0) / documents.length || 1;
  const counts = documents.map((doc) => {
    const tf = new Map<string, number>();
    for (const term of doc) tf.set(term, (tf.get(term) ?? 0) + 1);
    return tf;
  });
  const containing = new Map<string, number>();
  for (const tf of counts) for (const term of tf.keys()) containing.set(term, (containing.get(term) ?? 0) + 1);
  // Lucene's never-negative idf.
  const idf = (term: string) => Math.log(1 + (documents.length - (containing.get(term) ?? 0) + 0.5) / ((containing.get(term) ?? 0) + 0.5));
  /** What one term of the query adds to a document's BM25 score. */
  const weight = (term: string, document: number) => {
    const n = counts[document]!.get(term) ?? 0;
    const lengthNorm = k1 * (1 - b + (b * documents[document]!.length) / averageLength);
    return (idf(term) * n * (k1 + 1)) / (n + lengthNorm);
  };
  const selfScores = new Map<string, number>();
  const score = (query: readonly string[], document: number) => [...new Set(query)].reduce((sum, term) => sum + weight(term, document), 0);
  return {
    size: documents.length,
    relevance(query, document) {
      const ideal = [...new Set(query)].reduce((sum, term) => sum + idf(term), 0);
      return ideal ? score(query, document) / ideal : 0;
    },
    coverage(query, document, words) {
      const key = `${document}:${words}`;
      let self = selfScores.get(key);
      if (self === undefined) {
        const own = [...counts[document]!.keys()].map((term) => weight(term, document)).sort((x, y) => y - x);
        selfScores.set(key, (self = own.slice(0, words).reduce((sum, w) => sum + w, 0)));
      }
      return self ? Math.min(1, score(query, document) / self) : 0;
    },
  };
}

/**
 * Okapi BM25 of every document, divided by the query's ideal score: what a document of average length holding each
 * distinct query term once would score. Words no document has count in the ideal, so a query about something else
 * that shares one ordinary word stays far below 1.
 */
export function relevanceIn(query: readonly string[], documents: readonly (readonly string[])[]): number[] {
  const corpus = corpusOf(documents);
  return documents.map((_, index) => corpus.relevance(query, index));
}
