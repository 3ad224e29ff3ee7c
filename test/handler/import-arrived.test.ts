import { ExecutionAlreadyExists, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { S3Event } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { handler } from '../../functions/candidates/handlers/import-arrived.ts';

const documents = mockClient(DynamoDBDocumentClient);
const sfn = mockClient(SFNClient);
const importId = 'imp_01JAAAAAAAAAAAAAAAAAAAAAAA';
const arrived = (key: string): S3Event => ({ Records: [{ s3: { bucket: { name: 'imports' }, object: { key } } }] }) as unknown as S3Event;

beforeEach(() => {
  documents.reset();
  sfn.reset();
  vi.stubEnv('WORKFLOW_CANDIDATES_IMPORT', 'arn:aws:states:eu-west-1:1:stateMachine:import');
  documents.on(GetCommand).resolves({ Item: { PK: `IMPORT#${importId}`, SK: 'IMPORT', id: importId, status: 'awaiting-upload', line: 0 } });
  documents.on(UpdateCommand).resolves({});
});

describe('an import file landing in the bucket', () => {
  it('queues the import and starts its workflow, named after the import', async () => {
    sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn' });
    await handler(arrived(`uploads/${importId}`));
    expect(documents.commandCalls(UpdateCommand)[0]!.args[0].input.ExpressionAttributeValues).toMatchObject({ ':s0': 'queued' });
    expect(sfn.commandCalls(StartExecutionCommand)[0]!.args[0].input).toMatchObject({ name: importId, input: JSON.stringify({ jobId: importId }) });
  });

  it('treats a redelivered event as done: the execution name is taken', async () => {
    sfn.on(StartExecutionCommand).rejects(new ExecutionAlreadyExists({ message: 'exists', $metadata: {} }));
    await expect(handler(arrived(`uploads/${importId}`))).resolves.toBeUndefined();
  });

  it('ignores objects outside the uploads prefix', async () => {
    await handler(arrived('elsewhere/file.csv'));
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
  });
});
