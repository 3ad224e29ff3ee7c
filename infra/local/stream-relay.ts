import {
  DescribeStreamCommand, DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand, ExpiredIteratorException,
  type _Record,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBBatchResponse, DynamoDBRecord } from 'aws-lambda';
import type { FunctionSpec, StreamFilter } from '../manifest.ts';
import { invoke } from './lambda.ts';

const POLL_MS = 100;

type Value = Record<string, unknown>;
/** The streams client reads an empty map `{"M":{}}` back as `{}`; Lambda's events carry the map. */
function repairValue(value: Value): Value {
  if (Object.keys(value).length === 0) return { M: {} };
  if (value.M) return { M: repairImage(value.M as Record<string, Value>) };
  if (value.L) return { L: (value.L as Value[]).map(repairValue) };
  return value;
}
const repairImage = (image: Record<string, unknown> | undefined) =>
  image && (Object.fromEntries(Object.entries(image).map(([name, value]) => [name, repairValue(value as Value)])) as never);

/** The event source mapping's filter, as the CDK declares it from the same manifest entry. */
const passes = (filter: StreamFilter, record: _Record) =>
  filter.eventNames.includes(record.eventName as never) && record.dynamodb?.Keys?.SK?.S === filter.sortKey;

/**
 * Polls the table's stream like Lambda's event source mappings do and hands each consuming function the records
 * its filter passes; a batch a function reports as failed is retried from the first failed record.
 */
export function localStreamRelay(options: {
  streamArn: string;
  functions: readonly FunctionSpec[];
  client: DynamoDBStreamsClient;
  /** A new table is read from its start; a persisted one from now on (earlier runs relayed the rest). */
  fromStart: boolean;
  log: (line: string) => void;
}) {
  const { streamArn, functions, client, fromStart, log } = options;
  const consumers = functions.filter((fn) => fn.tableStream);
  const iterators = new Map<string, string | undefined>();
  let running = true;
  let busy = 0;
  let lastDescribe = 0;

  async function discoverShards(first: boolean) {
    const { StreamDescription } = await client.send(new DescribeStreamCommand({ StreamArn: streamArn }));
    for (const shard of StreamDescription?.Shards ?? []) {
      if (iterators.has(shard.ShardId!)) continue;
      const type = first && !fromStart ? 'LATEST' : 'TRIM_HORIZON';
      const { ShardIterator } = await client.send(
        new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shard.ShardId!, ShardIteratorType: type }),
      );
      iterators.set(shard.ShardId!, ShardIterator);
    }
  }

  // The record as Lambda's event source mapping hands it over.
  const lambdaRecord = (record: _Record): DynamoDBRecord => ({
    ...(record as DynamoDBRecord),
    eventSource: 'aws:dynamodb',
    eventSourceARN: streamArn,
    dynamodb: {
      ...(record.dynamodb as DynamoDBRecord['dynamodb']),
      OldImage: repairImage(record.dynamodb?.OldImage),
      NewImage: repairImage(record.dynamodb?.NewImage),
      ApproximateCreationDateTime: Math.floor(new Date(record.dynamodb?.ApproximateCreationDateTime ?? Date.now()).getTime() / 1000),
    },
  });

  // Each consumer on its own, as each event source mapping is in AWS: a slow one does not hold the others up.
  async function deliver(records: _Record[]) {
    await Promise.all(consumers.map(async (fn) => {
      let batch = records.filter((record) => passes(fn.tableStream!, record)).map(lambdaRecord);
      for (let attempt = 1; batch.length; attempt++) {
        let response: DynamoDBBatchResponse | undefined;
        try {
          response = (await invoke(fn, { Records: batch })) as DynamoDBBatchResponse | undefined;
        } catch (error) {
          log(`stream batch to ${fn.name} failed: ${(error as Error).message}`);
          response = { batchItemFailures: [{ itemIdentifier: batch[0]!.dynamodb!.SequenceNumber! }] };
        }
        const failed = response?.batchItemFailures?.[0]?.itemIdentifier;
        if (!failed) break;
        batch = batch.slice(Math.max(0, batch.findIndex((r) => r.dynamodb?.SequenceNumber === failed)));
        await new Promise((resolve) => setTimeout(resolve, Math.min(100 * 2 ** attempt, 5000)));
      }
    }));
  }

  async function poll() {
    if (Date.now() - lastDescribe > 1000) {
      await discoverShards(lastDescribe === 0);
      lastDescribe = Date.now();
    }
    for (const [shardId, iterator] of iterators) {
      if (!iterator) continue;
      try {
        const { Records = [], NextShardIterator } = await client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 100 }));
        if (Records.length) {
          busy++;
          await deliver(Records).finally(() => busy--);
        }
        // Only past records that were handed over: a failure above reads them again.
        iterators.set(shardId, NextShardIterator);
      } catch (error) {
        if (!(error instanceof ExpiredIteratorException)) throw error;
        iterators.delete(shardId);
      }
    }
  }

  const loop = (async () => {
    while (running) {
      try {
        await poll();
      } catch (error) {
        if (running) log(`stream polling failed, retrying: ${(error as Error).message}`);
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  })();

  return {
    busy: () => busy > 0,
    async stop() {
      running = false;
      await loop;
    },
  };
}
