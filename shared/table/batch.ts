import { BatchGetCommand, BatchWriteCommand, type BatchWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { config } from '../config.ts';
import { documents } from './client.ts';

type Key = Record<string, string>;
const chunks = <T>(items: T[], size: number) => Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, i * size + size));
const pause = (attempt: number) => new Promise((resolve) => setTimeout(resolve, Math.min(50 * 2 ** attempt, 1000)));

/** BatchGetItem in chunks of 100, retrying unprocessed keys with back-off; results follow the order of `keys`. */
export async function batchGet<T>(keys: Key[]): Promise<T[]> {
  const found = new Map<string, T>();
  for (const chunk of chunks(keys, 100)) {
    let pending: Key[] | undefined = chunk;
    for (let attempt = 0; pending?.length; attempt++) {
      if (attempt) await pause(attempt);
      const result = await documents.send(new BatchGetCommand({ RequestItems: { [config.tableName]: { Keys: pending } } }));
      for (const item of result.Responses?.[config.tableName] ?? []) found.set(`${item.PK}|${item.SK}`, item as T);
      pending = result.UnprocessedKeys?.[config.tableName]?.Keys as Key[] | undefined;
    }
  }
  return keys.map((key) => found.get(`${key.PK}|${key.SK}`)).filter((item): item is T => item !== undefined);
}

type WriteRequest = NonNullable<BatchWriteCommandInput['RequestItems']>[string][number];

/** BatchWriteItem in chunks of 25, retrying unprocessed writes with back-off. */
export async function batchWrite(requests: WriteRequest[]): Promise<void> {
  for (const chunk of chunks(requests, 25)) {
    let pending: WriteRequest[] | undefined = chunk;
    for (let attempt = 0; pending?.length; attempt++) {
      if (attempt) await pause(attempt);
      const result: { UnprocessedItems?: Record<string, WriteRequest[]> } = await documents.send(new BatchWriteCommand({ RequestItems: { [config.tableName]: pending } }));
      pending = result.UnprocessedItems?.[config.tableName];
    }
  }
}
