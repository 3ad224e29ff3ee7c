import { suggestedJobs } from '../../../shared/matching/fit.ts';
import type { Template } from '../schemas.ts';
import { renderTemplate, type JobSuggestion } from './template.ts';
import type { Contact, Links, OpenJob, OutgoingEmail, Signer } from './ports.ts';

/** Unsubscribe and preference links work for a year: long after the email is read, as RFC 8058 expects. */
const LINK_DAYS = 365;
const SUGGESTIONS = 3;

type Profile = NonNullable<Contact['profile']>;

/**
 * The open jobs that fit a person best: the same list as GET /candidates/{id}/job-suggestions, by the one rule in
 * shared/matching/fit.ts (only jobs where a required skill fits, or, listing none, the text does; nothing for
 * someone who objected to profiling). Engagement is left out: it adds the same points to every job of a person.
 */
export function suggestJobs(profile: Profile, jobs: readonly OpenJob[], now = new Date().toISOString(), candidateId = ''): JobSuggestion[] {
  const { headline, skills, city, country, timezone, experienceYears, status, consents } = profile;
  const candidate = { id: candidateId, headline, skills, location: { city, country }, timezone, experienceYears, status, consents };
  return suggestedJobs(candidate, matchJobsOf(jobs), now, SUGGESTIONS)
    .map(({ job: { job } }) => ({ title: job.title, url: job.url, ...(job.remote ? { location: 'Remote' } : job.city ? { location: job.city } : {}) }));
}

/** The same list of open jobs serves a whole batch of recipients: converted (and its text corpus built) once. */
const converted = new WeakMap<readonly OpenJob[], ReturnType<typeof convert>>();
const matchJobsOf = (jobs: readonly OpenJob[]) => converted.get(jobs) ?? converted.set(jobs, convert(jobs)).get(jobs)!;
function convert(jobs: readonly OpenJob[]) {
  return jobs.map((job) => ({
    job,
    id: job.id,
    title: job.title,
    url: job.url,
    description: job.description,
    skills: job.skills,
    location: { type: job.locationType ?? (job.remote ? 'remote' : 'onsite'), city: job.city, country: job.country, applicantCountries: job.applicantCountries },
  } as const));
}

/**
 * One recipient's email exactly as it is sent (and previewed): the rendered template, the RFC 8058 one-click
 * unsubscribe headers with a signed link, a plus-addressed Reply-To that maps a reply back to the person and
 * campaign, and the message tags SES echoes in every tracking event.
 */
export async function composeEmail(input: {
  template: Pick<Template, 'subject' | 'html' | 'text'>;
  profile: Profile;
  candidateId: string;
  /** Absent in a template preview. */
  campaignId?: string;
  step?: number;
  /** The recipient's sending shard, echoed in the tags so tracking finds the recipient by key. */
  shard?: number;
  jobs: readonly OpenJob[];
  signer: Signer;
  links: Links;
  /** When it is composed (the consents the job suggestions read depend on it); the current time unless given. */
  now?: string;
}): Promise<OutgoingEmail> {
  const { profile, candidateId, campaignId } = input;
  const ids = { candidateId, ...(campaignId ? { campaignId } : {}) };
  const [unsubscribe, preferences, reply] = await Promise.all([
    input.signer.sign({ use: 'u', ...ids }, LINK_DAYS),
    input.signer.sign({ use: 'p', ...ids }, LINK_DAYS),
    input.signer.signReply(candidateId, campaignId),
  ]);
  const unsubscribeUrl = `${input.links.api}/u/${unsubscribe}`;
  const rendered = renderTemplate(
    { subject: input.template.subject, html: input.template.html, ...(input.template.text ? { text: input.template.text } : {}) },
    {
      email: profile.email,
      firstName: profile.firstName,
      lastName: profile.lastName,
      headline: profile.headline,
      company: profile.company,
      city: profile.city,
      country: profile.country,
      unsubscribeUrl,
      preferencesUrl: `${input.links.api}/public/preferences/${preferences}`,
      jobSuggestions: suggestJobs(profile, input.jobs, input.now, candidateId),
    },
  );
  return {
    to: profile.email,
    ...rendered,
    headers: { 'List-Unsubscribe': `<${unsubscribeUrl}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
    replyTo: `reply+${reply}@${input.links.replyDomain}`,
    tags: { ...ids, ...(input.step === undefined ? {} : { step: String(input.step) }), ...(input.shard === undefined ? {} : { shard: String(input.shard) }) },
  };
}
