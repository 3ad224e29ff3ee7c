import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { patternFor } from '../../events/contract.ts';
import type { FunctionSpec } from '../manifest.ts';
import { matchesPattern } from './event-pattern.ts';
import { invoke } from './lambda.ts';
import { listen, readBody } from './net.ts';

interface PutEventsEntry {
  Source: string;
  DetailType: string;
  Detail: string;
  EventBusName?: string;
  Time?: string;
  Resources?: string[];
}

const RETRIES = 5;
/**
 * Invocations of one function at once. Lambda scales a consumer out too, but each invocation is short on DynamoDB;
 * on the single-process emulator thousands at once would only queue inside it and time out.
 */
const CONCURRENCY_PER_FUNCTION = 16;

/** A counting semaphore: at most `limit` holders at a time, the rest wait in order. */
function limiter(limit: number) {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async <T>(work: () => Promise<T>): Promise<T> => {
    if (active >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    active++;
    try {
      return await work();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}

/**
 * EventBridge stand-in: speaks PutEvents (awsJson1_1) so the SDK client works unchanged, matches each event
 * against the manifest's rule patterns, and delivers asynchronously with retries — at least once, like AWS.
 */
export function localEventBus(functions: readonly FunctionSpec[], log: (line: string) => void) {
  const rules = functions.filter((fn) => fn.subscribes?.length).map((fn) => ({ fn, pattern: patternFor(...fn.subscribes!) }));
  const pending = new Set<Promise<void>>();
  const slots = new Map(rules.map(({ fn }) => [fn.name, limiter(Math.min(CONCURRENCY_PER_FUNCTION, fn.reservedConcurrency ?? Infinity))]));

  async function deliver(fn: FunctionSpec, event: Record<string, unknown>) {
    for (let attempt = 1; ; attempt++) {
      try {
        await slots.get(fn.name)!(() => invoke(fn, event));
        return;
      } catch (error) {
        if (attempt >= RETRIES) {
          log(`event ${event['detail-type']} (${event.id}) to ${fn.name} failed ${attempt} times, dropped: ${(error as Error).message}`);
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, 100 * 2 ** attempt));
      }
    }
  }

  function publish(entries: PutEventsEntry[]) {
    return entries.map((entry) => {
      const event = {
        version: '0',
        id: randomUUID(),
        'detail-type': entry.DetailType,
        source: entry.Source,
        account: '000000000000',
        time: entry.Time ?? new Date().toISOString(),
        region: process.env.AWS_REGION,
        resources: entry.Resources ?? [],
        detail: JSON.parse(entry.Detail) as unknown,
      };
      for (const { fn, pattern } of rules) {
        if (!matchesPattern(pattern, event)) continue;
        const delivery = new Promise<void>((resolve) => setImmediate(resolve)).then(() => deliver(fn, event));
        pending.add(delivery);
        void delivery.finally(() => pending.delete(delivery));
      }
      return { EventId: event.id };
    });
  }

  let server: Server | undefined;
  return {
    publish,
    /** Resolves when every delivery under way (and any it caused) has finished. */
    async idle() {
      while (pending.size) await Promise.allSettled([...pending]);
    },
    async start(): Promise<string> {
      server = createServer(async (request, response) => {
        const target = request.headers['x-amz-target'];
        const body = JSON.parse((await readBody(request)).toString('utf8') || '{}') as { Entries?: PutEventsEntry[] };
        response.setHeader('content-type', 'application/x-amz-json-1.1');
        if (target !== 'AWSEvents.PutEvents') {
          response.statusCode = 400;
          response.end(JSON.stringify({ __type: 'UnknownOperationException', message: `${target} is not emulated` }));
          return;
        }
        const results = publish(body.Entries ?? []);
        response.end(JSON.stringify({ FailedEntryCount: 0, Entries: results }));
      });
      return `http://127.0.0.1:${await listen(server, 0)}`;
    },
    async stop() {
      await new Promise((resolve) => server?.close(resolve));
    },
  };
}

export type LocalEventBus = ReturnType<typeof localEventBus>;
