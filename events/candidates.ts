import * as z from 'zod';
import { defineEvent } from './contract.ts';

const SOURCE = 'talent-relay.candidates';
const candidateId = z.string();

export const CandidateCreated = defineEvent(SOURCE, 'CandidateCreated', z.object({
  candidateId,
  status: z.string(),
  sourceType: z.string().optional(),
}));

export const CandidateUpdated = defineEvent(SOURCE, 'CandidateUpdated', z.object({
  candidateId,
  /** Names of the fields that changed (values stay in the table, not in events). */
  changed: z.array(z.string()),
  statusFrom: z.string().optional(),
  statusTo: z.string().optional(),
}));

export const CandidateTagged = defineEvent(SOURCE, 'CandidateTagged', z.object({ candidateId, tag: z.string() }));
export const CandidateUntagged = defineEvent(SOURCE, 'CandidateUntagged', z.object({ candidateId, tag: z.string() }));

export const CandidateAddedToPool = defineEvent(SOURCE, 'CandidateAddedToPool', z.object({ candidateId, poolId: z.string() }));
export const CandidateRemovedFromPool = defineEvent(SOURCE, 'CandidateRemovedFromPool', z.object({ candidateId, poolId: z.string() }));

export const TouchpointLogged = defineEvent(SOURCE, 'TouchpointLogged', z.object({
  candidateId,
  touchpointId: z.string(),
  kind: z.string(),
}));

export const ApplicationStatusChanged = defineEvent(SOURCE, 'ApplicationStatusChanged', z.object({
  candidateId,
  applicationId: z.string(),
  jobId: z.string().optional(),
  /** Absent when the application is new. */
  from: z.string().optional(),
  to: z.string(),
  utm: z.record(z.string(), z.string()).optional(),
}));

/** A new application, from the career site or a recruiter; ATS integrations and analytics start from it. */
export const ApplicationReceived = defineEvent(SOURCE, 'ApplicationReceived', z.object({
  candidateId,
  applicationId: z.string(),
  jobId: z.string().optional(),
  requisitionId: z.string().optional(),
  utm: z.record(z.string(), z.string()).optional(),
}));

export const TaskCreated = defineEvent(SOURCE, 'TaskCreated', z.object({ candidateId, taskId: z.string(), title: z.string(), assignee: z.string(), dueAt: z.string() }));
export const TaskCompleted = defineEvent(SOURCE, 'TaskCompleted', z.object({ candidateId, taskId: z.string(), title: z.string() }));

/** Membership of a segment changed: published exactly once per entry and per exit. */
export const SegmentEntered = defineEvent(SOURCE, 'SegmentEntered', z.object({ candidateId, segmentId: z.string() }));
export const SegmentLeft = defineEvent(SOURCE, 'SegmentLeft', z.object({ candidateId, segmentId: z.string() }));

export const CandidatesMerged = defineEvent(SOURCE, 'CandidatesMerged', z.object({ candidateId, mergedId: z.string(), mergeId: z.string() }));
export const MergeUndone = defineEvent(SOURCE, 'MergeUndone', z.object({ candidateId, mergedId: z.string(), mergeId: z.string() }));

export const candidateEvents = [
  CandidateCreated,
  CandidateUpdated,
  CandidateTagged,
  CandidateUntagged,
  CandidateAddedToPool,
  CandidateRemovedFromPool,
  TouchpointLogged,
  ApplicationStatusChanged,
  ApplicationReceived,
  TaskCreated,
  TaskCompleted,
  CandidatesMerged,
  MergeUndone,
];
