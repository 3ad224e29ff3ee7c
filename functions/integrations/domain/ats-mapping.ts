import { createHash } from 'node:crypto';
import type { z } from 'zod';
import { InvalidInput } from '../../../shared/errors.ts';
import { fieldErrors } from '../../../shared/http/request.ts';
import { Email } from '../../candidates/schemas.ts';
import {
  ApplicationStatus, GreenhouseAction, GreenhouseEvent, LeverEvent, NativeEvent, type AtsFormat, type StageMap,
} from '../ats-schemas.ts';
import type { Delivery } from './ats-signatures.ts';

/**
 * Turning what an ATS sends into one change of one application: Greenhouse, Lever and our own native shape all
 * become an `AtsChange`, so the rest of the flow never looks at a vendor's payload. Pure: no I/O, no clock.
 */

type Status = ApplicationStatus;

/** Where the application goes: a status the ATS names, a stage to map, back to where it was before it ended, or nowhere. */
export type Move =
  | { to: Status }
  | { stage: { id?: string; name?: string }; otherwise?: Status }
  | { reopen: true }
  | { keep: true };

export interface AtsChange {
  /** Stable across deliveries of the same event: the dedupe key. */
  eventId: string;
  /** When it happened in the ATS: an event older than one already applied to the application is stale. */
  at?: string;
  candidate: { externalId: string; emails: string[]; firstName?: string; lastName?: string; phone?: string };
  application: { externalId: string; requisitionId?: string; move: Move; note: string };
}

export type Normalised = { kind: 'change'; change: AtsChange } | { kind: 'ignored'; eventId: string; reason: string };

/**
 * Stage names and ids → status when the connection's stageMap does not say, first match wins. They follow the
 * default pipelines of Greenhouse ("Application Review", "Preliminary Phone Screen", "Phone Interview", "Face to
 * Face", "Offer") and Lever (`lead-new`, `applicant-new`, …): see docs/ats-inbound.md.
 */
const defaultStages: [RegExp, Status][] = [
  [/hire/, 'hired'],
  [/offer/, 'offer'],
  [/withdr/, 'withdrawn'],
  [/reject|archiv|declin|disqualif/, 'rejected'],
  [/interview|face to face|onsite|on-site|assessment|panel|reference|take.?home|technical|challenge/, 'interview'],
  [/screen|review|qualif/, 'screening'],
  [/new|appl|lead|prospect|sourced/, 'applied'],
];

/** The status a stage maps to: the connection's map by id, then by name, then the defaults by name, then by id. */
export function statusForStage(stage: { id?: string; name?: string }, stageMap: StageMap): Status | undefined {
  const keys = [stage.id, stage.name].filter((key): key is string => !!key).map((key) => key.trim().toLowerCase());
  for (const key of keys) if (stageMap[key]) return stageMap[key];
  for (const key of keys.reverse()) for (const [pattern, status] of defaultStages) if (pattern.test(key)) return status;
  return undefined;
}

function parse<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw new InvalidInput(`The body is not a valid ${what} event.`, fieldErrors('body', result.error));
  return result.data;
}

const bodyHash = (rawBody: string) => createHash('sha256').update(rawBody).digest('hex').slice(0, 32);

/** A timestamp the ATS sent, as ISO 8601 UTC; nothing when it is absent or not a time. */
function instant(value: string | null | undefined): string | undefined {
  if (!value) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

/** Addresses in the order to match them (personal first), keeping only valid ones. */
function addresses(list: { value: string; type?: string | null }[] | null | undefined): string[] {
  const rank = (type: string | null | undefined) => ['personal', 'work', 'other'].indexOf(type ?? 'other');
  const valid = [...(list ?? [])].sort((a, b) => rank(a.type) - rank(b.type)).flatMap((entry) => {
    const email = Email.safeParse(entry.value);
    return email.success ? [email.data] : [];
  });
  return [...new Set(valid)];
}

function native(body: unknown, stageMap: StageMap): Normalised {
  const event = parse(NativeEvent, body, 'native');
  const { candidate, application } = event;
  const status = ApplicationStatus.safeParse(application.status);
  const move: Move = status.success ? { to: status.data } : { stage: { name: application.status } };
  if ('stage' in move && !statusForStage(move.stage, stageMap)) {
    throw new InvalidInput('The application status is neither one of ours nor a stage this connection maps.', [
      { path: 'body.application.status', message: `not a status (${ApplicationStatus.options.join(', ')}) nor a stage the connection maps (its stageMap or the default stage names)` },
    ]);
  }
  return {
    kind: 'change',
    change: {
      eventId: `native:${event.eventId}`,
      at: event.occurredAt,
      candidate: {
        externalId: candidate.externalId,
        emails: [candidate.email],
        firstName: candidate.firstName,
        lastName: candidate.lastName,
        ...(candidate.phone ? { phone: candidate.phone } : {}),
      },
      application: {
        externalId: application.externalId ?? `requisition:${application.requisitionId}`,
        requisitionId: application.requisitionId,
        move,
        note: application.note ?? (status.success ? 'ATS' : `ATS stage: ${application.status}`),
      },
    },
  };
}

/** Greenhouse actions that carry an application, and what each says about its status beyond the application's own fields. */
const greenhouseActions = new Set([
  'new_candidate_application', 'application_updated', 'candidate_stage_change', 'hire_candidate', 'unhire_candidate', 'reject_candidate', 'unreject_candidate',
]);

function greenhouse(body: unknown, delivery: Delivery): Normalised {
  const { action } = parse(GreenhouseAction, body, 'Greenhouse');
  if (!greenhouseActions.has(action)) return { kind: 'ignored', eventId: `greenhouse:${action}:${bodyHash(delivery.rawBody)}`, reason: `Greenhouse ${action} says nothing about an application` };
  const { application } = parse(GreenhouseEvent, body, 'Greenhouse').payload;
  const stage = application.current_stage;
  const at = instant(application.last_activity_at) ?? instant(application.rejected_at) ?? instant(application.offer?.resolved_at);
  // Greenhouse signs no time: the event id is what repeats when it delivers the same event again.
  const eventId = at
    ? `greenhouse:${action}:${application.id}:${application.status ?? ''}:${stage?.id ?? ''}:${at}`
    : `greenhouse:${action}:${application.id}:${bodyHash(delivery.rawBody)}`;
  if (application.prospect) return { kind: 'ignored', eventId, reason: 'a Greenhouse prospect has not applied' };
  const reason = application.rejection_reason;
  const theyLeft = /they rejected us|withdr/i.test(`${reason?.type?.name ?? ''} ${reason?.name ?? ''}`);
  const ended: Status = theyLeft ? 'withdrawn' : 'rejected';
  const move: Move =
    action === 'hire_candidate' || application.status === 'hired' ? { to: 'hired' }
    : action === 'reject_candidate' || application.status === 'rejected' ? { to: ended }
    : stage?.id || stage?.name ? { stage: { ...(stage.id ? { id: stage.id } : {}), ...(stage.name ? { name: stage.name } : {}) } }
    : { keep: true };
  const candidate = application.candidate;
  const phone = candidate.phone_numbers?.find((entry) => /^\+?[0-9][0-9 ().-]{4,24}$/.test(entry.value.trim()))?.value.trim();
  const requisition = application.jobs?.find((job) => job.requisition_id !== null && job.requisition_id !== undefined && String(job.requisition_id).trim() !== '')?.requisition_id;
  return {
    kind: 'change',
    change: {
      eventId,
      ...(at ? { at } : {}),
      candidate: {
        externalId: candidate.id,
        emails: addresses(candidate.email_addresses),
        ...(candidate.first_name?.trim() ? { firstName: candidate.first_name.trim().slice(0, 100) } : {}),
        ...(candidate.last_name?.trim() ? { lastName: candidate.last_name.trim().slice(0, 100) } : {}),
        ...(phone ? { phone } : {}),
      },
      application: {
        externalId: application.id,
        ...(requisition !== undefined && requisition !== null ? { requisitionId: String(requisition).trim().slice(0, 100) } : {}),
        move,
        note: `Greenhouse: ${action}${stage?.name ? ` (${stage.name})` : ''}`,
      },
    },
  };
}

const leverEvents = new Set(['applicationCreated', 'candidateStageChange', 'candidateHired', 'candidateArchiveChange']);

function lever(body: unknown): Normalised {
  const event = parse(LeverEvent, body, 'Lever');
  // The signed part of a Lever delivery: a replay with another body still carries the same id.
  const eventId = `lever:${event.token}:${event.triggeredAt}`;
  if (!leverEvents.has(event.event)) return { kind: 'ignored', eventId, reason: `Lever ${event.event} says nothing about an application` };
  const data = event.data;
  // Lever's `candidateId` is the legacy name of the opportunity; the person is its contact.
  const opportunity = data?.opportunityId ?? data?.candidateId;
  const person = data?.contactId ?? data?.candidateId;
  if (!opportunity || !person) return { kind: 'ignored', eventId, reason: 'a Lever event without an opportunity (a connection test)' };
  let move: Move;
  switch (event.event) {
    case 'candidateHired':
      move = { to: 'hired' };
      break;
    case 'candidateStageChange':
      move = data?.toStageId ? { stage: { id: data.toStageId } } : { keep: true };
      break;
    case 'candidateArchiveChange':
      move = data?.toArchived ? { stage: { ...(data.toArchived.reason ? { id: data.toArchived.reason } : {}) }, otherwise: 'rejected' } : { reopen: true };
      break;
    default:
      move = { keep: true };
  }
  return {
    kind: 'change',
    change: {
      eventId,
      at: new Date(event.triggeredAt).toISOString(),
      candidate: { externalId: person, emails: [] },
      application: { externalId: opportunity, move, note: `Lever: ${event.event}` },
    },
  };
}

/** The change a verified delivery describes; throws InvalidInput naming the field when the body is not its format's shape. */
export function normalise(format: AtsFormat, delivery: Delivery, stageMap: StageMap): Normalised {
  let body: unknown;
  try {
    body = JSON.parse(delivery.rawBody);
  } catch {
    throw new InvalidInput('The body is not valid JSON.', [{ path: 'body', message: 'invalid JSON' }]);
  }
  switch (format) {
    case 'native':
      return native(body, stageMap);
    case 'greenhouse':
      return greenhouse(body, delivery);
    case 'lever':
      return lever(body);
  }
}

/** Where a move lands, given where the application stands (nothing when it is new) and its history; nothing when it stays. */
export function destination(move: Move, stageMap: StageMap, current?: { status: Status; history: { status: Status }[] }): Status | undefined {
  if ('to' in move) return move.to;
  if ('stage' in move) return statusForStage(move.stage, stageMap) ?? move.otherwise ?? (current ? undefined : 'applied');
  if ('reopen' in move) {
    if (!current) return 'applied';
    if (!['hired', 'rejected', 'withdrawn'].includes(current.status)) return undefined;
    // Back to the last step it stood on before it ended.
    return [...current.history].reverse().find((step) => !['hired', 'rejected', 'withdrawn'].includes(step.status))?.status ?? 'applied';
  }
  return current ? undefined : 'applied';
}
