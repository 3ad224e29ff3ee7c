/**
 * The wiring manifest: every function, the routes it serves, the events it consumes and the permissions it needs.
 * Declared once; the CDK app (infra/) and the local stack (infra/local/) both read it, and
 * test/infra/manifest-agreement.test.ts proves they agree.
 */
import type { EventContract } from '../events/contract.ts';
import * as candidates from '../functions/candidates/api.ts';
import * as campaigns from '../functions/campaigns/api.ts';
import { SesEmailEvents } from '../events/ses.ts';
import * as platform from '../functions/platform/api.ts';
import * as syndication from '../functions/syndication/api.ts';
import * as privacy from '../functions/privacy/api.ts';
import { publicChanges } from '../events/syndication.ts';
import { auditedEvents } from '../functions/privacy/audited-events.ts';
import type { RouteContract } from '../shared/http/route.ts';
import { OUTBOX_SK } from '../shared/table/outbox.ts';
import { campaignSend, chunkedJob, dripEnrollment, type StateMachineDefinition } from './workflows.ts';
import { PROFILE_SK } from '../functions/candidates/adapters/entities.ts';
import * as hiringEvents from './wiring/hiring-events.ts';
import * as surveys from './wiring/surveys.ts';
import * as webhooks from './wiring/webhooks.ts';
import * as ats from './wiring/ats.ts';
import * as reactivation from './wiring/reactivation.ts';
import * as insights from './wiring/insights.ts';
import * as matching from './wiring/matching.ts';

export const contexts = ['platform', 'candidates', 'campaigns', 'syndication', 'privacy', 'engagement', 'insights', 'integrations'] as const;
export type ContextName = (typeof contexts)[number];

/** Buckets the stack owns; functions name them in their permissions and read their names from `BUCKET_<NAME>`. */
export const buckets = ['imports', 'inbound', 'sites', 'documents'] as const;
export type BucketName = (typeof buckets)[number];

/** Stream records of these kinds whose item has this sort key. */
export interface StreamFilter {
  sortKey: string;
  eventNames: readonly ('INSERT' | 'MODIFY' | 'REMOVE')[];
}

export interface FunctionSpec {
  /** Stable id: construct id in CDK, function name suffix, local log prefix. */
  name: string;
  context: ContextName;
  description: string;
  /** Path of the handler module from the repository root; it exports `handler`. */
  entry: string;
  memoryMb?: number;
  timeoutSeconds?: number;
  /** At most this many invocations at once (reserved concurrency); the local bus delivers the same way. */
  reservedConcurrency?: number;
  /** HTTP API routes this function serves (route groups keep the stack well under CloudFormation's limits). */
  routes?: readonly RouteContract[];
  /** EventBridge rule on the bus: these events are delivered to the function. */
  subscribes?: readonly EventContract[];
  /** Consumes the table's stream, filtered by the event source mapping (CDK) or the local relay alike. */
  tableStream?: StreamFilter;
  /** Runs on a schedule (EventBridge cron, UTC); locally `POST /_local/schedules/{name}/run` runs it now. */
  schedule?: { name: string; cron: string; description: string };
  /** Objects created under this prefix of a bucket are delivered to the function (S3 event notifications). */
  objectCreated?: { bucket: BucketName; prefix: string };
  /** What the function may touch; CDK grants exactly this. */
  permissions: {
    table?: 'read' | 'readWrite';
    publishEvents?: boolean;
    /** Object prefixes per bucket: read, read and write, or read and delete; `list` also lists what is under the prefix. */
    objects?: readonly { bucket: BucketName; prefix: string; access: 'read' | 'readWrite' | 'delete'; list?: boolean }[];
    /** Sends email through SES from the configured address (`MAIL_FROM`): `single` messages, or `bulk` campaign batches too. */
    sendEmail?: 'single' | 'bulk';
    /** Holds the link-signing key: signs and verifies link tokens (unsubscribe, preferences, reply addresses) and salts the hashes that recognise erased people. */
    signsLinks?: boolean;
    /** Holds the sealing key: seals and opens secrets clients gave us (webhook and ATS signing secrets) before they are stored. */
    sealsSecrets?: boolean;
    /** Drops changed paths from the career sites' CDN cache (CloudFront invalidations; `DISTRIBUTION_ID`). */
    invalidatesCdn?: boolean;
    /** Workflows (by name) the function starts; their ARNs come in `WORKFLOW_<NAME>`. */
    startWorkflows?: readonly string[];
    /** Workflows (by name) whose executions the function stops (an erased person's drips). */
    stopWorkflows?: readonly string[];
  };
}

/**
 * A Step Functions state machine. Its definition is built from the function names of its Task states, so the
 * CDK app fills in the functions' ARNs and the local stack runs the same states on the local handlers.
 */
export interface WorkflowSpec {
  name: string;
  context: ContextName;
  description: string;
  /** Functions the Task states invoke (each also in `functions`). */
  invokes: readonly string[];
  definition: (functionArn: (name: string) => string) => StateMachineDefinition;
}

/** What rendering the public files writes: feeds, the sitemap, job pages and sites. */
const sitesFiles = [
  { bucket: 'sites', prefix: 'feeds/', access: 'readWrite' },
  { bucket: 'sites', prefix: 'jobs/', access: 'readWrite' },
  { bucket: 'sites', prefix: 'sites/', access: 'readWrite' },
  { bucket: 'sites', prefix: 'sitemap.xml', access: 'readWrite' },
] as const;

/** Contexts added later declare their wiring in `infra/wiring/`, one file per capability. */
const capabilities = [hiringEvents, surveys, webhooks, ats, reactivation, insights, matching];

export const functions: readonly FunctionSpec[] = [
  {
    name: 'platform-openapi',
    context: 'platform',
    description: 'Serves the OpenAPI document',
    entry: 'functions/platform/handlers/openapi.ts',
    routes: [platform.getOpenApi],
    permissions: {},
  },
  {
    name: 'platform-event-relay',
    context: 'platform',
    description: 'Publishes outbox entries from the table stream to the event bus',
    entry: 'functions/platform/handlers/relay-events.ts',
    tableStream: { sortKey: OUTBOX_SK, eventNames: ['INSERT'] },
    permissions: { publishEvents: true },
  },
  {
    name: 'candidates-api',
    context: 'candidates',
    description: 'Candidates: create, list and filter, read, update, tag',
    entry: 'functions/candidates/handlers/candidates.ts',
    routes: [
      candidates.createCandidate,
      candidates.listCandidates,
      candidates.getCandidate,
      candidates.updateCandidate,
      candidates.tagCandidate,
      candidates.untagCandidate,
    ],
    permissions: { table: 'readWrite', signsLinks: true },
  },
  {
    name: 'candidates-timeline',
    context: 'candidates',
    description: 'Candidate touchpoints and timeline',
    entry: 'functions/candidates/handlers/timeline.ts',
    routes: [candidates.logTouchpoint, candidates.getTimeline],
    permissions: { table: 'readWrite' },
  },
  {
    name: 'candidates-pools',
    context: 'candidates',
    description: 'Talent pools and their members',
    entry: 'functions/candidates/handlers/pools.ts',
    routes: [
      candidates.createPool,
      candidates.listPools,
      candidates.getPool,
      candidates.addPoolMembers,
      candidates.removePoolMember,
      candidates.listPoolMembers,
    ],
    permissions: { table: 'readWrite' },
  },
  {
    name: 'candidates-imports',
    context: 'candidates',
    description: 'Starts imports and reports their progress and failed rows',
    entry: 'functions/candidates/handlers/imports.ts',
    routes: [candidates.startImport, candidates.getImport, candidates.getImportErrors],
    permissions: { table: 'readWrite', objects: [{ bucket: 'imports', prefix: 'uploads/', access: 'readWrite' }] },
  },
  {
    name: 'candidates-import-arrived',
    context: 'candidates',
    description: 'Starts the import workflow when an import file lands in the bucket',
    entry: 'functions/candidates/handlers/import-arrived.ts',
    objectCreated: { bucket: 'imports', prefix: 'uploads/' },
    permissions: { table: 'readWrite', startWorkflows: ['candidates-import'] },
  },
  {
    name: 'candidates-import-worker',
    context: 'candidates',
    description: 'Imports a chunk of a file from its checkpoint (a Task of the import workflow)',
    entry: 'functions/candidates/handlers/import-worker.ts',
    memoryMb: 1024,
    timeoutSeconds: 300,
    permissions: { table: 'readWrite', objects: [{ bucket: 'imports', prefix: 'uploads/', access: 'delete' }], signsLinks: true },
  },
  {
    name: 'candidates-applications',
    context: 'candidates',
    description: 'Applications and their status ladder',
    entry: 'functions/candidates/handlers/applications.ts',
    routes: [candidates.createApplication, candidates.getApplication, candidates.getApplicationCv, candidates.moveApplication],
    permissions: { table: 'readWrite', objects: [{ bucket: 'documents', prefix: 'cvs/', access: 'read' }] },
  },
  {
    name: 'candidates-tasks',
    context: 'candidates',
    description: 'Recruiter follow-up tasks',
    entry: 'functions/candidates/handlers/tasks.ts',
    routes: [candidates.createTask, candidates.updateTask, candidates.listTasks],
    permissions: { table: 'readWrite' },
  },
  {
    name: 'candidates-task-digest',
    context: 'candidates',
    description: 'Emails each recruiter their overdue and due-today follow-ups',
    entry: 'functions/candidates/handlers/task-digest.ts',
    timeoutSeconds: 120,
    schedule: { name: 'task-digest', cron: 'cron(0 6 * * ? *)', description: 'Daily at 06:00 UTC' },
    permissions: { table: 'readWrite', sendEmail: 'single' },
  },
  {
    name: 'candidates-duplicates',
    context: 'candidates',
    description: 'Suspected duplicates, merges and their undo',
    entry: 'functions/candidates/handlers/duplicates.ts',
    timeoutSeconds: 30,
    routes: [candidates.listDuplicates, candidates.dismissDuplicate, candidates.mergeCandidates, candidates.undoMerge],
    permissions: { table: 'readWrite' },
  },
  {
    name: 'candidates-segments',
    context: 'candidates',
    description: 'Segments: rules, previews, members',
    entry: 'functions/candidates/handlers/segments.ts',
    routes: [
      candidates.createSegment, candidates.listSegments, candidates.getSegment, candidates.updateSegment, candidates.previewSegment,
      candidates.listSegmentMembers, candidates.addSegmentMembers, candidates.removeSegmentMember,
    ],
    permissions: { table: 'readWrite', startWorkflows: ['candidates-segment-backfill'] },
  },
  {
    name: 'candidates-segment-backfill',
    context: 'candidates',
    description: 'Evaluates every candidate against a segment rule, a chunk at a time (a Task of the backfill workflow)',
    entry: 'functions/candidates/handlers/segment-backfill.ts',
    timeoutSeconds: 120,
    permissions: { table: 'readWrite' },
  },
  {
    name: 'candidates-segment-refresh',
    context: 'candidates',
    description: 'Re-evaluates segments whose rules age with time',
    entry: 'functions/candidates/handlers/segment-refresh.ts',
    schedule: { name: 'segment-refresh', cron: 'cron(30 2 * * ? *)', description: 'Daily at 02:30 UTC' },
    permissions: { table: 'readWrite', startWorkflows: ['candidates-segment-backfill'] },
  },
  {
    name: 'candidates-indexer',
    context: 'candidates',
    description: 'Keeps the filter and search index entries of candidate profiles and their dynamic segment memberships',
    entry: 'functions/candidates/handlers/index-profiles.ts',
    tableStream: { sortKey: PROFILE_SK, eventNames: ['INSERT', 'MODIFY', 'REMOVE'] },
    timeoutSeconds: 60,
    permissions: { table: 'readWrite' },
  },
  {
    name: 'candidates-activity',
    context: 'candidates',
    description: 'Records candidate events on the candidate timeline, and when the person was last active',
    entry: 'functions/candidates/handlers/record-activity.ts',
    subscribes: candidates.activityEvents,
    permissions: { table: 'readWrite' },
  },
  {
    name: 'campaigns-templates',
    context: 'campaigns',
    description: 'Email templates: list, read, preview for a candidate',
    entry: 'functions/campaigns/handlers/templates.ts',
    routes: [campaigns.listTemplates, campaigns.getTemplate, campaigns.previewTemplate],
    permissions: { table: 'read', signsLinks: true },
  },
  {
    name: 'campaigns-template-writer',
    context: 'campaigns',
    description: 'Saves email templates, compiling MJML and checking placeholders',
    entry: 'functions/campaigns/handlers/template-writer.ts',
    memoryMb: 1024,
    routes: [campaigns.createTemplate, campaigns.updateTemplate],
    permissions: { table: 'readWrite' },
  },
  {
    name: 'campaigns-api',
    context: 'campaigns',
    description: 'Campaigns and drips: create, launch, pause, resume, cancel; recipients, stats, enrollments',
    entry: 'functions/campaigns/handlers/campaigns.ts',
    routes: [
      campaigns.createCampaign, campaigns.listCampaigns, campaigns.getCampaign, campaigns.updateCampaign, campaigns.launchCampaign, campaigns.pauseCampaign,
      campaigns.resumeCampaign, campaigns.cancelCampaign, campaigns.listRecipients, campaigns.getCampaignStats, campaigns.listEnrollments,
    ],
    permissions: { table: 'readWrite', startWorkflows: ['campaigns-send', 'campaigns-enroll'] },
  },
  {
    name: 'campaigns-suppressions',
    context: 'campaigns',
    description: 'The suppression list',
    entry: 'functions/campaigns/handlers/suppressions.ts',
    routes: [campaigns.listSuppressions, campaigns.addSuppression, campaigns.removeSuppression],
    permissions: { table: 'readWrite' },
  },
  {
    name: 'campaigns-email-links',
    context: 'campaigns',
    description: 'Public pages behind email links: one-click unsubscribe and preferences',
    entry: 'functions/campaigns/handlers/email-links.ts',
    routes: [campaigns.unsubscribePage, campaigns.unsubscribe, campaigns.preferencesPage, campaigns.savePreferences],
    permissions: { table: 'readWrite', signsLinks: true },
  },
  {
    name: 'campaigns-send-planner',
    context: 'campaigns',
    description: 'Plans a campaign audience into recipients, and closes the send (Tasks of the send workflow)',
    entry: 'functions/campaigns/handlers/send-planner.ts',
    timeoutSeconds: 60,
    permissions: { table: 'readWrite' },
  },
  {
    name: 'campaigns-send-worker',
    context: 'campaigns',
    description: 'Sends one shard of a campaign from its checkpoint (a Task of the send workflow)',
    entry: 'functions/campaigns/handlers/send-worker.ts',
    memoryMb: 1024,
    timeoutSeconds: 120,
    permissions: { table: 'readWrite', sendEmail: 'bulk', signsLinks: true },
  },
  {
    name: 'campaigns-drip-enroller',
    context: 'campaigns',
    description: 'Enrols a launched drip audience a chunk at a time (a Task of the enroll workflow)',
    entry: 'functions/campaigns/handlers/drip-enroller.ts',
    timeoutSeconds: 120,
    permissions: { table: 'readWrite', startWorkflows: ['campaigns-drip'] },
  },
  {
    name: 'campaigns-drip-step',
    context: 'campaigns',
    description: 'Sends one step of one drip enrollment (the Task of the drip workflow)',
    entry: 'functions/campaigns/handlers/drip-step.ts',
    timeoutSeconds: 30,
    permissions: { table: 'readWrite', sendEmail: 'bulk', signsLinks: true },
  },
  {
    name: 'campaigns-drip-triggers',
    context: 'campaigns',
    description: 'Enrols segment newcomers in drips; stops drips on reply, apply and unsubscribe; attributes applications',
    entry: 'functions/campaigns/handlers/drip-triggers.ts',
    timeoutSeconds: 30,
    subscribes: campaigns.dripTriggers,
    permissions: { table: 'readWrite', startWorkflows: ['campaigns-drip'] },
  },
  {
    name: 'campaigns-tracking',
    context: 'campaigns',
    description: 'Turns SES sending events into recipient status, counters, suppressions and timeline activity',
    entry: 'functions/campaigns/handlers/ses-events.ts',
    subscribes: SesEmailEvents,
    permissions: { table: 'readWrite' },
  },
  {
    name: 'campaigns-inbound',
    context: 'campaigns',
    description: 'Reads replies that SES receiving stored and records them on the person they belong to',
    entry: 'functions/campaigns/handlers/inbound-mail.ts',
    timeoutSeconds: 30,
    objectCreated: { bucket: 'inbound', prefix: 'replies/' },
    permissions: { table: 'readWrite', objects: [{ bucket: 'inbound', prefix: 'replies/', access: 'read' }], signsLinks: true },
  },
  {
    name: 'syndication-jobs',
    context: 'syndication',
    description: 'Jobs: create, list, read, change, publish, close; tracked share links',
    entry: 'functions/syndication/handlers/jobs.ts',
    routes: [syndication.createJob, syndication.listJobs, syndication.getJob, syndication.updateJob, syndication.publishJob, syndication.closeJob, syndication.shareJob],
    permissions: { table: 'readWrite' },
  },
  {
    name: 'syndication-sites',
    context: 'syndication',
    description: 'Career micro sites: create, list, read, change, publish and unpublish (rendered to the sites bucket)',
    entry: 'functions/syndication/handlers/sites.ts',
    timeoutSeconds: 30,
    routes: [syndication.createSite, syndication.listSites, syndication.getSite, syndication.updateSite, syndication.publishSite, syndication.unpublishSite],
    permissions: { table: 'readWrite', objects: sitesFiles, invalidatesCdn: true },
  },
  {
    name: 'syndication-publisher',
    context: 'syndication',
    description: 'Renders the feeds, the sitemap, job pages and published sites again when a job or site changes',
    entry: 'functions/syndication/handlers/publisher.ts',
    memoryMb: 1024,
    timeoutSeconds: 120,
    // One writer of the shared files: two renders never interleave their writes.
    reservedConcurrency: 1,
    subscribes: publicChanges,
    permissions: { table: 'read', objects: sitesFiles, invalidatesCdn: true },
  },
  {
    name: 'syndication-job-expiry',
    context: 'syndication',
    description: 'Closes open jobs whose closing date has passed',
    entry: 'functions/syndication/handlers/job-expiry.ts',
    timeoutSeconds: 60,
    schedule: { name: 'job-expiry', cron: 'cron(5 0 * * ? *)', description: 'Daily at 00:05 UTC' },
    permissions: { table: 'readWrite' },
  },
  {
    name: 'syndication-community',
    context: 'syndication',
    description: 'Career-site forms: talent-community sign-up (double opt-in), its confirmation link, the assistant',
    entry: 'functions/syndication/handlers/community.ts',
    routes: [syndication.signup, syndication.confirmSignupPage, syndication.confirmSignup, syndication.ask],
    permissions: { table: 'readWrite', sendEmail: 'single', signsLinks: true },
  },
  {
    name: 'syndication-apply',
    context: 'syndication',
    description: 'Applications from the job pages, with a CV, and their acknowledgement email',
    entry: 'functions/syndication/handlers/apply.ts',
    memoryMb: 1024,
    timeoutSeconds: 20,
    routes: [syndication.apply],
    permissions: { table: 'readWrite', sendEmail: 'single', objects: [{ bucket: 'documents', prefix: 'cvs/', access: 'readWrite' }], signsLinks: true },
  },
  {
    name: 'privacy-consents',
    context: 'privacy',
    description: 'Consent records: list with what counts now, record a grant or a withdrawal',
    entry: 'functions/privacy/handlers/consents.ts',
    routes: [privacy.listConsents, privacy.recordConsent],
    permissions: { table: 'readWrite' },
  },
  {
    name: 'privacy-consent-links',
    context: 'privacy',
    description: 'The one-click renewal link of re-consent emails',
    entry: 'functions/privacy/handlers/consent-links.ts',
    routes: [privacy.renewConsentPage, privacy.renewConsent],
    permissions: { table: 'readWrite', signsLinks: true },
  },
  {
    name: 'privacy-consent-renewal',
    context: 'privacy',
    description: 'Asks people whose consent expires within 30 days to renew it',
    entry: 'functions/privacy/handlers/consent-renewal.ts',
    timeoutSeconds: 300,
    schedule: { name: 'consent-renewal', cron: 'cron(0 8 * * ? *)', description: 'Daily at 08:00 UTC' },
    permissions: { table: 'readWrite', sendEmail: 'single', signsLinks: true },
  },
  {
    name: 'privacy-export',
    context: 'privacy',
    description: 'Everything held about a person, as one JSON document with links to their files',
    entry: 'functions/privacy/handlers/export.ts',
    timeoutSeconds: 30,
    routes: [privacy.exportCandidate],
    permissions: {
      table: 'readWrite',
      signsLinks: true,
      objects: [{ bucket: 'documents', prefix: 'cvs/', access: 'read', list: true }, { bucket: 'documents', prefix: 'exports/', access: 'read', list: true }],
    },
  },
  {
    name: 'privacy-erasure-api',
    context: 'privacy',
    description: 'Starts an erasure and tells where it stands',
    entry: 'functions/privacy/handlers/erasure-api.ts',
    routes: [privacy.eraseCandidate, privacy.getErasure],
    permissions: { table: 'readWrite', startWorkflows: ['privacy-erasure'] },
  },
  {
    name: 'privacy-eraser',
    context: 'privacy',
    description: 'Erases a person step by step from its checkpoint: items, files, workflows; leaves a salted-hash tombstone',
    entry: 'functions/privacy/handlers/eraser.ts',
    timeoutSeconds: 120,
    permissions: {
      table: 'readWrite',
      objects: [
        { bucket: 'documents', prefix: 'cvs/', access: 'delete', list: true },
        { bucket: 'documents', prefix: 'exports/', access: 'delete', list: true },
        { bucket: 'inbound', prefix: 'replies/', access: 'delete' },
      ],
      stopWorkflows: ['campaigns-drip'],
      signsLinks: true,
    },
  },
  {
    name: 'privacy-requests',
    context: 'privacy',
    description: 'Self-service access and erasure requests: verified by an emailed link, tracked with their deadline',
    entry: 'functions/privacy/handlers/requests.ts',
    timeoutSeconds: 30,
    routes: [privacy.requestPrivacy, privacy.confirmPrivacy, privacy.confirmPrivacyAction, privacy.downloadFile, privacy.listPrivacyRequests],
    permissions: {
      table: 'readWrite',
      sendEmail: 'single',
      signsLinks: true,
      startWorkflows: ['privacy-erasure'],
      objects: [{ bucket: 'documents', prefix: 'exports/', access: 'readWrite', list: true }, { bucket: 'documents', prefix: 'cvs/', access: 'read', list: true }],
    },
  },
  {
    name: 'privacy-retention',
    context: 'privacy',
    description: 'The retention rule and consent periods',
    entry: 'functions/privacy/handlers/retention.ts',
    routes: [privacy.getRetention, privacy.putRetention],
    permissions: { table: 'readWrite' },
  },
  {
    name: 'privacy-retention-run',
    context: 'privacy',
    description: 'Applies the retention rule: reports (dry run), warns the team, then erases',
    entry: 'functions/privacy/handlers/retention-run.ts',
    timeoutSeconds: 300,
    schedule: { name: 'retention', cron: 'cron(0 3 * * ? *)', description: 'Daily at 03:00 UTC' },
    permissions: { table: 'readWrite', sendEmail: 'single', startWorkflows: ['privacy-erasure'] },
  },
  {
    name: 'privacy-notices',
    context: 'privacy',
    description: 'Tells people added by sourcing or import that their data is held, and why (Art. 14)',
    entry: 'functions/privacy/handlers/notices.ts',
    timeoutSeconds: 300,
    schedule: { name: 'privacy-notice', cron: 'cron(0 9 * * ? *)', description: 'Daily at 09:00 UTC' },
    permissions: { table: 'readWrite', sendEmail: 'single', signsLinks: true },
  },
  {
    name: 'privacy-audit',
    context: 'privacy',
    description: 'The audit log: who read, exported, changed, merged or erased whom',
    entry: 'functions/privacy/handlers/audit.ts',
    routes: [privacy.listAudit],
    permissions: { table: 'read' },
  },
  {
    name: 'privacy-audit-recorder',
    context: 'privacy',
    description: 'Records changes to people in the audit log from their domain events',
    entry: 'functions/privacy/handlers/audit-recorder.ts',
    subscribes: auditedEvents,
    permissions: { table: 'readWrite' },
  },
  ...capabilities.flatMap((capability) => capability.functions),
];

/** Shards sent at once per campaign: with SHARDS = 8, half of them, so two campaigns can share the SES rate. */
const SEND_CONCURRENCY = 4;

export const workflows: readonly WorkflowSpec[] = [
  {
    name: 'candidates-import',
    context: 'candidates',
    description: 'Imports a file of candidates a chunk at a time, resuming from its checkpoint after a failure',
    invokes: ['candidates-import-worker'],
    definition: (arn) => chunkedJob(arn('candidates-import-worker')),
  },
  {
    name: 'candidates-segment-backfill',
    context: 'candidates',
    description: 'Fills a dynamic segment from every candidate a chunk at a time, after it is created or its rule changes',
    invokes: ['candidates-segment-backfill'],
    definition: (arn) => chunkedJob(arn('candidates-segment-backfill')),
  },
  {
    name: 'campaigns-send',
    context: 'campaigns',
    description: 'Sends a one-shot campaign: waits for its time, plans the audience, sends the shards in parallel',
    invokes: ['campaigns-send-planner', 'campaigns-send-worker'],
    definition: (arn) => campaignSend(arn('campaigns-send-planner'), arn('campaigns-send-worker'), SEND_CONCURRENCY),
  },
  {
    name: 'campaigns-enroll',
    context: 'campaigns',
    description: 'Enrols the audience of a launched drip a chunk at a time',
    invokes: ['campaigns-drip-enroller'],
    definition: (arn) => chunkedJob(arn('campaigns-drip-enroller')),
  },
  {
    name: 'privacy-erasure',
    context: 'privacy',
    description: 'Erases one person step by step, resuming from its checkpoint after a failure',
    invokes: ['privacy-eraser'],
    definition: (arn) => chunkedJob(arn('privacy-eraser')),
  },
  {
    name: 'campaigns-drip',
    context: 'campaigns',
    description: 'One drip enrollment: waits for each step, sends it, until done or stopped',
    invokes: ['campaigns-drip-step'],
    definition: (arn) => dripEnrollment(arn('campaigns-drip-step')),
  },
  ...capabilities.flatMap((capability) => capability.workflows),
];

export const routes = functions.flatMap((fn) => (fn.routes ?? []).map((route) => ({ route, fn })));
