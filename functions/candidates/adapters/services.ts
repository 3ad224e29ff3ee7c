import { clock, newId } from '../../../shared/ids.ts';
import { startWorkflow } from '../../../shared/workflows.ts';
import { importService } from '../domain/import-service.ts';
import { applicationService } from '../domain/application-service.ts';
import { taskService } from '../domain/task-service.ts';
import { sendEmail } from '../../../shared/email/ses.ts';
import { dynamoApplicationStore } from './dynamo-application-store.ts';
import { dynamoTaskStore } from './dynamo-task-store.ts';
import { segmentService } from '../domain/segment-service.ts';
import { dynamoSegmentStore } from './dynamo-segment-store.ts';
import { duplicateService } from '../domain/duplicate-service.ts';
import { dynamoDuplicateStore } from './dynamo-duplicate-store.ts';
import { dynamoMergeStore } from './dynamo-merge-store.ts';
import { dynamoImportStore } from './dynamo-import-store.ts';
import { s3ImportFiles } from './s3-import-files.ts';
import { candidateService } from '../domain/candidate-service.ts';
import { poolService } from '../domain/pool-service.ts';
import { timelineService } from '../domain/timeline-service.ts';
import { dynamoCandidateStore } from './dynamo-candidate-store.ts';
import { dynamoPoolStore } from './dynamo-pool-store.ts';
import { dynamoTimelineStore } from './dynamo-timeline-store.ts';

/** The candidates domain wired to DynamoDB: what the handlers call. */
const ids = { next: newId };
export const candidates = candidateService({ candidates: dynamoCandidateStore, clock, ids });
export const pools = poolService({ pools: dynamoPoolStore, candidates, clock, ids });
export const timeline = timelineService({ timeline: dynamoTimelineStore, clock, ids });
export const imports = importService({
  imports: dynamoImportStore,
  files: s3ImportFiles,
  workflows: { start: startWorkflow },
  candidates,
  clock,
  ids,
});
export const applications = applicationService({ applications: dynamoApplicationStore, candidates, clock, ids });
export const tasks = taskService({ tasks: dynamoTaskStore, candidates, mailer: { send: sendEmail }, clock, ids });
export const segments = segmentService({ segments: dynamoSegmentStore, candidates, workflows: { start: startWorkflow }, clock, ids });
export const duplicates = duplicateService({ duplicates: dynamoDuplicateStore, merges: dynamoMergeStore, segments: dynamoSegmentStore, candidates, clock, ids });
