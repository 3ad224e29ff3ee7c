import * as z from 'zod';
import { pageOf } from '../../shared/http/pagination.ts';
import { isTimeZone } from '../../shared/time-zones.ts';
import { CandidateId, Email, PoolId, SegmentId } from '../candidates/schemas.ts';

const ulid = '[0-9A-HJKMNP-TV-Z]{26}';
export const TemplateId = z.string().regex(new RegExp(`^tpl_${ulid}$`), 'not a template id');
export const CampaignId = z.string().regex(new RegExp(`^camp_${ulid}$`), 'not a campaign id');

const text = (max: number) => z.string().trim().min(1).max(max);
export const TimeZone = z.string().refine(isTimeZone, 'not an IANA time zone');

/** HTML or MJML (compiled to HTML when saved); the compiled HTML may be 100 KB, so every rendered email fits SES's limits. */
export const SaveTemplate = z
  .strictObject({
    name: text(200),
    subject: text(500),
    html: z.string().min(1).max(256 * 1024).optional(),
    mjml: z.string().min(1).max(256 * 1024).optional(),
    text: z.string().min(1).max(64 * 1024).optional(),
  })
  .refine((t) => (t.html === undefined) !== (t.mjml === undefined), { message: 'give exactly one of html or mjml', path: ['html'] });
export type SaveTemplate = z.output<typeof SaveTemplate>;

export const Template = z.object({
  id: TemplateId,
  name: z.string(),
  subject: z.string(),
  /** The HTML that is sent: as given, or compiled from `mjml`. */
  html: z.string(),
  mjml: z.string().optional(),
  text: z.string().optional(),
  placeholders: z.array(z.string()),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  version: z.number().int(),
});
export type Template = z.output<typeof Template>;
export const TemplatePage = pageOf(Template);

export const PreviewRequest = z.strictObject({ candidateId: CandidateId });
export const RenderedEmail = z.object({ subject: z.string(), html: z.string(), text: z.string(), headers: z.record(z.string(), z.string()) });

const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time as HH:MM');
export const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
/** When sending may happen, in the recipient's local time (the campaign's time zone when the recipient has none). */
export const SendWindow = z
  .strictObject({ start: clock, end: clock, days: z.array(z.enum(weekdays)).min(1).max(7).optional() })
  .refine((w) => w.start < w.end, { message: 'start must be before end', path: ['end'] });
export type SendWindow = z.output<typeof SendWindow>;

/** ISO 8601 duration in days, hours and minutes: P2D, PT4H, P1DT12H. */
export const Duration = z.string().regex(/^P(?!$)(\d+D)?(T(?=\d)(\d+H)?(\d+M)?)?$/, 'an ISO 8601 duration such as P2D or PT12H');

export const Audience = z.union([z.strictObject({ segmentId: SegmentId }), z.strictObject({ poolId: PoolId })]);
export type Audience = z.output<typeof Audience>;
export const stopReasons = ['reply', 'apply', 'unsubscribe'] as const;
export const topics = ['newsletter', 'job-alerts', 'events', 'nurture'] as const;

const campaignFields = {
  name: text(200),
  audience: Audience,
  /** Preference topic: recipients who turned it off are skipped. */
  topic: z.enum(topics).default('nurture'),
  timeZone: TimeZone.default('UTC'),
  sendWindow: SendWindow.optional(),
};
export const DripStep = z.strictObject({ templateId: TemplateId, delay: Duration, sendWindow: SendWindow.optional() });
export const CreateCampaign = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('one-shot'),
    ...campaignFields,
    templateId: TemplateId,
    sendAt: z.iso.datetime().optional(),
    /** Send at `sendAt`'s local time, and inside `sendWindow`, in each recipient's own time zone. */
    recipientTimeZone: z.boolean().default(false),
  }),
  z.strictObject({
    kind: z.literal('drip'),
    ...campaignFields,
    steps: z.array(DripStep).min(1).max(20),
    stopOn: z.array(z.enum(stopReasons)).default(['reply', 'apply', 'unsubscribe']),
  }),
]);
export type CreateCampaign = z.output<typeof CreateCampaign>;
export const UpdateCampaign = z
  .strictObject({ name: text(200).optional(), sendAt: z.iso.datetime().nullable().optional(), sendWindow: SendWindow.nullable().optional() })
  .refine((patch) => Object.keys(patch).length > 0, 'send at least one field to change');
export type UpdateCampaign = z.output<typeof UpdateCampaign>;

export const campaignStatuses = ['draft', 'scheduled', 'sending', 'running', 'paused', 'sent', 'cancelled', 'failed'] as const;
export const Campaign = z.object({
  id: CampaignId,
  name: z.string(),
  kind: z.enum(['one-shot', 'drip']),
  audience: Audience,
  topic: z.enum(topics),
  timeZone: z.string(),
  sendWindow: SendWindow.optional(),
  templateId: TemplateId.optional(),
  sendAt: z.iso.datetime().optional(),
  recipientTimeZone: z.boolean().optional(),
  steps: z.array(DripStep).optional(),
  stopOn: z.array(z.enum(stopReasons)).optional(),
  status: z.enum(campaignStatuses),
  /** Why a launch failed, when it did. */
  failure: z.string().optional(),
  launchedAt: z.iso.datetime().optional(),
  completedAt: z.iso.datetime().optional(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  version: z.number().int(),
});
export type Campaign = z.output<typeof Campaign>;
export const CampaignPage = pageOf(Campaign);

export const skipReasons = ['suppressed', 'frequency-cap', 'unsubscribed', 'do-not-contact', 'erased', 'no-consent', 'topic-off', 'rendering-failed', 'no-address'] as const;
export type SkipReason = (typeof skipReasons)[number];
export const recipientStatuses = ['pending', 'claimed', 'sent', 'delivered', 'opened', 'clicked', 'skipped', 'bounced', 'complained', 'rejected', 'failed'] as const;
export type RecipientStatus = (typeof recipientStatuses)[number];

export const Recipient = z.object({
  campaignId: CampaignId,
  candidateId: CandidateId,
  step: z.number().int().optional(),
  /** When a drip step was due: its delay after the previous one, moved into the send window in the person's zone. */
  scheduledAt: z.iso.datetime().optional(),
  email: z.string().optional(),
  status: z.enum(recipientStatuses),
  skipReason: z.enum(skipReasons).optional(),
  messageId: z.string().optional(),
  sentAt: z.iso.datetime().optional(),
  deliveredAt: z.iso.datetime().optional(),
  openedAt: z.iso.datetime().optional(),
  machineOpenedAt: z.iso.datetime().optional(),
  clickedAt: z.iso.datetime().optional(),
  bouncedAt: z.iso.datetime().optional(),
  complainedAt: z.iso.datetime().optional(),
  repliedAt: z.iso.datetime().optional(),
  appliedAt: z.iso.datetime().optional(),
  unsubscribedAt: z.iso.datetime().optional(),
  rejectedAt: z.iso.datetime().optional(),
  failedAt: z.iso.datetime().optional(),
  delayedAt: z.iso.datetime().optional(),
  clickedUrl: z.string().optional(),
  detail: z.string().optional(),
});
export type Recipient = z.output<typeof Recipient>;
export const RecipientPage = pageOf(Recipient);
export const RecipientQuery = z.strictObject({
  status: z.enum(recipientStatuses).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(2048).optional(),
});

export const CampaignStats = z.object({
  targeted: z.number(),
  sent: z.number(),
  delivered: z.number(),
  bounced: z.number(),
  complained: z.number(),
  rejected: z.number(),
  failed: z.number(),
  opened: z.object({ human: z.number(), machine: z.number() }),
  clicked: z.number(),
  replied: z.number(),
  applied: z.number(),
  unsubscribed: z.number(),
  skipped: z.record(z.string(), z.number()),
});
export type CampaignStats = z.output<typeof CampaignStats>;

export const enrollmentStates = ['active', 'completed', 'stopped', 'cancelled'] as const;
export const Enrollment = z.object({
  campaignId: CampaignId,
  candidateId: CandidateId,
  state: z.enum(enrollmentStates),
  /** The next step to send (0-based); equals the number of steps once completed. */
  step: z.number().int(),
  nextSendAt: z.iso.datetime().optional(),
  stoppedReason: z.string().optional(),
  /** Enrolled by hand (a recruiter, or a reactivation match) rather than by entering the audience: leaving it stops nothing. */
  manual: z.boolean().optional(),
  enrolledAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type Enrollment = z.output<typeof Enrollment>;
export const EnrollmentPage = pageOf(Enrollment);
export const EnrollCandidates = z.strictObject({
  candidateIds: z.array(CandidateId).min(1).max(100).transform((ids) => [...new Set(ids)]),
});
export const EnrollmentsAdded = z.object({
  enrolled: z.array(CandidateId),
  /** Enrolled before (still running or finished): a drip runs once per person. */
  alreadyEnrolled: z.array(CandidateId),
  notFound: z.array(z.string()),
});

export const suppressionReasons = ['bounce', 'complaint', 'unsubscribe', 'manual'] as const;
export const AddSuppression = z.strictObject({ email: Email, reason: z.enum(suppressionReasons).default('manual'), note: text(500).optional() });
export const Suppression = z.object({
  email: z.string(),
  reason: z.enum(suppressionReasons),
  note: z.string().optional(),
  campaignId: z.string().optional(),
  createdAt: z.iso.datetime(),
});
export type Suppression = z.output<typeof Suppression>;
export const SuppressionPage = pageOf(Suppression);

export const frequencies = ['any', 'weekly', 'monthly'] as const;
export const Preferences = z.strictObject({
  topics: z.partialRecord(z.enum(topics), z.boolean()).default({}),
  frequency: z.enum(frequencies).default('any'),
});
export type Preferences = z.output<typeof Preferences>;
/** The preference form: checkboxes arrive as `topic=newsletter&topic=events`, or JSON. */
export const PreferencesForm = z.strictObject({
  topics: z.union([z.array(z.enum(topics)), z.enum(topics)]).optional(),
  frequency: z.enum(frequencies).optional(),
  unsubscribeAll: z.union([z.literal('on'), z.boolean()]).optional(),
}).optional();
export type PreferencesForm = z.output<typeof PreferencesForm>;
