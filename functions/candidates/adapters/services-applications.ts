import { applicationService } from '../domain/application-service.ts';
import { intakeService } from '../domain/intake-service.ts';
import { dynamoApplicationStore } from './dynamo-application-store.ts';
import { candidates, clock, ids } from './services.ts';

export const applications = applicationService({ applications: dynamoApplicationStore, candidates, clock, ids });
export const intake = intakeService({ candidates, applications });
