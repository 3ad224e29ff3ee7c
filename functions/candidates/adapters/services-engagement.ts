import { engagementService } from '../domain/engagement-service.ts';
import { dynamoEngagementStore } from './dynamo-engagement.ts';

/** Jittered exponential back-off, 20 ms doubling, so concurrent events of one person spread out. */
const pause = (attempt: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.random() * 20 * 2 ** attempt));

/** The engagement consumer wired to DynamoDB. */
export const engagement = engagementService({ store: dynamoEngagementStore, pause });
