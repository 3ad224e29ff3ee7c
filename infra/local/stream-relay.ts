import {
  DescribeStreamCommand, DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand, ExpiredIteratorException,
  type _Record,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBBatchResponse, DynamoDBRecord } from 'aws-lambda';
import { OUTBOX_SK } from '../../shared/table/outbox.ts';
import type { FunctionSpec } from '../manifest.ts';
import { invoke } from './lambda.ts';

const POLL_MS = 100;

/** The event source mapping's filter: new outbox entries only (the CDK declares the same filter). */
const isOutboxInsert = (record: _Record) => record.eventName === 'INSERT' && record.dynamodb?.Keys?.SK?.S === OUTBOX_SK;

/**
 * Polls the table's stream like Lambda's event source mapping does and hands outbox inserts to the consuming
 * functions; a batch a function reports as failed is retried from the first failed record.
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
  const consumers = functions.filter((fn) => fn.outboxStream);
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

  async function deliver(records: DynamoDBRecord[]) {
    for (const fn of consumers) {
      let batch = records;
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
    }
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
        iterators.set(shardId, NextShardIterator);
        const outbox = Records.filter(isOutboxInsert);
        if (outbox.length) {
          busy++;
          await deliver(outbox as DynamoDBRecord[]).finally(() => busy--);
        }
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
