import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { handler } from '../../functions/candidates/handlers/candidates.ts';
import { aCandidate, aLambdaContext, anHttpEvent } from '../fixtures/builders.ts';

const documents = mockClient(DynamoDBDocumentClient);
const dynamo = mockClient(DynamoDBClient);
const id = 'cand_01JAAAAAAAAAAAAAAAAAAAAAAA';

const call = async (...args: Parameters<typeof anHttpEvent>) => {
  const result = await handler(anHttpEvent(...args), aLambdaContext());
  return { ...result, json: result.body ? JSON.parse(result.body) : undefined };
};

beforeEach(() => {
  documents.reset();
  dynamo.reset();
  // Nobody erased, default privacy settings: what an empty table answers.
  documents.on(BatchGetCommand).resolves({ Responses: {} });
  documents.on(GetCommand).resolves({});
});

describe('POST /candidates', () => {
  it('writes the profile, the email guard, the candidate count and the outbox entry in one transaction, and no index entry', async () => {
    documents.on(TransactWriteCommand).resolves({});
    const response = await call('POST /candidates', { body: { email: 'Ada@Example.com', tags: ['java'] } });
    expect(response.statusCode).toBe(201);
    expect(response.headers).toMatchObject({ etag: '"1"', location: `/candidates/${response.json.id}` });
    const items = documents.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    const keys = items.map((item) => (item.Put ? `${item.Put.Item!.PK}|${item.Put.Item!.SK}` : `${item.Update!.Key!.PK}|${item.Update!.Key!.SK}`));
    expect(keys).toContain('EMAIL#ada@example.com|EMAIL');
    expect(keys).toContain(`CAND#${response.json.id}|PROFILE`);
    expect(keys.filter((key) => key.includes('|IDX#'))).toEqual([]);
    expect(keys).toContain('STATS|CANDIDATES');
    expect(items.filter((item) => item.Put?.Item?.SK === 'EVENT').flatMap((item) => (item.Put!.Item!.events as { detailType: string }[]).map((e) => e.detailType))).toEqual(['CandidateCreated', 'CandidateTagged']);
  });

  it('answers 409 with the existing id when the email is already in the pool', async () => {
    documents.on(TransactWriteCommand).rejects(
      new TransactionCanceledException({
        message: 'cancelled',
        $metadata: {},
        CancellationReasons: [{ Code: 'None' }, { Code: 'ConditionalCheckFailed', Item: marshall({ PK: 'EMAIL#ada@example.com', candidateId: id }) }],
      }),
    );
    const response = await call('POST /candidates', { body: { email: 'ada@example.com' } });
    expect(response.statusCode).toBe(409);
    expect(response.headers?.['content-type']).toBe('application/problem+json');
    expect(response.json).toMatchObject({ status: 409, existingId: id });
  });

  it('answers 400 naming every invalid field, and writes nothing', async () => {
    const response = await call('POST /candidates', { body: { email: 'nope', location: { country: 'XX' }, extra: true } });
    expect(response.statusCode).toBe(400);
    expect(response.json.errors.map((e: { path: string }) => e.path)).toEqual(['body.email', 'body.location.country', 'body.extra']);
    expect(documents.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it('answers 400 for a body that is not JSON, 415 for another media type, 413 over 1 MB', async () => {
    expect((await call('POST /candidates', { body: '{"email":' })).statusCode).toBe(400);
    expect((await call('POST /candidates', { body: 'email=a', headers: { 'content-type': 'text/plain' } })).statusCode).toBe(415);
    expect((await call('POST /candidates', { body: JSON.stringify({ email: 'a@b.co', headline: 'x'.repeat(1_100_000) }) })).statusCode).toBe(413);
  });

  it('answers 403 to a viewer and 401 without a token', async () => {
    expect((await call('POST /candidates', { body: { email: 'a@example.com' }, role: 'viewer' })).statusCode).toBe(403);
    expect((await call('POST /candidates', { body: { email: 'a@example.com' }, role: null })).statusCode).toBe(401);
  });

  it('answers a bare 500 that reveals nothing when the table fails', async () => {
    documents.on(TransactWriteCommand).rejects(new Error('connection reset by 10.0.0.7'));
    const response = await call('POST /candidates', { body: { email: 'a@example.com' } });
    expect(response.statusCode).toBe(500);
    expect(response.body).not.toContain('10.0.0.7');
    expect(response.headers?.['x-request-id']).toMatch(/^req-/);
  });
});

describe('GET and PATCH /candidates/{id}', () => {
  it('answers 404 for an unknown id', async () => {
    documents.on(GetCommand).resolves({});
    expect((await call('GET /candidates/{id}', { pathParameters: { id }, role: 'viewer' })).statusCode).toBe(404);
  });

  it('answers 400 for an id that is not a candidate id', async () => {
    const response = await call('GET /candidates/{id}', { pathParameters: { id: 'job_1' }, role: 'viewer' });
    expect(response.statusCode).toBe(400);
    expect(response.json.errors[0].path).toBe('params.id');
  });

  it('answers 412 when If-Match is not the current version, and writes nothing', async () => {
    documents.on(GetCommand).resolves({ Item: { PK: `CAND#${id}`, SK: 'PROFILE', ...aCandidate({ id, version: 3 }) } });
    const response = await call('PATCH /candidates/{id}', { pathParameters: { id }, body: { headline: 'CTO' }, headers: { 'if-match': '"2"' } });
    expect(response.statusCode).toBe(412);
    expect(response.json.currentVersion).toBe(3);
    expect(documents.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it('writes the new version conditionally on the one it read', async () => {
    documents.on(GetCommand).resolves({ Item: { PK: `CAND#${id}`, SK: 'PROFILE', ...aCandidate({ id, version: 3 }) } });
    documents.on(TransactWriteCommand).resolves({});
    const response = await call('PATCH /candidates/{id}', { pathParameters: { id }, body: { headline: 'CTO' }, headers: { 'if-match': '"3"' } });
    expect(response.statusCode).toBe(200);
    expect(response.headers?.etag).toBe('"4"');
    const profilePut = documents.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems![0]!.Put!;
    expect(profilePut.ConditionExpression).toBe('version = :expected');
    expect(profilePut.ExpressionAttributeValues).toEqual({ ':expected': 3 });
  });
});
