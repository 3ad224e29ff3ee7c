import { EMAIL_CONSENT, hasConsent, objectsToProfiling, type ConsentRecord } from '../consents.ts';
import { remembered } from '../remembered.ts';
import { corpusOf, terms, type Corpus } from '../text/bm25.ts';
import { namedIn, skillVariants } from './skills.ts';

/**
 * Explainable fit between a job and a person: criteria points plus BM25 text relevance plus engagement, each
 * reason carrying its points, so the reasons add up to the score. Pure and shared: the candidates context answers
 * GET /jobs/{id}/matches and GET /candidates/{id}/job-suggestions with it, and the campaigns context fills the
 * {{jobSuggestions}} block of emails with `suggestedJobs`, so a person sees the same jobs in both. docs/matching.md.
 */

export interface MatchJob {
  id?: string;
  title: string;
  url?: string;
  /** HTML or text; skills named here but not listed are the nice-to-haves, "5+ years" the experience asked for. */
  description?: string;
  /** The required skills. */
  skills: readonly string[];
  location: { type: 'onsite' | 'hybrid' | 'remote'; city?: string; country?: string; applicantCountries?: readonly string[] };
}

export interface MatchCandidate {
  id: string;
  headline?: string;
  skills: readonly string[];
  location?: { city?: string; country?: string };
  timezone?: string;
  experienceYears?: number;
  status: string;
  consents: readonly ConsentRecord[];
  /** The engagement score now (decayed by its owner, functions/candidates/domain/engagement.ts); absent counts 0. */
  engagement?: number;
}

export const criteria = ['skill', 'nice-to-have', 'location', 'time-zone', 'experience', 'status', 'consent', 'text', 'engagement'] as const;
export interface Reason {
  criterion: (typeof criteria)[number];
  detail: string;
  points: number;
}
export interface Fit {
  score: number;
  reasons: Reason[];
}

export const POINTS = {
  /** Per required skill the person has (directly or by a synonym), up to three. */
  skill: 15,
  skillMax: 45,
  /** Per skill of theirs the description names beyond the required ones, up to three. */
  niceToHave: 3,
  niceToHaveMax: 9,
  country: 10,
  city: 5,
  /** Within TIME_ZONE_HOURS of the office's time zone, for remote and hybrid work. */
  timeZone: 5,
  experience: 10,
  experienceNear: 5,
  status: { active: 10, passive: 5 } as Record<string, number>,
  consent: 5,
  text: 20,
  engagementMax: 10,
} as const;
const TIME_ZONE_HOURS = 3;
/**
 * Text points are the share of the job's TEXT_WORDS most weighty words the profile covers: a full headline's worth.
 * A profile of one word the job holds gets a small part of the text points, never all of them.
 */
export const TEXT_WORDS = 8;

/** Why someone is never ranked for a job nor suggested one: a person we must not approach, or who objected to profiling. */
export const withheldReasons = ['do-not-contact', 'objected-to-profiling'] as const;
export function withheld(candidate: Pick<MatchCandidate, 'status' | 'consents'>): (typeof withheldReasons)[number] | undefined {
  if (candidate.status === 'do-not-contact') return 'do-not-contact';
  if (objectsToProfiling(candidate.consents)) return 'objected-to-profiling';
  return undefined;
}

const plainText = (html: string) => html.replace(/<[^>]*>/g, ' ').replace(/&[a-z]+;|&#\d+;/gi, ' ');

/** "5+ years", "3 years of": the first number of years the description asks for. */
export function yearsAskedFor(description: string | undefined): number | undefined {
  const found = description ? /(\d{1,2})\s*\+?\s*(?:or more\s+)?years?\b/i.exec(plainText(description)) : null;
  return found ? Number(found[1]) : undefined;
}

/** The IANA zone named after a city (Europe/London for London), when there is one. */
const zoneByCity = new Map(Intl.supportedValuesOf('timeZone').map((zone) => [zone.split('/').at(-1)!.toLowerCase(), zone]));
const zoneOfCity = (city: string) => zoneByCity.get(city.trim().toLowerCase().replace(/ /g, '_'));
/** One formatter per zone: building one costs milliseconds, more than scoring a person (bench/insights.ts). */
const offsetFormats = new Map<string, Intl.DateTimeFormat>();
/** Offsets at the instant last asked for: a request scores everyone at one `now`, and formatting is its main cost. */
let offsetsAt = '';
const offsets = new Map<string, number | undefined>();
/** Minutes east of UTC of a zone at an instant. */
function offsetMinutes(zone: string, at: string): number | undefined {
  if (at !== offsetsAt) {
    offsets.clear();
    offsetsAt = at;
  }
  if (!offsets.has(zone)) offsets.set(zone, zoneOffset(zone, at));
  return offsets.get(zone);
}
function zoneOffset(zone: string, at: string): number | undefined {
  try {
    let format = offsetFormats.get(zone);
    if (!format) offsetFormats.set(zone, (format = new Intl.DateTimeFormat('en', { timeZone: zone, timeZoneName: 'longOffset' })));
    const name = format.formatToParts(new Date(at)).find((p) => p.type === 'timeZoneName')?.value ?? '';
    const found = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
    return found ? (found[1] === '-' ? -1 : 1) * (Number(found[2]) * 60 + Number(found[3])) : 0;
  } catch {
    return undefined;
  }
}

/** The word stems naming a skill or its synonyms, per skill: every person brings theirs again. */
const termsOfSkill = remembered((skill) => skillVariants(skill).flatMap(terms));
/** The word stems that name any of these skills or their synonyms. */
const skillTermsOf = (skills: readonly string[]) => new Set(skills.flatMap(termsOfSkill));

/**
 * Text is what the skill criteria do not already count: words naming a required skill are left out of the job's
 * text, and words naming the job's or the person's skills out of the person's, so no skill scores twice.
 */
export const jobTerms = (job: MatchJob) => {
  const skillWords = skillTermsOf(job.skills);
  return terms(`${job.title} ${job.title} ${plainText(job.description ?? '')}`).filter((term) => !skillWords.has(term));
};
const candidateTerms = (candidate: MatchCandidate, job: MatchJob) => {
  const skillWords = skillTermsOf([...job.skills, ...candidate.skills]);
  return terms(candidate.headline ?? '').filter((term) => !skillWords.has(term));
};

/** What scoring needs of a job, worked out once per job, not once per person (a request scores up to 300). */
interface PreparedJob {
  description: string;
  required: Set<string>;
  /** Whether the description names a skill (by any of its names), asked per skill as people bring them. */
  names: (skill: string) => boolean;
  asked: number | undefined;
  officeZone: string | undefined;
}
const preparedJobs = new WeakMap<MatchJob, PreparedJob>();
function prepared(job: MatchJob): PreparedJob {
  let found = preparedJobs.get(job);
  if (!found) {
    const description = plainText(job.description ?? '');
    const named = new Map<string, boolean>();
    found = {
      description,
      required: new Set(job.skills.flatMap(skillVariants)),
      names: (skill) => {
        let answer = named.get(skill);
        if (answer === undefined) named.set(skill, (answer = skillVariants(skill).some((v) => namedIn(description, v))));
        return answer;
      },
      asked: yearsAskedFor(job.description),
      officeZone: job.location.type !== 'onsite' && job.location.city ? zoneOfCity(job.location.city) : undefined,
    };
    preparedJobs.set(job, found);
  }
  return found;
}

/** The criteria points and reasons of one job and one person; `relevance` is their text relevance (0–1). */
export function fitOf(job: MatchJob, candidate: MatchCandidate, relevance: number, now: string): Fit {
  const reasons: Reason[] = [];
  const add = (criterion: Reason['criterion'], detail: string, points: number) => {
    if (points > 0) reasons.push({ criterion, detail, points });
  };
  const theirs = new Set(candidate.skills.map((s) => s.toLowerCase()));
  const { required, names, asked, officeZone } = prepared(job);

  let skillPoints = 0;
  for (const skill of job.skills) {
    const variants = skillVariants(skill);
    const direct = theirs.has(skill.toLowerCase());
    const synonym = direct ? undefined : variants.find((v) => theirs.has(v));
    if (!direct && !synonym) continue;
    const points = Math.min(POINTS.skill, POINTS.skillMax - skillPoints);
    skillPoints += points;
    add('skill', synonym ? `has ${skill.toLowerCase()} (as ${synonym})` : `has ${skill.toLowerCase()}`, points);
  }

  let nicePoints = 0;
  for (const skill of theirs) {
    if (required.has(skill) || !names(skill)) continue;
    const points = Math.min(POINTS.niceToHave, POINTS.niceToHaveMax - nicePoints);
    nicePoints += points;
    add('nice-to-have', `has ${skill}, named in the description`, points);
  }

  const country = candidate.location?.country;
  const city = candidate.location?.city;
  const allowed = job.location.applicantCountries ?? [];
  if (job.location.type === 'remote' && !allowed.length) add('location', 'the job is remote', POINTS.country);
  else if (country && job.location.type !== 'remote' && country === job.location.country) {
    const sameCity = city !== undefined && job.location.city !== undefined && city.toLowerCase() === job.location.city.toLowerCase();
    add('location', sameCity ? `lives in ${job.location.city}, ${country}` : `lives in ${country}`, POINTS.country + (sameCity ? POINTS.city : 0));
  } else if (country && allowed.includes(country)) add('location', `may work remotely from ${country}`, POINTS.country);

  if (officeZone && candidate.timezone) {
    const [theirOffset, officeOffset] = [offsetMinutes(candidate.timezone, now), offsetMinutes(officeZone, now)];
    if (theirOffset !== undefined && officeOffset !== undefined && Math.abs(theirOffset - officeOffset) <= TIME_ZONE_HOURS * 60) {
      add('time-zone', `${candidate.timezone} is within ${TIME_ZONE_HOURS} hours of ${officeZone}`, POINTS.timeZone);
    }
  }

  const years = candidate.experienceYears;
  if (asked !== undefined && years !== undefined) {
    if (years >= asked) add('experience', `${years} years of experience, ${asked} asked for`, POINTS.experience);
    else if (years >= asked - 1) add('experience', `${years} years of experience, nearly the ${asked} asked for`, POINTS.experienceNear);
  }

  add('status', `is ${candidate.status}`, POINTS.status[candidate.status] ?? 0);
  if (hasConsent(candidate.consents, EMAIL_CONSENT, now)) add('consent', `agreed to be contacted (${EMAIL_CONSENT})`, POINTS.consent);
  const covered = Math.min(1, Math.max(0, relevance));
  add('text', `profile covers ${Math.round(covered * 100)}% of the job's key words`, Math.round(POINTS.text * covered));
  const engagement = candidate.engagement ?? 0;
  add('engagement', `engaged lately (score ${engagement.toFixed(1)})`, Math.min(POINTS.engagementMax, Math.round(engagement)));

  return { score: reasons.reduce((sum, r) => sum + r.points, 0), reasons };
}

/** A campaign batch ranks the same open jobs for every recipient: their corpus is prepared once per list. */
const corpora = new WeakMap<readonly MatchJob[], Corpus>();
function corpusOfJobs(jobs: readonly MatchJob[]): Corpus {
  let corpus = corpora.get(jobs);
  if (!corpus) corpora.set(jobs, (corpus = corpusOf(jobs.map(jobTerms))));
  return corpus;
}

/**
 * The candidates that fit a job best. Relevance is measured against `corpus` (the open jobs, with this one), so
 * the text points of a pair are the same whichever way round it is asked. People `withheld` are never ranked.
 */
export function rankCandidates<C extends MatchCandidate>(job: MatchJob, candidates: readonly C[], corpus: readonly MatchJob[], now: string, limit: number) {
  const jobs = [job, ...corpus.filter((other) => other.id === undefined || other.id !== job.id)];
  const index = corpusOf(jobs.map(jobTerms));
  return candidates
    .filter((candidate) => !withheld(candidate))
    .map((candidate) => ({ candidate, ...fitOf(job, candidate, index.coverage(candidateTerms(candidate, job), 0, TEXT_WORDS), now) }))
    .sort((a, b) => b.score - a.score || a.candidate.id.localeCompare(b.candidate.id))
    .slice(0, limit);
}

/** Every open job scored for a person, best first (none for someone `withheld`). */
export function rankJobs<J extends MatchJob>(candidate: MatchCandidate, jobs: readonly J[], now: string) {
  if (withheld(candidate)) return [];
  const index = corpusOfJobs(jobs);
  return jobs
    .map((job, i) => ({ job, ...fitOf(job, candidate, index.coverage(candidateTerms(candidate, job), i, TEXT_WORDS), now) }))
    .sort((a, b) => b.score - a.score || a.job.title.localeCompare(b.job.title));
}

/** Whether a fit is worth suggesting on its own: a required skill fits, or a job listing no skills shares words. */
export function fits(job: MatchJob, fit: Fit): boolean {
  return fit.reasons.some((r) => r.criterion === 'skill' || (!job.skills.length && r.criterion === 'text'));
}

/**
 * The jobs suggested to a person, best first: only those that `fit`. The one rule behind both
 * GET /candidates/{id}/job-suggestions and the {{jobSuggestions}} block of campaign emails.
 */
export function suggestedJobs<J extends MatchJob>(candidate: MatchCandidate, jobs: readonly J[], now: string, limit: number) {
  return rankJobs(candidate, jobs, now)
    .filter((ranked) => fits(ranked.job, ranked))
    .slice(0, limit);
}
