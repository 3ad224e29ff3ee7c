import type { Template } from '../schemas.ts';
import { renderTemplate, type JobSuggestion } from './template.ts';
import type { Contact, Links, OpenJob, OutgoingEmail, Signer } from './ports.ts';

/** Unsubscribe and preference links work for a year: long after the email is read, as RFC 8058 expects. */
const LINK_DAYS = 365;
const SUGGESTIONS = 3;

type Profile = NonNullable<Contact['profile']>;

/** The open jobs that fit a person best: shared skills first, then their country; none when nothing fits. */
export function suggestJobs(profile: Pick<Profile, 'skills' | 'country'>, jobs: readonly OpenJob[]): JobSuggestion[] {
  const skills = new Set(profile.skills.map((s) => s.toLowerCase()));
  return jobs
    .map((job) => {
      const shared = job.skills.filter((s) => skills.has(s.toLowerCase())).length;
      const near = job.remote || (profile.country !== undefined && job.country === profile.country);
      return { job, score: shared * 2 + (near ? 1 : 0), shared };
    })
    .filter(({ shared }) => shared > 0)
    .sort((a, b) => b.score - a.score)
    .slice(0, SUGGESTIONS)
    .map(({ job }) => ({ title: job.title, url: job.url, ...(job.remote ? { location: 'Remote' } : job.city ? { location: job.city } : {}) }));
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
      jobSuggestions: suggestJobs(profile, input.jobs),
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
