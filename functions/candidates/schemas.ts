import * as z from 'zod';
import { isCountryCode } from '../../shared/countries.ts';
import { PageQuery, pageOf } from '../../shared/http/pagination.ts';
import { isTimeZone } from '../../shared/time-zones.ts';
import { SegmentRule } from './domain/segment-rule.ts';

export const candidateStatuses = ['active', 'passive', 'former', 'hired', 'do-not-contact'] as const;
export const sourceTypes = [
  'manual', 'sourced', 'import', 'referral', 'career-site', 'job-board', 'event', 'ats', 'agency', 'other',
] as const;
export const touchpointTypes = ['call', 'email', 'meeting', 'note', 'message'] as const;


const text = (max: number) => z.string().trim().min(1).max(max);
/** Tags and skills are compared case-insensitively, so they are stored lower-case. */
const label = z.string().trim().toLowerCase().min(1).max(50).regex(/^[\p{L}\p{N}][\p{L}\p{N} _.+#/&-]*$/u, 'letters, digits, spaces and _ . + # / & - only');

export const CandidateId = z.string().regex(/^cand_[0-9A-HJKMNP-TV-Z]{26}$/, 'not a candidate id');
export const PoolId = z.string().regex(/^pool_[0-9A-HJKMNP-TV-Z]{26}$/, 'not a pool id');
export const Tag = label;
export const Email = z.string().trim().toLowerCase().pipe(z.email('not a valid email address')).pipe(z.string().max(254));

export const Location = z.strictObject({
  city: text(100).optional(),
  region: text(100).optional(),
  country: z.string().trim().toUpperCase().refine(isCountryCode, 'not an ISO 3166-1 alpha-2 country code').optional(),
});

export const Utm = z.strictObject({
  source: text(100).optional(),
  medium: text(100).optional(),
  campaign: text(100).optional(),
  content: text(100).optional(),
  term: text(100).optional(),
});

export const Source = z.strictObject({
  type: z.enum(sourceTypes),
  detail: text(200).optional(),
  /** For sourced people: the profile they were found on. */
  url: z.url({ protocol: /^https?$/ }).optional(),
  utm: Utm.optional(),
});

export const Link = z.strictObject({
  type: z.enum(['linkedin', 'github', 'portfolio', 'website', 'other']),
  url: z.url({ protocol: /^https?$/ }),
});

export const consentSources = ['signup-form', 'apply-form', 'import', 'recruiter', 'email-link'] as const;
export const Consent = z.strictObject({
  purpose: z.string().trim().toLowerCase().min(1).max(50),
  granted: z.boolean(),
  /** The version of the text the person was shown. */
  textVersion: z.string().trim().min(1).max(50).optional(),
  /** How it was given; `recruiter` when a recruiter records it. */
  source: z.enum(consentSources).optional(),
  /** GDPR Art. 6(1) basis; `consent` unless said. */
  lawfulBasis: z.enum(['consent', 'legitimate-interest', 'contract', 'legal-obligation']).optional(),
  /** When a granted consent lapses (then it counts as none); set from the purpose's period when recorded. */
  expiresAt: z.iso.datetime({ offset: true }).optional(),
});

const CustomFields = z
  .record(z.string().regex(/^[a-zA-Z][\w-]{0,39}$/, 'custom field names are letters, digits, _ and -'), z.union([z.string().max(500), z.number(), z.boolean()]))
  .refine((fields) => Object.keys(fields).length <= 30, 'at most 30 custom fields');

/** The editable profile; `null` in a PATCH clears an optional field. */
const profileFields = {
  firstName: text(100),
  lastName: text(100),
  phone: z.string().trim().regex(/^\+?[0-9][0-9 ().-]{4,24}$/, 'not a phone number'),
  location: Location,
  timezone: z.string().refine(isTimeZone, 'not an IANA time zone'),
  headline: text(200),
  company: text(200),
  skills: z.array(label).max(30).transform((skills) => [...new Set(skills)]),
  experienceYears: z.number().min(0).max(70),
  links: z.array(Link).max(10),
  status: z.enum(candidateStatuses),
  custom: CustomFields,
};

export const CreateCandidate = z.strictObject({
  email: Email,
  ...Object.fromEntries(Object.entries(profileFields).map(([name, schema]) => [name, schema.optional()])) as {
    [K in keyof typeof profileFields]: z.ZodOptional<(typeof profileFields)[K]>;
  },
  tags: z.array(Tag).max(30).transform((tags) => [...new Set(tags)]).optional(),
  source: Source.optional(),
  consents: z.array(Consent).max(20).optional(),
});
export type CreateCandidate = z.output<typeof CreateCandidate>;

export const UpdateCandidate = z
  .strictObject({
    email: Email.optional(),
    ...Object.fromEntries(Object.entries(profileFields).map(([name, schema]) => [name, schema.nullable().optional()])) as {
      [K in keyof typeof profileFields]: z.ZodOptional<z.ZodNullable<(typeof profileFields)[K]>>;
    },
    tags: z.array(Tag).max(30).transform((tags) => [...new Set(tags)]).optional(),
  })
  .refine((patch) => Object.keys(patch).length > 0, 'send at least one field to change');
export type UpdateCandidate = z.output<typeof UpdateCandidate>;

export const Candidate = z.object({
  id: CandidateId,
  email: z.string(),
  firstName: z.string().optional(),
  lastName: z.string().optional(),
  phone: z.string().optional(),
  location: Location.optional(),
  timezone: z.string().optional(),
  headline: z.string().optional(),
  company: z.string().optional(),
  skills: z.array(z.string()),
  experienceYears: z.number().optional(),
  links: z.array(Link),
  status: z.enum(candidateStatuses),
  source: Source,
  tags: z.array(z.string()),
  pools: z.array(PoolId),
  consents: z.array(Consent.extend({ recordedAt: z.iso.datetime() })),
  custom: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
  /** The candidate's applications and where each stands (the applications themselves: /applications/{id}). */
  applications: z.array(
    z.object({
      id: z.string(),
      status: z.string(),
      jobId: z.string().optional(),
      /** The ladder steps the application reached or passed (its history's highest step and those below it). */
      reached: z.array(z.string()).optional(),
      /** When it ended (rejected, withdrawn or hired). */
      endedAt: z.iso.datetime().optional(),
    }),
  ),
  /** The last touchpoint, reply or application: what "last activity" in segments measures. */
  lastActivityAt: z.iso.datetime().optional(),
  /** When the Art. 14 privacy notice went out (people added by sourcing or import). */
  privacyNoticeSentAt: z.iso.datetime().optional(),
  /** Who the person is in the ATSs connected to us (functions/integrations): the connection and its id there. */
  externalIds: z.array(z.object({ connectionId: z.string(), id: z.string() })).optional(),
  /** Recency-weighted opens, clicks, replies, applications and event visits: the score at `updatedAt`, halving every 30 days since (docs/matching.md). */
  engagement: z.object({ score: z.number(), updatedAt: z.iso.datetime() }).optional(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  version: z.number().int(),
});
export type Candidate = z.output<typeof Candidate>;

export const CandidateFilter = z.strictObject({
  q: z.string().trim().min(1).max(100).optional(),
  tag: Tag.optional(),
  pool: PoolId.optional(),
  status: z.enum(candidateStatuses).optional(),
  skill: label.optional(),
  country: z.string().trim().toUpperCase().refine(isCountryCode, 'not an ISO 3166-1 alpha-2 country code').optional(),
});
export type CandidateFilter = z.output<typeof CandidateFilter>;
export const ListCandidatesQuery = PageQuery.extend(CandidateFilter.shape).strict();

export const CandidatePage = pageOf(Candidate);

export const LogTouchpoint = z.strictObject({
  type: z.enum(touchpointTypes),
  occurredAt: z.iso.datetime({ offset: true }).optional(),
  summary: text(200).optional(),
  body: z.string().max(10_000).optional(),
  direction: z.enum(['inbound', 'outbound']).optional(),
  /** For messages: where it was sent (linkedin, sms, whatsapp, …). */
  channel: text(50).optional(),
});
export type LogTouchpoint = z.output<typeof LogTouchpoint>;

export const TimelineEntry = z.object({
  id: z.string(),
  candidateId: CandidateId,
  /** `touchpoint` entries are logged by people; the others are recorded from domain events. */
  kind: z.enum(['touchpoint', 'activity']),
  type: z.string(),
  occurredAt: z.iso.datetime(),
  summary: z.string().optional(),
  body: z.string().optional(),
  direction: z.enum(['inbound', 'outbound']).optional(),
  channel: z.string().optional(),
  actor: z.string(),
  data: z.record(z.string(), z.unknown()).optional(),
});
export type TimelineEntry = z.output<typeof TimelineEntry>;
export const TimelinePage = pageOf(TimelineEntry);

export const CreatePool = z.strictObject({
  name: text(100),
  description: z.string().trim().max(1000).optional(),
});
export type CreatePool = z.output<typeof CreatePool>;

export const Pool = z.object({
  id: PoolId,
  name: z.string(),
  description: z.string().optional(),
  memberCount: z.number().int(),
  createdAt: z.iso.datetime(),
  createdBy: z.string(),
});
export type Pool = z.output<typeof Pool>;
export const PoolPage = pageOf(Pool);

export const AddPoolMembers = z.strictObject({
  candidateIds: z.array(CandidateId).min(1).max(100).transform((ids) => [...new Set(ids)]),
});
export const PoolMembersAdded = z.object({
  added: z.array(CandidateId),
  alreadyMembers: z.array(CandidateId),
  notFound: z.array(z.string()),
});

export const importModes = ['upsert', 'skip'] as const;
export const importFormats = ['csv', 'json'] as const;
export const importStatuses = ['awaiting-upload', 'queued', 'running', 'completed', 'failed'] as const;
export const ImportId = z.string().regex(/^imp_[0-9A-HJKMNP-TV-Z]{26}$/, 'not an import id');

/** Candidate fields a column can fill; `custom.<name>` fills a custom field. */
export const importFields = [
  'email', 'firstName', 'lastName', 'fullName', 'phone', 'city', 'region', 'country', 'timezone', 'headline', 'company',
  'skills', 'tags', 'experienceYears', 'status', 'linkedin', 'github', 'website',
] as const;
export const ImportField = z.union([z.enum(importFields), z.string().regex(/^custom\.[a-zA-Z][\w-]{0,39}$/)], {
  error: `one of ${importFields.join(', ')}, or custom.<name>`,
});
/** Which column fills which field, by header name: `{"email": "Courriel"}`. Unmapped fields use the header synonyms. */
export const ImportMapping = z.record(ImportField, z.string().trim().min(1).max(200)).refine((m) => Object.keys(m).length <= 50, 'at most 50 mappings');
export type ImportMapping = z.output<typeof ImportMapping>;

const importOptions = {
  /** upsert: update the candidate with the same email; skip: leave existing candidates alone. */
  mode: z.enum(importModes).default('skip'),
  /** Recorded as the source detail of every candidate the import creates. */
  source: text(200).optional(),
};

export const ImportQuery = z.strictObject({
  ...importOptions,
  mapping: z
    .string()
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'mapping must be a JSON object, e.g. {"email":"Courriel"}' });
        return z.NEVER;
      }
    })
    .pipe(ImportMapping)
    .optional(),
});

/** Ask for a presigned URL to upload a large file to; the import starts when the file arrives. */
export const ImportUploadRequest = z.strictObject({
  upload: z.literal(true),
  format: z.enum(importFormats).default('csv'),
  ...importOptions,
  mapping: ImportMapping.optional(),
});
/** A JSON array of candidates (the create shape) or of JSON Resume documents; or an upload request. */
export const ImportRequest = z.union([z.array(z.record(z.string(), z.unknown())).min(1).max(5000), ImportUploadRequest]);

export const ImportJob = z.object({
  id: ImportId,
  status: z.enum(importStatuses),
  format: z.enum(importFormats),
  mode: z.enum(importModes),
  source: z.string().optional(),
  mapping: z.record(z.string(), z.string()).optional(),
  /** Data rows in the file, known once the file has been read (before the first row is processed). */
  total: z.number().int().optional(),
  processed: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  skipped: z.number().int(),
  failed: z.number().int(),
  /** Percent of the rows processed. */
  progress: z.number().int().min(0).max(100),
  /** Columns no field was mapped to. */
  ignoredColumns: z.array(z.string()).optional(),
  /** Why the import as a whole failed (a file it cannot read); row failures are in /errors. */
  error: z.string().optional(),
  createdAt: z.iso.datetime(),
  createdBy: z.string(),
  startedAt: z.iso.datetime().optional(),
  completedAt: z.iso.datetime().optional(),
});
export type ImportJob = z.output<typeof ImportJob>;

export const ImportAccepted = ImportJob.extend({
  upload: z
    .object({
      url: z.url(),
      method: z.literal('PUT'),
      headers: z.record(z.string(), z.string()),
      expiresAt: z.iso.datetime(),
      maxBytes: z.number().int(),
    })
    .optional(),
});

/** The ladder an application climbs; rejected and withdrawn end it from any open step. */
export const applicationLadder = ['applied', 'screening', 'interview', 'offer', 'hired'] as const;
export const applicationStatuses = [...applicationLadder, 'rejected', 'withdrawn'] as const;
export const ApplicationId = z.string().regex(/^app_[0-9A-HJKMNP-TV-Z]{26}$/, 'not an application id');

export const CreateApplication = z.strictObject({
  jobId: z.string().trim().min(1).max(100).optional(),
  requisitionId: z.string().trim().min(1).max(100).optional(),
  status: z.enum(applicationStatuses).default('applied'),
  /** Where the application came from (UTM values from the landing page). */
  utm: Utm.optional(),
  note: z.string().trim().max(2000).optional(),
});
export type CreateApplication = z.output<typeof CreateApplication>;

export const UpdateApplication = z.strictObject({
  status: z.enum(applicationStatuses),
  note: z.string().trim().max(2000).optional(),
});
export type UpdateApplication = z.output<typeof UpdateApplication>;

export const Application = z.object({
  id: ApplicationId,
  candidateId: CandidateId,
  jobId: z.string().optional(),
  requisitionId: z.string().optional(),
  status: z.enum(applicationStatuses),
  utm: Utm.optional(),
  /** The CV sent with the application (stored privately; read through GET /applications/{id}/cv). */
  cv: z.object({ fileName: z.string(), contentType: z.string(), size: z.number().int() }).optional(),
  /** The application in the ATS that decides its status, when one does (functions/integrations). */
  external: z.object({ connectionId: z.string(), id: z.string() }).optional(),
  /** Every status it has had, oldest first, with when and by whom. */
  history: z.array(z.object({ status: z.enum(applicationStatuses), at: z.iso.datetime(), by: z.string(), note: z.string().optional() })),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  version: z.number().int(),
});
export type Application = z.output<typeof Application>;

export const TaskId = z.string().regex(/^task_[0-9A-HJKMNP-TV-Z]{26}$/, 'not a task id');
export const CreateTask = z.strictObject({
  title: text(200),
  dueAt: z.iso.datetime({ offset: true }).transform((at) => new Date(at).toISOString()),
  /** The recruiter's email address: the daily digest goes there. */
  assignee: Email,
  notes: z.string().trim().max(2000).optional(),
});
export type CreateTask = z.output<typeof CreateTask>;
export const UpdateTask = z
  .strictObject({
    done: z.boolean().optional(),
    title: text(200).optional(),
    dueAt: z.iso.datetime({ offset: true }).transform((at) => new Date(at).toISOString()).optional(),
    assignee: Email.optional(),
    notes: z.string().trim().max(2000).nullable().optional(),
  })
  .refine((patch) => Object.keys(patch).length > 0, 'send at least one field to change');
export type UpdateTask = z.output<typeof UpdateTask>;
export const Task = z.object({
  id: TaskId,
  candidateId: CandidateId,
  title: z.string(),
  dueAt: z.iso.datetime(),
  assignee: z.string(),
  notes: z.string().optional(),
  status: z.enum(['open', 'done']),
  completedAt: z.iso.datetime().optional(),
  createdAt: z.iso.datetime(),
  createdBy: z.string(),
});
export type Task = z.output<typeof Task>;
export const ListTasksQuery = PageQuery.extend({
  /** Whose tasks; the caller's own (their token's email) when absent. */
  assignee: Email.optional(),
  due: z.enum(['overdue', 'today', 'week']).optional(),
  status: z.enum(['open', 'done']).default('open'),
}).strict();
export const TaskPage = pageOf(Task);

/** Segments every installation has (docs/reactivation.md): readable ids beside the ULIDs of segments people create. */
export const SILVER_MEDALISTS = 'seg_silver-medalists';
export const FORMER_APPLICANTS = 'seg_former-applicants';
export const builtInSegmentIds = [SILVER_MEDALISTS, FORMER_APPLICANTS] as const;
const builtInNames = builtInSegmentIds.map((id) => id.slice('seg_'.length)).join('|');
export const SegmentId = z.string().regex(new RegExp(`^seg_([0-9A-HJKMNP-TV-Z]{26}|${builtInNames})$`), 'not a segment id');
export const CreateSegment = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('dynamic').default('dynamic'),
    name: text(100),
    description: z.string().trim().max(1000).optional(),
    /** Membership follows the rule as candidates change. */
    rule: SegmentRule,
  }),
  z.strictObject({
    kind: z.literal('static'),
    name: text(100),
    description: z.string().trim().max(1000).optional(),
    /** A hand-picked list; add and remove members later. */
    candidateIds: z.array(CandidateId).max(100).default([]),
  }),
]);
export type CreateSegment = z.output<typeof CreateSegment>;
export const UpdateSegment = z
  .strictObject({ name: text(100).optional(), description: z.string().trim().max(1000).nullable().optional(), rule: SegmentRule.optional() })
  .refine((patch) => Object.keys(patch).length > 0, 'send at least one field to change');
export type UpdateSegment = z.output<typeof UpdateSegment>;

export const Segment = z.object({
  id: SegmentId,
  kind: z.enum(['dynamic', 'static']),
  name: z.string(),
  description: z.string().optional(),
  rule: z.unknown().optional(),
  memberCount: z.number().int(),
  /** A built-in segment: always there, its rule set by the product (and its settings), not editable. */
  builtIn: z.boolean().optional(),
  /** Dynamic segments evaluate everyone when created or when their rule changes; this is how far that has got. */
  backfill: z
    .object({
      status: z.enum(['running', 'completed', 'failed']),
      processed: z.number().int(),
      total: z.number().int(),
      progress: z.number().int(),
      startedAt: z.iso.datetime(),
      completedAt: z.iso.datetime().optional(),
    })
    .optional(),
  createdAt: z.iso.datetime(),
  createdBy: z.string(),
  updatedAt: z.iso.datetime(),
  version: z.number().int(),
});
export type Segment = z.output<typeof Segment>;
export const SegmentPage = pageOf(Segment);

export const PreviewSegment = z.strictObject({ rule: SegmentRule, sampleSize: z.number().int().min(0).max(50).default(10) });
export const SegmentPreview = z.object({
  count: z.number().int(),
  /** False when the preview stopped reading before the end; `count` is then extrapolated. */
  exact: z.boolean(),
  evaluated: z.number().int(),
  sample: z.array(Candidate),
});

const MergeChoice = z.enum(['primary', 'duplicate']);
export const MergeCandidates = z.strictObject({
  duplicateId: CandidateId,
  /** Per field, whose value to keep; otherwise the newest non-empty value wins. */
  prefer: z
    .strictObject({
      email: MergeChoice.optional(), firstName: MergeChoice.optional(), lastName: MergeChoice.optional(), phone: MergeChoice.optional(),
      location: MergeChoice.optional(), timezone: MergeChoice.optional(), headline: MergeChoice.optional(), company: MergeChoice.optional(),
      experienceYears: MergeChoice.optional(), status: MergeChoice.optional(),
    })
    .default({}),
});
export const MergeResult = z.object({ mergeId: z.string(), candidate: Candidate });
export const UndoResult = z.object({ survivor: Candidate, merged: Candidate });
export const DuplicatePairView = z.object({
  id: z.string(),
  candidateIds: z.array(CandidateId),
  score: z.number().int().min(0).max(100),
  reasons: z.array(z.string()),
  status: z.enum(['open', 'dismissed']),
  updatedAt: z.iso.datetime(),
  candidates: z.array(Candidate),
});
export const DuplicatePage = pageOf(DuplicatePairView);
export const DismissDuplicate = z.strictObject({ candidateIds: z.tuple([CandidateId, CandidateId]) });

/** Reactivation of former applicants (docs/reactivation.md); `PUT` replaces them, absent fields take their defaults. */
export const ReactivationSettings = z.strictObject({
  /** Silver medalists are people whose last application ended at least this many whole days ago (0: at once). */
  silverMedalistAfterDays: z.number().int().min(0).max(3650).default(30),
  /** The drip campaign a silver medalist matching a newly published job is enrolled in; none: tasks only. */
  campaignId: z.string().regex(/^camp_[0-9A-HJKMNP-TV-Z]{26}$/, 'not a campaign id').optional(),
  /** The recruiter who gets the match tasks (jobs record no recruiter of their own; a publisher is known only by id). */
  taskAssignee: Email.optional(),
});
export type ReactivationSettings = z.output<typeof ReactivationSettings>;
