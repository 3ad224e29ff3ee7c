import { TouchpointLogged } from '../../../events/candidates.ts';
import { makeEvent, type DetailOf } from '../../../events/contract.ts';
import type { timelineEvents } from '../api.ts';
import { InvalidInput } from '../../../shared/errors.ts';
import type { PageRequest } from '../../../shared/http/pagination.ts';
import type { LogTouchpoint, TimelineEntry } from '../schemas.ts';
import type { Clock, Ids, TimelineStore } from './ports.ts';

export interface TimelineDeps {
  timeline: TimelineStore;
  clock: Clock;
  ids: Ids;
}

/** Clock skew between a recruiter's laptop and ours is tolerated; a touchpoint days ahead is a typo. */
const FUTURE_TOLERANCE_MS = 5 * 60 * 1000;

type CandidateEvent = { detailType: (typeof timelineEvents)[number]['detailType']; detail: DetailOf<(typeof timelineEvents)[number]> & { candidateId: string } };

/** What an event says on the timeline, in a recruiter's words. */
function describe({ detailType, detail }: CandidateEvent): { type: string; summary: string; data?: Record<string, unknown> } {
  const d = detail as Record<string, unknown>;
  switch (detailType) {
    case 'CandidateCreated':
      return { type: 'created', summary: `Added to the talent pool (source: ${d.sourceType ?? 'manual'})` };
    case 'CandidateUpdated':
      return d.statusTo
        ? { type: 'status-changed', summary: `Status changed from ${d.statusFrom} to ${d.statusTo}`, data: { changed: d.changed } }
        : { type: 'updated', summary: `Profile updated: ${(d.changed as string[]).join(', ')}`, data: { changed: d.changed } };
    case 'CandidateTagged':
      return { type: 'tagged', summary: `Tagged "${d.tag}"`, data: { tag: d.tag } };
    case 'CandidateUntagged':
      return { type: 'untagged', summary: `Tag "${d.tag}" removed`, data: { tag: d.tag } };
    case 'CandidateAddedToPool':
      return { type: 'added-to-pool', summary: 'Added to a pool', data: { poolId: d.poolId } };
    case 'CandidateRemovedFromPool':
      return { type: 'removed-from-pool', summary: 'Removed from a pool', data: { poolId: d.poolId } };
    case 'ApplicationStatusChanged':
      return d.from
        ? { type: 'application', summary: `Application moved from ${d.from} to ${d.to}`, data: { applicationId: d.applicationId, jobId: d.jobId, from: d.from, to: d.to } }
        : { type: 'application', summary: `Applied${d.jobId ? ` to ${d.jobId}` : ''} (${d.to})`, data: { applicationId: d.applicationId, jobId: d.jobId, to: d.to } };
    case 'TaskCreated':
      return { type: 'task', summary: `Follow-up "${d.title}" for ${d.assignee}, due ${d.dueAt}`, data: { taskId: d.taskId } };
    case 'CandidatesMerged':
      return { type: 'merged', summary: `Merged with duplicate record ${d.mergedId}`, data: { mergeId: d.mergeId, mergedId: d.mergedId } };
    case 'MergeUndone':
      return { type: 'merge-undone', summary: `Merge with ${d.mergedId} undone`, data: { mergeId: d.mergeId, mergedId: d.mergedId } };
    case 'TaskCompleted':
      return { type: 'task-done', summary: `Follow-up "${d.title}" done`, data: { taskId: d.taskId } };
    case 'EmailActivity':
      return {
        type: `email-${d.kind}`,
        summary: { sent: 'Campaign email sent', opened: 'Opened a campaign email', clicked: `Clicked a link in a campaign email${d.url ? ` (${d.url})` : ''}`, bounced: 'A campaign email bounced', complained: 'Marked a campaign email as spam' }[d.kind as string] ?? `Campaign email ${d.kind}`,
        data: { campaignId: d.campaignId, messageId: d.messageId, ...(d.step === undefined ? {} : { step: d.step }) },
      };
    case 'CandidateReplied':
      return { type: 'email-reply', summary: `Replied: ${d.subject}`, data: { campaignId: d.campaignId, text: d.text, ...(d.objectKey ? { objectKey: d.objectKey } : {}) } };
    case 'CandidateUnsubscribed':
      return { type: 'unsubscribed', summary: d.via === 'complaint' ? 'Unsubscribed by marking an email as spam' : 'Unsubscribed from recruiting emails', data: { campaignId: d.campaignId } };
    case 'EventAttended':
      return { type: 'event-attended', summary: `Attended the event "${d.title}"`, data: { hiringEventId: d.hiringEventId } };
  }
}

export function timelineService({ timeline, clock, ids }: TimelineDeps) {
  return {
    async logTouchpoint(candidateId: string, input: LogTouchpoint, actor: string): Promise<TimelineEntry> {
      const now = clock.now();
      const occurredAt = new Date(input.occurredAt ?? now).toISOString();
      if (Date.parse(occurredAt) > Date.parse(now) + FUTURE_TOLERANCE_MS) {
        throw new InvalidInput('A touchpoint cannot be in the future.', [{ path: 'body.occurredAt', message: 'in the future' }]);
      }
      const entry: TimelineEntry = { id: ids.next('tp'), candidateId, kind: 'touchpoint', ...input, occurredAt, actor };
      const logged = makeEvent(TouchpointLogged, { eventId: ids.next('evt'), occurredAt: now, actor }, {
        candidateId,
        touchpointId: entry.id,
        kind: input.type,
      });
      await timeline.add(entry, [logged]);
      return entry;
    },

    list: (candidateId: string, page: PageRequest) => timeline.list(candidateId, page),

    /** Records a candidate event; its entry id is derived from the event id, so a redelivery changes nothing. */
    async recordActivity(event: CandidateEvent): Promise<void> {
      const { type, summary, data } = describe(event);
      await timeline.add(
        {
          id: `act_${event.detail.eventId}`,
          candidateId: event.detail.candidateId,
          kind: 'activity',
          type,
          summary,
          occurredAt: event.detail.occurredAt,
          actor: event.detail.actor,
          ...(data ? { data } : {}),
        },
        [],
      );
    },
  };
}
