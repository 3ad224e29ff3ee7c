import { startWorkflow } from '../../../shared/workflows.ts';
import { builtInSegments } from '../domain/reactivation.ts';
import { segmentService } from '../domain/segment-service.ts';
import { dynamoReactivationStore } from './dynamo-reactivation-store.ts';
import { dynamoSegmentStore } from './dynamo-segment-store.ts';
import { candidates, clock, ids } from './services.ts';

export const segments = segmentService({
  segments: dynamoSegmentStore,
  candidates,
  workflows: { start: startWorkflow },
  clock,
  ids,
  builtIns: async () => builtInSegments(await dynamoReactivationStore.settings()),
});
