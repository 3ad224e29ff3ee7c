import * as z from 'zod';
import { route } from '../../shared/http/route.ts';
import { CandidateId } from '../candidates/schemas.ts';
import {
  AuditPage, AuditQuery, CandidateExport, ConsentRecord, ConsentState, ErasureStatus, ListPrivacyRequestsQuery, PrivacyRequestBody, PrivacyRequestPage,
  RecordConsent, RetentionSettings, Token,
} from './schemas.ts';

const tag = 'privacy';
const ById = z.strictObject({ id: CandidateId });
/** Links in emails: a person clicks a few times; scanners and scripts get 429. */
const linkLimit = { rps: 5, burst: 20 };

export const listConsents = route({
  method: 'GET', path: '/candidates/{id}/consents', access: 'viewer', tag,
  summary: 'Consent records, newest first, and per purpose what counts now (an expired consent counts as none)',
  params: ById, response: ConsentState,
});
export const recordConsent = route({
  method: 'POST', path: '/candidates/{id}/consents', access: 'recruiter', tag,
  summary: 'Record a consent given or withdrawn: purpose, lawful basis, text version, source; expiry defaults per purpose',
  params: ById, body: RecordConsent, response: ConsentRecord, status: 201,
});
export const renewConsentPage = route({
  method: 'GET', path: '/public/consents/{token}', access: 'public', tag, summary: 'Re-consent link from the renewal email: a page with one button (a GET changes nothing)',
  params: Token, rateLimit: linkLimit,
});
export const renewConsent = route({
  method: 'POST', path: '/public/consents/{token}', access: 'public', tag, summary: 'Renew the consent the link names: its expiry moves on by the purpose\'s period',
  params: Token, rateLimit: linkLimit,
});

export const exportCandidate = route({
  method: 'GET', path: '/candidates/{id}/export', access: 'admin', tag,
  summary: 'Everything held about the person in one JSON document (Art. 15, 20), with expiring links to their files',
  params: ById, response: CandidateExport, audit: 'export',
});
export const eraseCandidate = route({
  method: 'DELETE', path: '/candidates/{id}', access: 'admin', tag,
  summary: 'Erase the person (Art. 17): every item and file, their workflows; a salted-hash tombstone keeps imports from adding them back',
  params: ById, status: 204,
});
export const getErasure = route({
  method: 'GET', path: '/privacy/erasures/{id}', access: 'admin', tag, summary: 'Where an erasure stands: its steps, and when it completed',
  params: ById, response: ErasureStatus,
});

export const requestPrivacy = route({
  method: 'POST', path: '/public/privacy/requests', access: 'public', tag,
  summary: 'A person asks for their data or its erasure; always 202 — a confirmation link goes to the address if it is known',
  body: PrivacyRequestBody, form: true, status: 202, honeypot: 'website', rateLimit: { rps: 1, burst: 5 },
});
export const confirmPrivacy = route({
  method: 'GET', path: '/public/privacy/confirm/{token}', access: 'public', tag,
  summary: 'The emailed link: a page with one button to confirm the request (a GET changes nothing: mail scanners follow links)',
  params: Token, rateLimit: linkLimit,
});
export const confirmPrivacyAction = route({
  method: 'POST', path: '/public/privacy/confirm/{token}', access: 'public', tag,
  summary: 'The confirmation page\'s button: erasure is done at once; access sends a time-limited download link by email. Works once',
  params: Token, rateLimit: linkLimit,
});
export const downloadFile = route({
  method: 'GET', path: '/public/privacy/files/{token}', access: 'public', tag,
  summary: 'A download link from an export or an access request: a redirect to the file for a few minutes',
  params: Token, rateLimit: linkLimit,
});
export const listPrivacyRequests = route({
  method: 'GET', path: '/privacy/requests', access: 'admin', tag, summary: 'Access and erasure requests with their deadline (one month) and status, newest first',
  query: ListPrivacyRequestsQuery, response: PrivacyRequestPage,
});

export const getRetention = route({ method: 'GET', path: '/settings/retention', access: 'admin', tag, summary: 'The retention rule and consent periods', response: RetentionSettings });
export const putRetention = route({
  method: 'PUT', path: '/settings/retention', access: 'admin', tag, summary: 'Set the retention rule (dry-run reports only; erase acts after the warning period) and consent periods',
  body: RetentionSettings, response: RetentionSettings,
});

export const listAudit = route({
  method: 'GET', path: '/audit', access: 'admin', tag, summary: 'Who read, exported, changed, merged or erased whom, and when (append-only; ids only)',
  query: AuditQuery, response: AuditPage,
});
