import { clock } from '../../../shared/ids.ts';
import { matchingService } from '../domain/matching-service.ts';
import { dynamoMatchingStore } from './dynamo-matching.ts';

/** Matching wired to DynamoDB (its own module, so the handler's bundle holds only what it reads). */
export const matching = matchingService({ store: dynamoMatchingStore, clock });
