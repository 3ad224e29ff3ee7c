import { BatchWriteCommand, DynamoDBDocumentClient, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { candidateItem, segmentItem } from '../../functions/candidates/adapters/entities.ts';
import type { SegmentRecord } from '../../functions/candidates/domain/ports.ts';
import { handler } from '../../functions/candidates/handlers/index-profiles.ts';
import type { Candidate } from '../../functions/candidates/schemas.ts';
import { aCandidate } from '../fixtures/builders.ts';

const documents = mockClient(DynamoDBDocumentClient);
const image = (c: Candidate) => marshall(candidateItem(c), { removeUndefinedValues: true }) as never;
const change = (before: Candidate, after: Candidate): DynamoDBStreamEvent => ({
  Records: [{ eventName: 'MODIFY', dynamodb: { SequenceNumber: '7', OldImage: image(before), NewImage: image(after) } }],
});
const aSegment = (id: string, rule: SegmentRecord['rule']): SegmentRecord => ({
  id, kind: 'dynamic', name: id, rule, memberCount: 0, createdAt: '2026-01-01T00:00:00.000Z', createdBy: 'system', updatedAt: '2026-01-01T00:00:00.000Z', version: 1,
});
/** The partitions the indexer queried, in order: segments, a person's memberships, people sharing a match key. */
const queried = () => documents.commandCalls(QueryCommand).map((call) => String(call.args[0].input.ExpressionAttributeValues?.[':pk']).split('#')[0]);

const before = aCandidate({ engagement: { score: 2, updatedAt: '2026-01-01T00:00:00.000Z' } });
const copied = { ...before, engagement: { score: 3, updatedAt: '2026-01-02T00:00:00.000Z' } };

function segments(...records: SegmentRecord[]) {
  documents.on(QueryCommand).callsFake((input: { ExpressionAttributeValues: Record<string, string> }) =>
    ({ Items: input.ExpressionAttributeValues[':pk'] === 'SEGMENTS' ? records.map(segmentItem) : [] }));
}

beforeEach(() => {
  documents.reset();
  documents.on(BatchWriteCommand).resolves({});
});

describe('the profile indexer and the engagement copy', () => {
  it('leaves index entries, duplicates and segments that do not read the score alone when only the copy changed', async () => {
    segments(aSegment('seg_tags', { field: 'tags', op: 'contains', value: 'java' }));
    await handler(change(before, copied));
    expect(queried()).toEqual(['SEGMENTS']);
    expect(documents.commandCalls(BatchWriteCommand)).toHaveLength(0);
  });

  it('evaluates the segments that read the score when the copy changed', async () => {
    segments(aSegment('seg_tags', { field: 'tags', op: 'contains', value: 'java' }), aSegment('seg_engaged', { field: 'engagementScore', op: 'gte', value: 1 }));
    await handler(change(before, copied));
    expect(queried()).toEqual(['SEGMENTS', 'CANDSEGS']);
  });

  it('copies the stored score onto the profile again when an edit put back an older copy', async () => {
    segments();
    documents.on(GetCommand).resolves({ Item: { score: 3, updatedAt: '2026-01-02T00:00:00.000Z', version: 2 } });
    documents.on(UpdateCommand).resolves({});
    // The edit read the profile before the consumer's last write: it carries the older copy.
    await handler(change(copied, { ...before, tags: ['java'], version: 2 }));
    const [update] = documents.commandCalls(UpdateCommand).map((call) => call.args[0].input);
    expect(update).toMatchObject({
      Key: { PK: `CAND#${before.id}`, SK: 'PROFILE' },
      UpdateExpression: 'SET engagement = :engagement',
      ConditionExpression: 'attribute_exists(PK) AND engagement = :seen',
      ExpressionAttributeValues: { ':engagement': copied.engagement, ':seen': before.engagement },
    });
  });
});
