import { DynamoDBDocumentClient, BatchWriteCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { candidateItem } from '../../functions/candidates/adapters/entities.ts';
import { handler } from '../../functions/candidates/handlers/index-profiles.ts';
import type { Candidate } from '../../functions/candidates/schemas.ts';
import { aCandidate } from '../fixtures/builders.ts';

const documents = mockClient(DynamoDBDocumentClient);
const image = (c: Candidate) => marshall(candidateItem(c), { removeUndefinedValues: true }) as never;
const change = (before?: Candidate, after?: Candidate): DynamoDBStreamEvent => ({
  Records: [{ eventName: before && after ? 'MODIFY' : after ? 'INSERT' : 'REMOVE', dynamodb: { SequenceNumber: '7', OldImage: before && image(before), NewImage: after && image(after) } }],
});
const writes = () =>
  documents.commandCalls(BatchWriteCommand).flatMap((call) => Object.values(call.args[0].input.RequestItems!).flat())
    .map((w) => (w.PutRequest ? `put ${w.PutRequest.Item!.GSI1PK}` : `delete ${String(w.DeleteRequest!.Key!.SK).split('#').slice(1, 3).join('#')}`));

beforeEach(() => {
  documents.reset();
  documents.on(BatchWriteCommand).resolves({});
  // No dynamic segments and nobody sharing a match key.
  documents.on(QueryCommand).resolves({ Items: [] });
});

describe('the candidate indexer', () => {
  it('writes an entry per filterable value and per duplicate match key of a new profile', async () => {
    await handler(change(undefined, aCandidate({ tags: ['java'], skills: ['go'], firstName: 'Ada', lastName: 'Byron', email: 'ab@example.com' })));
    expect(writes().sort()).toEqual(
      [
        'put COUNTRY#GB', 'put SKILL#go', 'put STATUS#passive', 'put TAG#java', 'put TERM#a', 'put TERM#a', 'put TERM#a', 'put TERM#b',
        'put DUPKEY#email:ab@example.com', 'put DUPKEY#name-city:ada byron|london',
        // What the privacy schedules query: last activity by year, and the Art. 14 notice still owed.
        'put LASTACTIVE#2026', 'put NOTICE#pending',
      ].sort(),
    );
  });

  it('writes only what changed: the new tag in, the old one out', async () => {
    await handler(change(aCandidate({ tags: ['java'] }), aCandidate({ tags: ['rust'] })));
    expect(writes()).toEqual(['put TAG#rust', 'delete TAG#java']);
  });

  it('removes every entry of a deleted profile', async () => {
    await handler(change(aCandidate({ tags: ['java'] }), undefined));
    expect(writes()).toContain('delete TAG#java');
    expect(writes().every((w) => w.startsWith('delete'))).toBe(true);
  });

  it('asks for a retry from the record that failed', async () => {
    documents.on(BatchWriteCommand).rejects(new Error('throttled'));
    expect(await handler(change(undefined, aCandidate()))).toEqual({ batchItemFailures: [{ itemIdentifier: '7' }] });
  });
});
