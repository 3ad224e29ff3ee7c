import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

// Endpoint and region come from the standard AWS_* variables, so the local stack only sets the environment.
// Ten attempts, as the SDKs used to give DynamoDB: with the v3 default of four, a burst of throttling
// (ProvisionedThroughputExceeded, ThrottlingException) reached callers as 500s when injected at 20 % locally.
export const dynamo = new DynamoDBClient({ maxAttempts: 10 });
export const documents = DynamoDBDocumentClient.from(dynamo, {
  marshallOptions: { removeUndefinedValues: true, convertEmptyValues: false },
});
