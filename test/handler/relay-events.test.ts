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
      NewImage: marshall({ PK: `EVENT#evt_${i}`, SK: 'EVENT', events: [{ source: 'talent-relay.candidates', detailType: 'CandidateTagged', detail: { eventId: `evt_${i}`, tag: 'java' } }] }) as never,
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

  it('publishes every event of a write stored in one outbox item, and retries from that item when one is refused', async () => {
    const events = Array.from({ length: 12 }, (_, i) => ({ source: 'talent-relay.candidates', detailType: 'CandidateCreated', detail: { eventId: `evt_${i}` } }));
    const record = { eventName: 'INSERT' as const, dynamodb: { SequenceNumber: '7', NewImage: marshall({ PK: 'EVENT#evt_0', SK: 'EVENT', events }) as never } };
    eventBridge.on(PutEventsCommand).resolvesOnce({ FailedEntryCount: 0, Entries: [] }).resolves({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'ThrottlingException' }] });
    expect(await handler({ Records: [record] })).toEqual({ batchItemFailures: [{ itemIdentifier: '7' }] });
    expect(eventBridge.commandCalls(PutEventsCommand).map((c) => c.args[0].input.Entries!.length)).toEqual([10, 2]);
  });

  it('skips an item that uses the outbox sort key but holds no events, and still publishes the others', async () => {
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [] });
    const stray = { eventName: 'INSERT' as const, dynamodb: { SequenceNumber: '99', NewImage: marshall({ PK: 'SOMETHING#1', SK: 'EVENT', result: 'ok' }) as never } };
    const event = outboxRecords(2);
    expect(await handler({ Records: [stray, ...event.Records] })).toEqual({ batchItemFailures: [] });
    expect(eventBridge.commandCalls(PutEventsCommand).flatMap((c) => c.args[0].input.Entries!)).toHaveLength(2);
  });

  it('asks for a retry from the first entry the bus refused', async () => {
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 1, Entries: [{ EventId: 'a' }, { ErrorCode: 'ThrottlingException' }, { EventId: 'c' }] });
    expect(await handler(outboxRecords(3))).toEqual({ batchItemFailures: [{ itemIdentifier: '101' }] });
  });
});
