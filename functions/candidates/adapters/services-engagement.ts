import { engagementService } from '../domain/engagement-service.ts';
import { dynamoEngagementStore } from './dynamo-engagement.ts';

/** The engagement consumer wired to DynamoDB. */
export const engagement = engagementService({ store: dynamoEngagementStore });
