import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { boundedRetries, MAX_ATTEMPTS } from '../retries.ts';

// Endpoint and region come from the standard AWS_* variables, so the local stack only sets the environment.
export const dynamo = new DynamoDBClient({ maxAttempts: MAX_ATTEMPTS, retryStrategy: boundedRetries() });
export const documents = DynamoDBDocumentClient.from(dynamo, {
  marshallOptions: { removeUndefinedValues: true, convertEmptyValues: false },
});
