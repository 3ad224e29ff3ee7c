import * as z from 'zod';
import { PageQuery } from '../../shared/http/pagination.ts';
import { CandidateId, Email, consentSources } from '../candidates/schemas.ts';
import { purpose } from './retention-schema.ts';

/** GDPR Art. 6(1): the basis a record of processing rests on. */
export const lawfulBases = ['consent', 'legitimate-interest', 'contract', 'legal-obligation'] as const;

export const RecordConsent = z.strictObject({
  purpose,
  granted: z.boolean(),
  lawfulBasis: z.enum(lawfulBases).default('consent'),
  textVersion: z.string().trim().min(1).max(50).optional(),
  source: z.enum(consentSources).default('recruiter'),
  /** When it lapses; the purpose's default period (retention settings) when absent. Withdrawals do not expire. */
  expiresAt: z.iso.datetime({ offset: true }).optional(),
});
export type RecordConsent = z.output<typeof RecordConsent>;

export const ConsentRecord = z.object({
  purpose: z.string(),
  granted: z.boolean(),
  lawfulBasis: z.enum(lawfulBases).optional(),
  textVersion: z.string().optional(),
  source: z.enum(consentSources).optional(),
  recordedAt: z.iso.datetime(),
  expiresAt: z.string().optional(),
});
export type ConsentRecord = z.output<typeof ConsentRecord>;
export const ConsentState = z.object({
  /** Every record, newest first: the history is the proof (Art. 7(1)). */
  items: z.array(ConsentRecord),
  /** Per purpose, what counts now: the latest record, and whether it lapsed. */
  current: z.record(z.string(), z.object({ granted: z.boolean(), expired: z.boolean(), recordedAt: z.string(), expiresAt: z.string().optional() })),
});

export { RetentionSettings } from './retention-schema.ts';

export const requestTypes = ['access', 'erasure'] as const;
export const PrivacyRequestBody = z.strictObject({
  email: Email,
  type: z.enum(requestTypes),
  /** The honeypot: a field people never see; bots fill it. */
  website: z.string().max(500).optional(),
});
export const PrivacyRequestId = z.string().regex(/^prq_[0-9A-HJKMNP-TV-Z]{26}$/, 'not a privacy request id');
export const PrivacyRequest = z.object({
  id: PrivacyRequestId,
  type: z.enum(requestTypes),
  /** `awaiting-confirmation` until the person follows the emailed link; `unverified` if the address was not known. */
  status: z.enum(['awaiting-confirmation', 'unverified', 'completed', 'expired']),
  receivedAt: z.iso.datetime(),
  /** One month after receipt (Art. 12(3)). */
  deadline: z.iso.datetime(),
  completedAt: z.iso.datetime().optional(),
  candidateId: CandidateId.optional(),
  /** A salted hash of the address asked about: the request is provable without keeping the address. */
  emailHash: z.string(),
});
export type PrivacyRequest = z.output<typeof PrivacyRequest>;
export const PrivacyRequestPage = z.object({ items: z.array(PrivacyRequest), nextCursor: z.string().optional() });
export const ListPrivacyRequestsQuery = PageQuery.extend({ status: PrivacyRequest.shape.status.optional() }).strict();

export const auditActions = ['read', 'export', 'create', 'update', 'merge', 'erase', 'consent', 'apply', 'import', 'notify'] as const;
export const AuditEntry = z.object({
  id: z.string(),
  at: z.iso.datetime(),
  /** Who: a user's subject, `public` for the person themselves, or `schedule:<name>`. */
  actor: z.string(),
  action: z.enum(auditActions),
  candidateId: z.string(),
  /** Ids and field names only, never personal data. */
  detail: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.array(z.string())])).optional(),
});
export type AuditEntry = z.output<typeof AuditEntry>;
export const AuditQuery = PageQuery.extend({
  candidateId: CandidateId.optional(),
  actor: z.string().trim().min(1).max(200).optional(),
  action: z.enum(auditActions).optional(),
}).strict().refine((query) => query.candidateId || query.actor, { message: 'give candidateId or actor', path: ['candidateId'] });
export const AuditPage = z.object({ items: z.array(AuditEntry), nextCursor: z.string().optional() });

export const ErasureStatus = z.object({
  candidateId: CandidateId,
  status: z.enum(['running', 'completed', 'failed']),
  requestedAt: z.iso.datetime(),
  completedAt: z.iso.datetime().optional(),
  /** The steps done so far, in order. */
  steps: z.array(z.string()),
});
export type ErasureStatus = z.output<typeof ErasureStatus>;

export const Token = z.strictObject({ token: z.string().min(10).max(400).regex(/^[\w.-]+$/, 'not a token') });

/** Everything held about a person (Art. 15 and 20), with the candidate part in the JSON Resume shape. */
export const CandidateExport = z.object({
  exportedAt: z.iso.datetime(),
  format: z.literal('talent-relay-export/1'),
  resume: z.object({
    basics: z.record(z.string(), z.unknown()),
    work: z.array(z.record(z.string(), z.unknown())),
    education: z.array(z.record(z.string(), z.unknown())),
    skills: z.array(z.object({ name: z.string() })),
  }),
  profile: z.record(z.string(), z.unknown()),
  consents: z.array(z.record(z.string(), z.unknown())),
  timeline: z.array(z.record(z.string(), z.unknown())),
  emails: z.array(z.record(z.string(), z.unknown())),
  applications: z.array(z.record(z.string(), z.unknown())),
  tasks: z.array(z.record(z.string(), z.unknown())),
  events: z.array(z.record(z.string(), z.unknown())),
  surveys: z.array(z.record(z.string(), z.unknown())),
  tags: z.array(z.string()),
  pools: z.array(z.record(z.string(), z.unknown())),
  segments: z.array(z.record(z.string(), z.unknown())),
  drips: z.array(z.record(z.string(), z.unknown())),
  preferences: z.record(z.string(), z.unknown()).optional(),
  suppression: z.record(z.string(), z.unknown()).optional(),
  /** Privacy emails they were sent (consent renewal asks, retention warnings). */
  notices: z.array(z.record(z.string(), z.unknown())),
  audit: z.array(z.record(z.string(), z.unknown())),
  /** Anything held that the sections above do not name yet: an export is complete even before it is. */
  other: z.array(z.record(z.string(), z.unknown())),
  /** Their files, each with a download link that expires. */
  files: z.array(z.object({ name: z.string(), contentType: z.string().optional(), size: z.number().optional(), url: z.string(), expiresAt: z.string() })),
});
export type CandidateExport = z.output<typeof CandidateExport>;
