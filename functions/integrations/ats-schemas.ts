import * as z from 'zod';
import { PageQuery, pageOf } from '../../shared/http/pagination.ts';
import { applicationStatuses, CandidateId, Email } from '../candidates/schemas.ts';

const ulid = '[0-9A-HJKMNP-TV-Z]{26}';
export const AtsConnectionId = z.string().regex(new RegExp(`^ats_${ulid}$`), 'not an ATS connection id');

/** The payload shapes a connection receives: our own, or what Greenhouse and Lever send as they are (docs/ats-inbound.md). */
export const atsFormats = ['native', 'greenhouse', 'lever'] as const;
export type AtsFormat = (typeof atsFormats)[number];

export const ApplicationStatus = z.enum(applicationStatuses);
export type ApplicationStatus = z.output<typeof ApplicationStatus>;

/**
 * ATS stage → our status, by the stage's id or name (compared without case): `{"Phone Interview": "interview"}`.
 * Stages it does not name fall back to the defaults (docs/ats-inbound.md). Lever archive reasons map the same way.
 */
export const StageMap = z
  .record(z.string().trim().toLowerCase().min(1).max(200), ApplicationStatus)
  .refine((map) => Object.keys(map).length <= 200, 'at most 200 stages');
export type StageMap = z.output<typeof StageMap>;

const name = z.string().trim().min(1).max(100);
/** The tokens Lever shows for its webhooks (it picks the key, one per webhook); kept sealed, never shown again. */
const signatureTokens = z.array(z.string().trim().min(16, 'at least 16 characters').max(256)).min(1).max(10);

export const CreateAtsConnection = z
  .strictObject({
    name,
    format: z.enum(atsFormats, { error: `one of ${atsFormats.join(', ')}` }),
    stageMap: StageMap.optional(),
    signatureTokens: signatureTokens.optional(),
  })
  .refine((input) => !input.signatureTokens || input.format === 'lever', { message: 'only Lever connections take signature tokens', path: ['signatureTokens'] });
export type CreateAtsConnection = z.output<typeof CreateAtsConnection>;

/** `stageMap` replaces the whole map; `signatureTokens` replaces Lever's tokens (`null` goes back to the generated secret). */
export const UpdateAtsConnection = z
  .strictObject({ name: name.optional(), stageMap: StageMap.optional(), signatureTokens: signatureTokens.nullable().optional() })
  .refine((patch) => Object.values(patch).some((value) => value !== undefined), { message: 'nothing to change' });
export type UpdateAtsConnection = z.output<typeof UpdateAtsConnection>;

export const AtsConnection = z.object({
  id: AtsConnectionId,
  name: z.string(),
  format: z.enum(atsFormats),
  stageMap: z.record(z.string(), ApplicationStatus),
  /** Where the ATS sends its events. */
  url: z.string(),
  /** Lever connections verified with the tokens Lever showed, instead of the generated secret. */
  usesSignatureTokens: z.boolean(),
  secretRotatedAt: z.iso.datetime(),
  /** After a rotation the previous secret keeps verifying until then, so the ATS can be updated without losing events. */
  previousSecretValidUntil: z.iso.datetime().optional(),
  createdAt: z.iso.datetime(),
  createdBy: z.string(),
  updatedAt: z.iso.datetime(),
  version: z.number().int(),
});
export type AtsConnection = z.output<typeof AtsConnection>;

/** Creation and rotation answer the secret once; it is stored sealed and never shown again. */
export const AtsConnectionWithSecret = AtsConnection.extend({ secret: z.string() });
/** A Lever connection created with Lever's own tokens has no generated secret to show. */
export const AtsConnectionCreated = AtsConnection.extend({ secret: z.string().optional() });
export const AtsConnectionPage = pageOf(AtsConnection);
export const ListAtsConnectionsQuery = PageQuery.strict();

export const LinkExternalId = z.strictObject({ candidateId: CandidateId });
export const ExternalIdParams = z.strictObject({ id: AtsConnectionId, externalId: z.string().trim().min(1).max(200) });
export const ExternalIdLink = z.object({ connectionId: AtsConnectionId, externalId: z.string(), candidateId: CandidateId });

/**
 * What became of an inbound event; a delivery of the same event again answers the same. `changed`: the application
 * was created or moved; `unchanged`: it already stood there; `stale`: an older event than one applied already;
 * `unmatched` (202): nobody here is linked to the ATS's id and the event names no address; `withheld`: the person
 * was erased at their request, so nothing was kept; `ignored`: an event that says nothing about an application.
 */
export const atsOutcomes = ['changed', 'unchanged', 'stale', 'unmatched', 'withheld', 'ignored'] as const;
export const AtsEventResult = z.object({
  eventId: z.string(),
  outcome: z.enum(atsOutcomes),
  candidateId: CandidateId.optional(),
  candidateCreated: z.boolean().optional(),
  applicationId: z.string().optional(),
  status: ApplicationStatus.optional(),
  /** Why it was ignored, stale, unmatched or withheld. */
  reason: z.string().optional(),
});
export type AtsEventResult = z.output<typeof AtsEventResult>;

/** The body is checked against the connection's format once its signature verifies (docs/ats-inbound.md). */
export const AtsEventBody = z.record(z.string(), z.unknown()).describe('A native, Greenhouse or Lever event, as the connection\'s format says');

// ——— The three inbound shapes ———

const text = (max: number) => z.string().trim().min(1).max(max);
const atsId = z.union([z.string().trim().min(1).max(200), z.number().int().nonnegative()]).transform(String);

/** Our own shape: what an ATS without a webhook format of its own, or a middleware, sends. */
export const NativeEvent = z.strictObject({
  /** The sender's id of this event: the same event sent again carries the same id. */
  eventId: text(200),
  occurredAt: z.iso.datetime({ offset: true }).transform((at) => new Date(at).toISOString()),
  candidate: z.strictObject({
    externalId: text(200),
    email: Email,
    firstName: text(100),
    lastName: text(100),
    phone: z.string().trim().regex(/^\+?[0-9][0-9 ().-]{4,24}$/, 'not a phone number').optional(),
  }),
  application: z.strictObject({
    /** The application's id in the ATS; without it, the candidate's application to the requisition. */
    externalId: text(200).optional(),
    requisitionId: text(100),
    /** One of our statuses, or an ATS stage the connection's stageMap names. */
    status: text(200),
    note: z.string().trim().max(2000).optional(),
  }),
});
export type NativeEvent = z.output<typeof NativeEvent>;

const nullableText = z.string().nullish();
const greenhouseApplication = z.looseObject({
  id: atsId,
  status: nullableText,
  prospect: z.boolean().nullish(),
  applied_at: nullableText,
  rejected_at: nullableText,
  last_activity_at: nullableText,
  current_stage: z.looseObject({ id: atsId.nullish(), name: nullableText }).nullish(),
  rejection_reason: z.looseObject({ name: nullableText, type: z.looseObject({ name: nullableText }).nullish() }).nullish(),
  offer: z.looseObject({ resolved_at: nullableText }).nullish(),
  candidate: z.looseObject({
    id: atsId,
    first_name: nullableText,
    last_name: nullableText,
    email_addresses: z.array(z.looseObject({ value: z.string(), type: nullableText })).nullish(),
    phone_numbers: z.array(z.looseObject({ value: z.string(), type: nullableText })).nullish(),
  }),
  jobs: z.array(z.looseObject({ id: atsId, requisition_id: z.union([z.string(), z.number()]).nullish() })).nullish(),
});

/** Greenhouse's web hooks (developers.greenhouse.io/webhooks.html): the application events this maps. */
export const GreenhouseEvent = z.looseObject({ action: text(100), payload: z.looseObject({ application: greenhouseApplication }) });
export type GreenhouseEvent = z.output<typeof GreenhouseEvent>;
export const GreenhouseAction = z.looseObject({ action: text(100) });

const leverId = z.string().trim().min(1).max(200);
const leverArchive = z.looseObject({ archivedAt: z.number().nullish(), reason: nullableText }).nullish();
/** Lever's webhooks (hire.lever.co/developer/documentation#webhooks): ids only, no names or addresses. */
export const LeverEvent = z.looseObject({
  event: text(100),
  token: text(500),
  triggeredAt: z.number().int().positive(),
  data: z.looseObject({
    opportunityId: leverId.nullish(),
    candidateId: leverId.nullish(),
    contactId: leverId.nullish(),
    fromStageId: nullableText,
    toStageId: nullableText,
    fromArchived: leverArchive,
    toArchived: leverArchive,
  }).nullish(),
});
export type LeverEvent = z.output<typeof LeverEvent>;
