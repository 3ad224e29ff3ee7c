import { dynamoSettingsStore } from '../../privacy/adapters/dynamo-settings-store.ts';
import { consentExpiry } from '../../privacy/domain/consents.ts';
import { dynamoErasedPeople } from './erased-people.ts';
import { clock, newId } from '../../../shared/ids.ts';
import { candidateService } from '../domain/candidate-service.ts';
import { poolService } from '../domain/pool-service.ts';
import { timelineService } from '../domain/timeline-service.ts';
import { dynamoCandidateStore } from './dynamo-candidate-store.ts';
import { dynamoPoolStore } from './dynamo-pool-store.ts';
import { dynamoTimelineStore } from './dynamo-timeline-store.ts';

/**
 * The candidates domain wired to DynamoDB: what the handlers call. Each capability has its own wiring module
 * (services-*.ts), so a handler's bundle holds only the adapters and SDK clients it uses.
 */
export const ids = { next: newId };
export { clock };
export const candidates = candidateService({
  candidates: dynamoCandidateStore,
  erased: dynamoErasedPeople,
  consentExpiry: async (purpose, at) => consentExpiry({ purpose, granted: true }, at, await dynamoSettingsStore.retention()),
  clock,
  ids,
});
export const pools = poolService({ pools: dynamoPoolStore, candidates, clock, ids });
export const timeline = timelineService({ timeline: dynamoTimelineStore, clock, ids });
