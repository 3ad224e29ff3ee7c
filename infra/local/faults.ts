import { AsyncLocalStorage } from 'node:async_hooks';
import * as z from 'zod';
import { dynamo } from '../../shared/table/client.ts';

/**
 * Fault injection for the local stack only (never bundled for AWS): makes an AWS call of one function fail, as a
 * crash or a throttle would, so tests can prove retries lose and duplicate nothing. The handlers' own SDK clients
 * get a middleware here; which function is calling comes from the invocation's async context.
 */
export const Fault = z.strictObject({
  /** The manifest function whose calls fail. */
  function: z.string().min(1),
  /** The SDK command, e.g. TransactWriteItemsCommand; any when absent. */
  command: z.string().optional(),
  /** Let this many matching calls through first. */
  after: z.number().int().min(0).default(0),
  /** Fail this many matching calls, then heal. */
  times: z.number().int().min(1).default(1),
  /** The error's name, e.g. ProvisionedThroughputExceededException. */
  error: z.string().default('InjectedFault'),
});
export type Fault = z.output<typeof Fault>;

const invocation = new AsyncLocalStorage<string>();
const armed: (Fault & { seen: number; failed: number })[] = [];

/** Runs a handler with its function's name in context. */
export const asFunction = <T>(name: string, run: () => Promise<T>) => invocation.run(name, run);
/** The function whose handler is running, if any. */
export const currentFunction = () => invocation.getStore();

function check(command: string) {
  const caller = invocation.getStore();
  for (const fault of armed) {
    if (fault.function !== caller || (fault.command && fault.command !== command) || fault.failed >= fault.times) continue;
    if (fault.seen++ < fault.after) continue;
    fault.failed++;
    throw Object.assign(new Error(`Injected fault: ${command} of ${caller} failed`), { name: fault.error, $fault: 'server', $retryable: undefined });
  }
}

let installed = false;
export function injectFault(fault: Fault) {
  if (!installed) {
    installed = true;
    dynamo.middlewareStack.add((next, context) => async (args) => {
      check(String(context.commandName));
      return next(args);
    }, { step: 'initialize', name: 'localFaultInjection' });
  }
  armed.push({ ...fault, seen: 0, failed: 0 });
}

/** Disarms one function's faults (test files run side by side on one stack), or every fault. */
export function clearFaults(fn?: string) {
  for (let i = armed.length - 1; i >= 0; i--) if (!fn || armed[i]!.function === fn) armed.splice(i, 1);
}

/** The armed faults and how often each has fired, so a test can prove its fault really happened. */
export const faults = () => armed.map(({ seen, ...fault }) => fault);
