import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import type { FunctionSpec } from '../manifest.ts';
import { asFunction } from './faults.ts';

type Handler = (event: unknown, context: Context) => Promise<unknown>;
const loaded = new Map<string, Promise<Handler>>();

/** Imports a function's handler once, from the same entry file the CDK bundles. */
export function handlerOf(fn: FunctionSpec): Promise<Handler> {
  let handler = loaded.get(fn.name);
  if (!handler) {
    handler = import(pathToFileURL(resolve(fn.entry)).href).then((module: { handler?: Handler }) => {
      if (typeof module.handler !== 'function') throw new Error(`${fn.entry} exports no handler`);
      return module.handler;
    });
    loaded.set(fn.name, handler);
  }
  return handler;
}

export const localFunctionArn = (name: string) => `arn:aws:lambda:eu-west-1:000000000000:function:talent-relay-${name}`;

/** A Lambda context like the one the runtime passes (Powertools reads the name and the remaining time). */
export function lambdaContext(fn: FunctionSpec): Context {
  const deadline = Date.now() + (fn.timeoutSeconds ?? 10) * 1000;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: `talent-relay-${fn.name}`,
    functionVersion: '$LATEST',
    invokedFunctionArn: localFunctionArn(fn.name),
    memoryLimitInMB: String(fn.memoryMb ?? 512),
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/talent-relay-${fn.name}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/** Invocations and their time per function, for the bench's cost figures. */
const invocations = new Map<string, { count: number; ms: number }>();
export const invocationStats = () => new Map(invocations);
export const resetInvocations = () => invocations.clear();

/** `state` names the workflow Task state that invokes it, for faults aimed at one step. */
export async function invoke(fn: FunctionSpec, event: unknown, state?: string): Promise<unknown> {
  const handler = await handlerOf(fn);
  const start = performance.now();
  // Lambda would stop the invocation at its timeout; here it runs on, but says so (a hung call shows up at once).
  const overdue = setTimeout(
    () => process.stderr.write(`[local] ${fn.name} is still running after its ${fn.timeoutSeconds ?? 10} s timeout: Lambda would have stopped it\n`),
    (fn.timeoutSeconds ?? 10) * 1000,
  );
  overdue.unref();
  try {
    return await asFunction(fn.name, () => handler(event, lambdaContext(fn)), { event, ...(state ? { state } : {}) });
  } finally {
    clearTimeout(overdue);
    const seen = invocations.get(fn.name) ?? { count: 0, ms: 0 };
    invocations.set(fn.name, { count: seen.count + 1, ms: seen.ms + performance.now() - start });
  }
}
