import * as z from 'zod';
import { route } from '../../shared/http/route.ts';
import {
  ApplicationAccepted, ApplyRequest, AskAnswer, AskRequest, ConfirmToken, CreateJob, CreateSite, Job, JobId, JobPage, ListJobsQuery, ShareLinks,
  ShareQuery, SignupAccepted, SignupRequest, Site, SiteId, SitePage, Slug, UpdateJob, UpdateSite,
} from './schemas.ts';
import { PageQuery } from '../../shared/http/pagination.ts';

const tag = 'syndication';
const JobById = z.strictObject({ id: JobId });
const SiteById = z.strictObject({ id: SiteId });
const SiteBySlug = z.strictObject({ slug: Slug });
/** Forms on the career pages: a person submits a few times; scripts get 429. */
const formLimit = { rps: 2, burst: 10 };

export const createJob = route({
  method: 'POST', path: '/jobs', access: 'recruiter', tag, summary: 'Create a job (a draft until published); duplicate slug or requisition id answers 409',
  body: CreateJob, response: Job, status: 201, idempotent: true,
});
export const listJobs = route({ method: 'GET', path: '/jobs', access: 'viewer', tag, summary: 'List jobs, newest first, optionally by status', query: ListJobsQuery, response: JobPage });
export const getJob = route({ method: 'GET', path: '/jobs/{id}', access: 'viewer', tag, summary: 'Read a job (ETag carries the version)', params: JobById, response: Job });
export const updateJob = route({
  method: 'PATCH', path: '/jobs/{id}', access: 'recruiter', tag, summary: 'Change a job; null clears a field; an open job\'s page and feeds follow',
  params: JobById, body: UpdateJob, response: Job, conditional: true,
});
export const publishJob = route({
  method: 'POST', path: '/jobs/{id}/publish', access: 'recruiter', tag, summary: 'Open the job: its page, the feeds and the sites that list it are regenerated',
  params: JobById, response: Job,
});
export const closeJob = route({
  method: 'POST', path: '/jobs/{id}/close', access: 'recruiter', tag, summary: 'Close the job: it leaves the feeds and its page says it is closed',
  params: JobById, response: Job,
});
export const shareJob = route({
  method: 'GET', path: '/jobs/{id}/share', access: 'viewer', tag, summary: 'Tracked links (UTM) and share intents per channel; ?sources= adds custom ones',
  params: JobById, query: ShareQuery, response: ShareLinks,
});

export const createSite = route({
  method: 'POST', path: '/sites', access: 'recruiter', tag, summary: 'Create a career micro site (a draft until published); a taken slug answers 409',
  body: CreateSite, response: Site, status: 201, idempotent: true,
});
export const listSites = route({ method: 'GET', path: '/sites', access: 'viewer', tag, summary: 'List micro sites, newest first', query: PageQuery.strict(), response: SitePage });
export const getSite = route({ method: 'GET', path: '/sites/{id}', access: 'viewer', tag, summary: 'Read a micro site', params: SiteById, response: Site });
export const updateSite = route({
  method: 'PATCH', path: '/sites/{id}', access: 'recruiter', tag, summary: 'Change a micro site; a published one is rendered again at once',
  params: SiteById, body: UpdateSite, response: Site, conditional: true,
});
export const publishSite = route({
  method: 'POST', path: '/sites/{id}/publish', access: 'recruiter', tag, summary: 'Render the site to /sites/{slug}/ and refresh the CDN',
  params: SiteById, response: Site,
});
export const unpublishSite = route({
  method: 'POST', path: '/sites/{id}/unpublish', access: 'recruiter', tag, summary: 'Take the site down (its address shows that it is no longer available)',
  params: SiteById, response: Site,
});

export const signup = route({
  method: 'POST', path: '/public/sites/{slug}/signups', access: 'public', tag,
  summary: 'Join the talent community (double opt-in: a confirmation email follows); always 202, known address or not',
  params: SiteBySlug, body: SignupRequest, form: true, response: SignupAccepted, status: 202, honeypot: 'website', rateLimit: formLimit,
});
export const confirmSignupPage = route({
  method: 'GET', path: '/public/confirm/{token}', access: 'public', tag,
  summary: 'Confirmation link from the sign-up email: a page with one button (a GET changes nothing: mail scanners follow links)',
  params: ConfirmToken, rateLimit: { rps: 5, burst: 20 },
});
export const confirmSignup = route({
  method: 'POST', path: '/public/confirm/{token}', access: 'public', tag,
  summary: 'Confirm the sign-up: the consent is recorded, the person joins the pool and is welcomed; a page says what happened',
  params: ConfirmToken, rateLimit: { rps: 5, burst: 20 },
});
export const apply = route({
  method: 'POST', path: '/public/jobs/{id}/applications', access: 'public', tag,
  summary: 'Apply to an open job (JSON, or multipart/form-data with a PDF or DOCX CV up to 5 MB in `cv`); an acknowledgement email follows',
  params: JobById, body: ApplyRequest, form: true, multipart: { file: 'cv', maxBytes: 5 * 1024 * 1024 }, response: ApplicationAccepted, status: 202, honeypot: 'website', rateLimit: formLimit,
});
export const ask = route({
  method: 'POST', path: '/public/sites/{slug}/ask', access: 'public', tag, summary: "The career-page assistant: answers from the site's FAQ and open jobs, or says it does not know",
  params: SiteBySlug, body: AskRequest, form: true, response: AskAnswer, honeypot: 'website', rateLimit: { rps: 5, burst: 20 },
});
