import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { handler as candidatesApi } from '../../functions/candidates/handlers/candidates.ts';
import { handler as timelineApi } from '../../functions/candidates/handlers/timeline.ts';
import { aCandidate, aLambdaContext, anHttpEvent } from '../fixtures/builders.ts';

const documents = mockClient(DynamoDBDocumentClient);
const id = 'cand_01JAAAAAAAAAAAAAAAAAAAAAAA';
const profile = { Item: { PK: `CAND#${id}`, SK: 'PROFILE', ...aCandidate({ id, phone: '+44 20 7946 0000' }) } };
const auditPuts = () => documents.commandCalls(PutCommand).map((call) => call.args[0].input).filter((input) => String(input.Item?.PK).startsWith('AUDIT#'));

beforeEach(() => documents.reset());

describe('reads of a person on the audit log', () => {
  it('records a successful read with the reader, the person and the route, in the audit partitions', async () => {
    documents.on(GetCommand).resolves(profile);
    const response = await candidatesApi(anHttpEvent('GET /candidates/{id}', { pathParameters: { id }, role: 'viewer' }), aLambdaContext());
    expect(response.statusCode).toBe(200);
    const [put] = auditPuts();
    expect(put).toMatchObject({
      ConditionExpression: 'attribute_not_exists(PK)',
      Item: { GSI1PK: `AUDITC#${id}`, GSI2PK: 'AUDITA#user-1', entity: 'audit', actor: 'user-1', action: 'read', candidateId: id, detail: { route: 'GET /candidates/{id}' } },
    });
    expect(put!.Item!.PK).toMatch(/^AUDIT#\d{4}-\d{2}-\d{2}$/);
    expect(JSON.stringify(put)).not.toMatch(/Ada|Lovelace|example\.com|7946/);
  });

  it('records a read of the timeline', async () => {
    documents.on(QueryCommand).resolves({ Items: [] });
    const response = await timelineApi(anHttpEvent('GET /candidates/{id}/timeline', { pathParameters: { id }, role: 'viewer' }), aLambdaContext());
    expect(response.statusCode).toBe(200);
    expect(auditPuts()).toEqual([expect.objectContaining({ Item: expect.objectContaining({ action: 'read', detail: { route: 'GET /candidates/{id}/timeline' } }) })]);
  });

  it('records nothing when the read fails', async () => {
    documents.on(GetCommand).resolves({});
    const response = await candidatesApi(anHttpEvent('GET /candidates/{id}', { pathParameters: { id }, role: 'viewer' }), aLambdaContext());
    expect(response.statusCode).toBe(404);
    expect(auditPuts()).toEqual([]);
  });

  it('withholds the person when the read cannot be recorded', async () => {
    documents.on(GetCommand).resolves(profile);
    documents.on(PutCommand).rejects(new Error('throttled'));
    const response = await candidatesApi(anHttpEvent('GET /candidates/{id}', { pathParameters: { id }, role: 'viewer' }), aLambdaContext());
    expect(response.statusCode).toBe(500);
    expect(response.body).not.toContain('Ada');
  });
});
