import * as z from 'zod';
import { TouchpointLogged, candidateEvents } from '../../events/candidates.ts';
import { CandidateReplied, CandidateUnsubscribed, EmailActivity } from '../../events/campaigns.ts';
import { EventAttended } from '../../events/engagement.ts';
import { PageQuery } from '../../shared/http/pagination.ts';
import { route } from '../../shared/http/route.ts';
import {
  AddPoolMembers, DismissDuplicate, DuplicatePage, MergeCandidates, MergeResult, UndoResult, CreateSegment, PreviewSegment, Segment, SegmentId, SegmentPage, SegmentPreview, UpdateSegment, Application, ApplicationId, CreateApplication, CreateTask, ListTasksQuery, Task, TaskId, TaskPage, UpdateApplication, UpdateTask, Candidate, ImportAccepted, ImportId, ImportJob, ImportQuery, ImportRequest, CandidateId, CandidatePage, CreateCandidate, CreatePool, ListCandidatesQuery, LogTouchpoint,
  Pool, PoolId, PoolMembersAdded, PoolPage, Tag, TimelineEntry, TimelinePage, UpdateCandidate,
} from './schemas.ts';

const tag = 'candidates';
const ById = z.strictObject({ id: CandidateId });
const PoolById = z.strictObject({ id: PoolId });

export const createCandidate = route({
  method: 'POST', path: '/candidates', access: 'recruiter', tag,
  summary: 'Add a candidate to the talent pool; an existing email answers 409 with its id, or with ?onDuplicate=merge updates that candidate (200)',
  query: z.strictObject({ onDuplicate: z.enum(['fail', 'merge']).default('fail') }),
  body: CreateCandidate, response: Candidate, status: 201, idempotent: true,
});
export const listCandidates = route({
  method: 'GET', path: '/candidates', access: 'viewer', tag,
  summary: 'List candidates, newest first; filters combine (q is a name or email prefix)',
  query: ListCandidatesQuery, response: CandidatePage,
});
export const getCandidate = route({
  method: 'GET', path: '/candidates/{id}', access: 'viewer', tag, summary: 'Read a candidate (ETag carries the version)',
  params: ById, response: Candidate, audit: 'read',
});
export const updateCandidate = route({
  method: 'PATCH', path: '/candidates/{id}', access: 'recruiter', tag,
  summary: 'Change a candidate; null clears a field; If-Match guards against lost updates',
  params: ById, body: UpdateCandidate, response: Candidate, conditional: true,
});
export const tagCandidate = route({
  method: 'PUT', path: '/candidates/{id}/tags/{tag}', access: 'recruiter', tag, summary: 'Tag a candidate (idempotent)',
  params: z.strictObject({ id: CandidateId, tag: Tag }), response: Candidate,
});
export const untagCandidate = route({
  method: 'DELETE', path: '/candidates/{id}/tags/{tag}', access: 'recruiter', tag, summary: 'Remove a tag (idempotent)',
  params: z.strictObject({ id: CandidateId, tag: Tag }), response: Candidate,
});

export const logTouchpoint = route({
  method: 'POST', path: '/candidates/{id}/touchpoints', access: 'recruiter', tag,
  summary: 'Log a call, email, meeting, note or message', params: ById, body: LogTouchpoint,
  response: TimelineEntry, status: 201, idempotent: true,
});
export const getTimeline = route({
  method: 'GET', path: '/candidates/{id}/timeline', access: 'viewer', tag,
  summary: 'Touchpoints and recorded activity, newest first', params: ById, query: PageQuery.strict(), response: TimelinePage, audit: 'read',
});

export const createPool = route({
  method: 'POST', path: '/pools', access: 'recruiter', tag, summary: 'Create a talent pool',
  body: CreatePool, response: Pool, status: 201, idempotent: true,
});
export const listPools = route({
  method: 'GET', path: '/pools', access: 'viewer', tag, summary: 'List talent pools, newest first',
  query: PageQuery.strict(), response: PoolPage,
});
export const getPool = route({
  method: 'GET', path: '/pools/{id}', access: 'viewer', tag, summary: 'Read a talent pool with its member count',
  params: PoolById, response: Pool,
});
export const addPoolMembers = route({
  method: 'POST', path: '/pools/{id}/members', access: 'recruiter', tag, summary: 'Add candidates to a pool (up to 100 at once)',
  params: PoolById, body: AddPoolMembers, response: PoolMembersAdded,
});
export const removePoolMember = route({
  method: 'DELETE', path: '/pools/{id}/members/{candidateId}', access: 'recruiter', tag, summary: 'Remove a candidate from a pool',
  params: z.strictObject({ id: PoolId, candidateId: CandidateId }),
});
export const listPoolMembers = route({
  method: 'GET', path: '/pools/{id}/members', access: 'viewer', tag, summary: 'List the candidates in a pool',
  params: PoolById, query: PageQuery.strict(), response: CandidatePage,
});

const ImportById = z.strictObject({ id: ImportId });

export const startImport = route({
  method: 'POST', path: '/imports', access: 'recruiter', tag,
  summary: 'Import candidates from a CSV body (text/csv), a JSON array, or a presigned upload ({"upload": true}); runs in the background',
  query: ImportQuery, body: ImportRequest, textBody: 'text/csv', response: ImportAccepted, status: 202, idempotent: true,
  tooLarge: 'Larger files go through an upload: send {"upload": true} for a presigned URL.',
});
export const getImport = route({
  method: 'GET', path: '/imports/{id}', access: 'viewer', tag, summary: 'Progress and counts of an import',
  params: ImportById, response: ImportJob,
});
export const getImportErrors = route({
  method: 'GET', path: '/imports/{id}/errors', access: 'viewer', tag,
  summary: 'The rows an import could not take, as CSV: line, reason, then the row as it was',
  params: ImportById, status: 200,
});

export const createApplication = route({
  method: 'POST', path: '/candidates/{id}/applications', access: 'recruiter', tag: 'applications',
  summary: 'Record an application (to a job or a requisition); it goes on the timeline and into segments',
  params: ById, body: CreateApplication, response: Application, status: 201, idempotent: true,
});
export const getApplication = route({
  method: 'GET', path: '/applications/{id}', access: 'viewer', tag: 'applications', summary: 'Read an application with its status history',
  params: z.strictObject({ id: ApplicationId }), response: Application,
});
export const getApplicationCv = route({
  method: 'GET', path: '/applications/{id}/cv', access: 'recruiter', tag: 'applications',
  summary: 'Download the CV sent with the application: a redirect to a link that works for five minutes',
  params: z.strictObject({ id: ApplicationId }),
});
export const moveApplication = route({
  method: 'PATCH', path: '/applications/{id}', access: 'recruiter', tag: 'applications',
  summary: 'Move an application up the ladder (applied → screening → interview → offer → hired) or end it (rejected, withdrawn)',
  params: z.strictObject({ id: ApplicationId }), body: UpdateApplication, response: Application, conditional: true,
});

export const createTask = route({
  method: 'POST', path: '/candidates/{id}/tasks', access: 'recruiter', tag: 'tasks', summary: 'Plan a follow-up with a candidate',
  params: ById, body: CreateTask, response: Task, status: 201, idempotent: true,
});
export const updateTask = route({
  method: 'PATCH', path: '/tasks/{id}', access: 'recruiter', tag: 'tasks', summary: 'Complete, reopen, reschedule or reassign a follow-up',
  params: z.strictObject({ id: TaskId }), body: UpdateTask, response: Task,
});
export const listTasks = route({
  method: 'GET', path: '/tasks', access: 'viewer', tag: 'tasks',
  summary: 'Follow-ups of a recruiter by due date (their own by default); due=overdue|today|week',
  query: ListTasksQuery, response: TaskPage,
});

const SegmentById = z.strictObject({ id: SegmentId });
export const createSegment = route({
  method: 'POST', path: '/segments', access: 'recruiter', tag: 'segments',
  summary: 'Create a dynamic segment from a rule (members follow it; filled in the background) or a static list',
  body: CreateSegment, response: Segment, status: 201, idempotent: true,
});
export const listSegments = route({
  method: 'GET', path: '/segments', access: 'viewer', tag: 'segments', summary: 'List segments, newest first',
  query: PageQuery.strict(), response: SegmentPage,
});
export const getSegment = route({
  method: 'GET', path: '/segments/{id}', access: 'viewer', tag: 'segments', summary: 'Read a segment with its member count and backfill progress',
  params: SegmentById, response: Segment,
});
export const updateSegment = route({
  method: 'PATCH', path: '/segments/{id}', access: 'recruiter', tag: 'segments',
  summary: 'Rename a segment or change its rule (membership is evaluated again in the background)',
  params: SegmentById, body: UpdateSegment, response: Segment, conditional: true,
});
export const previewSegment = route({
  method: 'POST', path: '/segments/preview', access: 'viewer', tag: 'segments', summary: 'How many candidates a rule matches, with a sample, before saving it',
  body: PreviewSegment, response: SegmentPreview,
});
export const listSegmentMembers = route({
  method: 'GET', path: '/segments/{id}/members', access: 'viewer', tag: 'segments', summary: 'The candidates in a segment',
  params: SegmentById, query: PageQuery.strict(), response: CandidatePage,
});
export const addSegmentMembers = route({
  method: 'POST', path: '/segments/{id}/members', access: 'recruiter', tag: 'segments', summary: 'Add candidates to a static segment (up to 100 at once)',
  params: SegmentById, body: AddPoolMembers, response: PoolMembersAdded,
});
export const removeSegmentMember = route({
  method: 'DELETE', path: '/segments/{id}/members/{candidateId}', access: 'recruiter', tag: 'segments', summary: 'Remove a candidate from a static segment',
  params: z.strictObject({ id: SegmentId, candidateId: CandidateId }),
});

export const listDuplicates = route({
  method: 'GET', path: '/candidates/duplicates', access: 'viewer', tag: 'duplicates',
  summary: 'Suspected duplicate pairs, surest first, with the reasons (email, phone, LinkedIn, name with company or city)',
  query: PageQuery.strict(), response: DuplicatePage,
});
export const dismissDuplicate = route({
  method: 'POST', path: '/candidates/duplicates/dismissals', access: 'recruiter', tag: 'duplicates',
  summary: 'Mark a suspected pair as not a duplicate; it stays out of the list',
  body: DismissDuplicate,
});
export const mergeCandidates = route({
  method: 'POST', path: '/candidates/{id}/merge', access: 'recruiter', tag: 'duplicates',
  summary: 'Merge a duplicate into this candidate: fields by recency or choice, lists united, every reference moved; undoable for 30 days',
  params: ById, body: MergeCandidates, response: MergeResult, idempotent: true,
});
export const undoMerge = route({
  method: 'POST', path: '/merges/{id}/undo', access: 'recruiter', tag: 'duplicates',
  summary: 'Restore both records as they were before the merge (within 30 days, if the survivor was not edited since)',
  params: z.strictObject({ id: z.string().regex(/^mrg_[0-9A-HJKMNP-TV-Z]{26}$/, 'not a merge id') }), response: UndoResult,
});

/** What the timeline records: the candidate's own events, and what happened with the emails they were sent. */
// A touchpoint is written to the timeline directly; a new application's ApplicationStatusChanged already tells it.
export const timelineEvents = [...candidateEvents.filter((e) => e.detailType !== 'TouchpointLogged' && e.detailType !== 'ApplicationReceived'), EmailActivity, CandidateReplied, CandidateUnsubscribed, EventAttended];
/** What the activity consumer hears: the timeline's events, and touchpoints, which count as activity too. */
export const activityEvents = [...timelineEvents, TouchpointLogged];
