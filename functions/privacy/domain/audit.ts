import type * as z from 'zod';
import type { Page, PageRequest } from '../../../shared/http/pagination.ts';
import type { Delivered } from '../../../shared/events/consumer.ts';
import type { auditedEvents } from '../audited-events.ts';
import type { AuditEntry, AuditQuery } from '../schemas.ts';

export type AuditedEvent = Delivered<(typeof auditedEvents)[number]>;
type Detail = NonNullable<AuditEntry['detail']>;

/** Where a listing reads: one person's entries or one actor's, newest first, optionally narrowed. */
export interface AuditListing {
  by: 'candidate' | 'actor';
  key: string;
  actor?: string;
  action?: AuditEntry['action'];
}

export interface AuditLog {
  /** Appends the entry; the same id and time again writes nothing. */
  record(entry: AuditEntry): Promise<void>;
  list(listing: AuditListing, page: PageRequest): Promise<Page<AuditEntry>>;
}

/** Values the detail may hold: ids, field names and enum values from the event, nothing absent. */
const detailOf = (values: Record<string, Detail[string] | undefined>): Detail =>
  Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)) as Detail;

/** Consent changes and the Art. 14 notice are audited as such, not as profile edits. */
const ownActions = new Map<string, { action: AuditEntry['action']; detail?: Detail }>([
  ['consents', { action: 'consent' }],
  ['privacyNoticeSentAt', { action: 'notify', detail: { kind: 'notice' } }],
]);

/** What an event did to whom, as actions on the audit log. */
function actionsOf(event: AuditedEvent): Omit<AuditEntry, 'id' | 'at' | 'actor'>[] {
  switch (event.detailType) {
    case 'CandidateCreated': {
      const { candidateId, status, sourceType } = event.detail;
      return [{ action: 'create', candidateId, detail: detailOf({ status, sourceType }) }];
    }
    case 'CandidateUpdated': {
      const { candidateId, changed, statusFrom, statusTo } = event.detail;
      const profile = changed.filter((field) => !ownActions.has(field));
      return [
        ...(profile.length ? [{ action: 'update' as const, candidateId, detail: detailOf({ changed: profile, statusFrom, statusTo }) }] : []),
        ...changed.flatMap((field) => {
          const own = ownActions.get(field);
          return own ? [{ action: own.action, candidateId, detail: own.detail ?? { changed: [field] } }] : [];
        }),
      ];
    }
    case 'CandidatesMerged':
    case 'MergeUndone': {
      // On both people's logs: the merged-away id keeps its own history after its profile is gone.
      const { candidateId, mergedId, mergeId } = event.detail;
      const undone: Detail = event.detailType === 'MergeUndone' ? { undone: true } : {};
      return [
        { action: 'merge', candidateId, detail: { mergedId, mergeId, ...undone } },
        { action: 'merge', candidateId: mergedId, detail: { survivorId: candidateId, mergeId, ...undone } },
      ];
    }
    case 'ApplicationReceived': {
      const { candidateId, applicationId, jobId, requisitionId } = event.detail;
      return [{ action: 'apply', candidateId, detail: detailOf({ applicationId, jobId, requisitionId }) }];
    }
    case 'ApplicationStatusChanged': {
      // A new application's first status comes with ApplicationReceived, recorded as `apply`.
      const { candidateId, applicationId, from, to } = event.detail;
      return from ? [{ action: 'update', candidateId, detail: { changed: ['applications'], applicationId, from, to } }] : [];
    }
    case 'CandidateErased':
      return [{ action: 'erase', candidateId: event.detail.candidateId, detail: { reason: event.detail.reason } }];
    case 'PrivacyEmailSent':
      return [{ action: 'notify', candidateId: event.detail.candidateId, detail: { kind: event.detail.kind } }];
  }
}

/**
 * The audit entries an event stands for, with its actor and time. Ids derive from the event id, so a redelivered
 * event writes the same entries again, which the log ignores.
 */
export function auditEntriesOf(event: AuditedEvent): AuditEntry[] {
  const { eventId, occurredAt: at, actor } = event.detail;
  const base = `aud_${eventId.replace(/^evt_/, '')}`;
  return actionsOf(event).map((entry, i) => ({ id: i ? `${base}.${i}` : base, at, actor, ...entry }));
}

/** The audit log: written from events (changes) and by the routes (reads, exports); read by admins. */
export function auditService({ log }: { log: AuditLog }) {
  return {
    async record(event: AuditedEvent): Promise<void> {
      for (const entry of auditEntriesOf(event)) await log.record(entry);
    },

    /** A person's entries when the query names one (narrowed to the actor if it names one too), else the actor's. */
    list({ candidateId, actor, action, limit, cursor }: z.output<typeof AuditQuery>): Promise<Page<AuditEntry>> {
      const listing: AuditListing = candidateId ? { by: 'candidate', key: candidateId, actor, action } : { by: 'actor', key: actor!, action };
      return log.list(listing, { limit, cursor });
    },
  };
}
