import * as z from 'zod';
import { PageQuery } from '../../shared/http/pagination.ts';
import { route } from '../../shared/http/route.ts';
import {
  AddSuppression, Campaign, CampaignId, CampaignPage, CampaignStats, CreateCampaign, EnrollCandidates, EnrollmentPage, EnrollmentsAdded, PreferencesForm, PreviewRequest,
  RecipientPage, RecipientQuery, RenderedEmail, SaveTemplate, Suppression, SuppressionPage, Template, TemplateId, TemplatePage, UpdateCampaign,
} from './schemas.ts';
import { Email } from '../candidates/schemas.ts';
import { ApplicationStatusChanged, SegmentEntered } from '../../events/candidates.ts';
import { CandidateReplied, CandidateUnsubscribed } from '../../events/campaigns.ts';

/** Who enters a drip's segment is enrolled; who replies, applies or unsubscribes leaves the drips that stop on it. */
export const dripTriggers = [SegmentEntered, CandidateReplied, CandidateUnsubscribed, ApplicationStatusChanged];

const tag = 'campaigns';
const TemplateById = z.strictObject({ id: TemplateId });
const CampaignById = z.strictObject({ id: CampaignId });
const Token = z.strictObject({ token: z.string().min(10).max(400).regex(/^[\w.-]+$/, 'not a token') });
/** Public pages: a person clicks a few times; scanners and scripts get 429. */
const publicLimit = { rps: 5, burst: 20 };

export const createTemplate = route({
  method: 'POST', path: '/templates', access: 'recruiter', tag,
  summary: 'Save an email template (HTML or MJML); unknown placeholders answer 400',
  body: SaveTemplate, response: Template, status: 201, idempotent: true,
});
export const listTemplates = route({ method: 'GET', path: '/templates', access: 'viewer', tag, summary: 'List templates, newest first', query: PageQuery.strict(), response: TemplatePage });
export const getTemplate = route({ method: 'GET', path: '/templates/{id}', access: 'viewer', tag, summary: 'Read a template', params: TemplateById, response: Template });
export const updateTemplate = route({
  method: 'PUT', path: '/templates/{id}', access: 'recruiter', tag, summary: 'Replace a template; If-Match guards against lost updates',
  params: TemplateById, body: SaveTemplate, response: Template, conditional: true,
});
export const previewTemplate = route({
  method: 'POST', path: '/templates/{id}/preview', access: 'viewer', tag,
  summary: 'Render subject, HTML, text and headers for a candidate exactly as they would be sent',
  params: TemplateById, body: PreviewRequest, response: RenderedEmail,
});

export const createCampaign = route({
  method: 'POST', path: '/campaigns', access: 'recruiter', tag, summary: 'Create a one-shot campaign or a drip sequence (as a draft)',
  body: CreateCampaign, response: Campaign, status: 201, idempotent: true,
});
export const listCampaigns = route({ method: 'GET', path: '/campaigns', access: 'viewer', tag, summary: 'List campaigns, newest first', query: PageQuery.strict(), response: CampaignPage });
export const getCampaign = route({ method: 'GET', path: '/campaigns/{id}', access: 'viewer', tag, summary: 'Read a campaign', params: CampaignById, response: Campaign });
export const updateCampaign = route({
  method: 'PATCH', path: '/campaigns/{id}', access: 'recruiter', tag, summary: 'Rename or reschedule a campaign that has not been launched',
  params: CampaignById, body: UpdateCampaign, response: Campaign, conditional: true,
});
const action = (verb: 'launch' | 'pause' | 'resume' | 'cancel', summary: string) =>
  route({ method: 'POST', path: `/campaigns/{id}/${verb}`, access: 'recruiter', tag, summary, params: CampaignById, response: Campaign, idempotent: verb === 'launch' });
export const launchCampaign = action('launch', 'Start sending (one-shot) or enrolling (drip); 422 for an empty audience or a missing template');
export const pauseCampaign = action('pause', 'Hold sending; drips wait at their next step');
export const resumeCampaign = action('resume', 'Continue a paused campaign');
export const cancelCampaign = action('cancel', 'Stop for good; nobody else is sent to');
export const listRecipients = route({
  method: 'GET', path: '/campaigns/{id}/recipients', access: 'viewer', tag, summary: 'Recipients and where each one stands, by status',
  params: CampaignById, query: RecipientQuery, response: RecipientPage,
});
export const getCampaignStats = route({
  method: 'GET', path: '/campaigns/{id}/stats', access: 'viewer', tag, summary: 'Targeted, sent, delivered, opened (human and machine), clicked, replied, applied, unsubscribed, skipped by reason',
  params: CampaignById, response: CampaignStats,
});
export const listEnrollments = route({
  method: 'GET', path: '/campaigns/{id}/enrollments', access: 'viewer', tag, summary: 'Drip enrollments: each person\'s next step and state',
  params: CampaignById, query: PageQuery.strict(), response: EnrollmentPage,
});

export const listSuppressions = route({ method: 'GET', path: '/suppressions', access: 'viewer', tag, summary: 'Suppressed addresses, newest first', query: PageQuery.strict(), response: SuppressionPage });
export const addSuppression = route({
  method: 'POST', path: '/suppressions', access: 'recruiter', tag, summary: 'Never email this address again', body: AddSuppression, response: Suppression, status: 201,
});
export const removeSuppression = route({
  method: 'DELETE', path: '/suppressions/{email}', access: 'admin', tag, summary: 'Allow an address again (admin)', params: z.strictObject({ email: Email }), status: 204,
});

export const unsubscribePage = route({
  method: 'GET', path: '/u/{token}', access: 'public', tag, summary: 'Unsubscribe confirmation page (a GET never unsubscribes: link scanners follow links)',
  params: Token, rateLimit: publicLimit,
});
// Mail clients post `List-Unsubscribe=One-Click` as multipart or URL-encoded form (RFC 8058); the signed token says
// everything, so the body is not read and any content type works.
export const unsubscribe = route({
  method: 'POST', path: '/u/{token}', access: 'public', tag, summary: 'One-click unsubscribe (RFC 8058): any body, e.g. List-Unsubscribe=One-Click',
  params: Token, rateLimit: publicLimit,
});
export const preferencesPage = route({
  method: 'GET', path: '/public/preferences/{token}', access: 'public', tag, summary: 'Email preferences page: topics and frequency',
  params: Token, rateLimit: publicLimit,
});
export const savePreferences = route({
  method: 'POST', path: '/public/preferences/{token}', access: 'public', tag, summary: 'Save email preferences (form or JSON)',
  params: Token, body: PreferencesForm, form: true, rateLimit: publicLimit,
});

export const enrollCandidates = route({
  method: 'POST', path: '/campaigns/{id}/enrollments', access: 'recruiter', tag,
  summary: 'Enrol people in a running drip by hand (up to 100), in its audience or not; enrolling someone twice changes nothing',
  params: CampaignById, body: EnrollCandidates, response: EnrollmentsAdded, idempotent: true,
});
