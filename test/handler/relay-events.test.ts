import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { handler } from '../../functions/platform/handlers/relay-events.ts';

const eventBridge = mockClient(EventBridgeClient);

const outboxRecords = (count: number): DynamoDBStreamEvent => ({
  Records: Array.from({ length: count }, (_, i) => ({
    eventName: 'INSERT',
    dynamodb: {
      SequenceNumber: String(100 + i),
      NewImage: marshall({ PK: `EVENT#evt_${i}`, SK: 'EVENT', source: 'talent-relay.candidates', detailType: 'CandidateTagged', detail: { eventId: `evt_${i}`, tag: 'java' } }) as never,
    },
  })),
});

beforeEach(() => eventBridge.reset());

describe('the outbox relay', () => {
  it('publishes outbox entries to the bus ten at a time', async () => {
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [] });
    expect(await handler(outboxRecords(12))).toEqual({ batchItemFailures: [] });
    const calls = eventBridge.commandCalls(PutEventsCommand);
    expect(calls.map((c) => c.args[0].input.Entries!.length)).toEqual([10, 2]);
    expect(calls[0]!.args[0].input.Entries![0]).toMatchObject({ Source: 'talent-relay.candidates', DetailType: 'CandidateTagged', EventBusName: 'talent-relay-test' });
  });

  it('asks for a retry from the first entry the bus refused', async () => {
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 1, Entries: [{ EventId: 'a' }, { ErrorCode: 'ThrottlingException' }, { EventId: 'c' }] });
    expect(await handler(outboxRecords(3))).toEqual({ batchItemFailures: [{ itemIdentifier: '101' }] });
  });
});
