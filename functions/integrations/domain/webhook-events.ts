import { CandidateUnsubscribed } from '../../../events/campaigns.ts';
import {
  ApplicationReceived, ApplicationStatusChanged, CandidateAddedToPool, CandidateCreated, CandidateRemovedFromPool, CandidateTagged, CandidateUntagged,
  CandidateUpdated, CandidatesMerged, MergeUndone, TouchpointLogged,
} from '../../../events/candidates.ts';
import { EventAttended } from '../../../events/engagement.ts';
import { CandidateErased } from '../../../events/privacy.ts';
import { JobClosed, JobPublished, JobUpdated, TalentCommunityJoined } from '../../../events/syndication.ts';

/**
 * The domain events a webhook may subscribe to: what an ATS or another system acts on. Their details hold ids, statuses
 * and field names, never contact data or free text from a person; events that do (replies, recruiter tasks) and
 * internal bookkeeping (email tracking, segment churn) are not offered.
 */
export const webhookEvents = [
  CandidateCreated, CandidateUpdated, CandidateTagged, CandidateUntagged, CandidateAddedToPool, CandidateRemovedFromPool, CandidatesMerged, MergeUndone,
  TouchpointLogged, ApplicationReceived, ApplicationStatusChanged, CandidateUnsubscribed, CandidateErased,
  JobPublished, JobUpdated, JobClosed, TalentCommunityJoined, EventAttended,
] as const;

export type WebhookEventName = (typeof webhookEvents)[number]['detailType'];
export const webhookEventNames = webhookEvents.map((contract) => contract.detailType) as [WebhookEventName, ...WebhookEventName[]];
