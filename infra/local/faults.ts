import { AsyncLocalStorage } from 'node:async_hooks';
import { createRequire } from 'node:module';
import { Client } from '@smithy/core/client';
import { HttpResponse } from '@smithy/core/transport';
import * as z from 'zod';

/**
 * Fault injection for the local stack only (never bundled for AWS: nothing under functions/ or shared/ imports it):
 * makes an AWS call of one function fail as a crash, a throttle or a conflict would, so tests can prove that retries
 * lose and duplicate nothing. Every SDK client the handlers make gets two middlewares on its first call; which
 * function (and which workflow state) is calling comes from the invocation's async context.
 *
 * - `error` (the default) throws the named error from the call before it is sent, outside the SDK's retries.
 * - `service` makes the service answer with the named error, inside the SDK's retry loop, so the SDK retries it
 *   exactly when it would retry the real one (throttling, 5xx) and the code sees the real exception class.
 * - `crash` ends the invocation at that call, as a killed process would: this and every later call of the invocation
 *   fail, and the invocation fails even if the code caught the error. With `at: 'response'` the call is made first
 *   (the write happened, the function died before answering: the classic cause of duplicate sends).
 */
const SERVICE_ERRORS = {
  // DynamoDB: throttles, which the SDK retries; a 5xx, which it retries too.
  ProvisionedThroughputExceededException: 400,
  ThrottlingException: 400,
  RequestLimitExceeded: 400,
  InternalServerError: 500,
  /** A TransactWriteItems cancelled by a conflicting transaction (TransactionCanceledException); the SDK does not retry it. */
  TransactionConflict: 400,
  // SES v2: throttling (retried by the SDK) and refusals (not retried).
  TooManyRequestsException: 429,
  LimitExceededException: 400,
  SendingPausedException: 400,
  MessageRejected: 400,
  // Any JSON service.
  ServiceUnavailable: 503,
} as const;
type ServiceError = keyof typeof SERVICE_ERRORS;
const SERVICES = ['dynamodb', 'sesv2', 's3', 'sfn', 'eventbridge'] as const;

export const Fault = z
  .strictObject({
    /** The manifest function whose calls fail; `*` for every function (narrow it with `when`). */
    function: z.string().min(1),
    /** The client whose calls fail. */
    service: z.enum(SERVICES).default('dynamodb'),
    /** The SDK command, e.g. TransactWriteItemsCommand; any when absent. */
    command: z.string().optional(),
    /** Only when the function runs as this Task state of a workflow (e.g. Finish). */
    state: z.string().min(1).optional(),
    /** Only in invocations whose event contains this text (a campaign id, a header value): keeps a test's faults to its own data. */
    when: z.string().min(1).optional(),
    /** Let this many matching calls through first. */
    after: z.number().int().min(0).default(0),
    /** Fail this many matching calls, then heal; with `rate`, unlimited unless given. */
    times: z.number().int().min(1).optional(),
    /** Fail each matching call with this probability, from a PRNG seeded with `seed` (a run can be replayed). */
    rate: z.number().gt(0).max(1).optional(),
    seed: z.number().int().default(1),
    /** The error's name; for `service`, one the service really answers (see SERVICE_ERRORS). */
    error: z.string().default('InjectedFault'),
    kind: z.enum(['error', 'service', 'crash']).default('error'),
    /** Fail before the call reaches the service, or after it succeeded there. */
    at: z.enum(['request', 'response']).default('request'),
  })
  .refine((fault) => fault.kind !== 'service' || fault.error in SERVICE_ERRORS, {
    path: ['error'],
    message: `a service fault is one of ${Object.keys(SERVICE_ERRORS).join(', ')}`,
  })
  .refine((fault) => fault.kind !== 'service' || fault.service !== 's3', { path: ['service'], message: 'service faults speak JSON protocols; S3 takes error or crash faults' });
export type Fault = z.output<typeof Fault>;

interface Invocation {
  fn: string;
  state?: string;
  event?: unknown;
  text?: string;
  /** Set when a crash fault killed this invocation. */
  crashed?: Error;
}

interface Armed extends Fault {
  seen: number;
  failed: number;
  random: () => number;
}

const invocation = new AsyncLocalStorage<Invocation>();
const armed: Armed[] = [];

/** A small seeded PRNG (mulberry32): the same seed fails the same calls. */
function seeded(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Runs a handler with its function's name (and the workflow state invoking it) in context. A crash fault that fired
 * during the run fails it, whatever the handler did with the error.
 */
export function asFunction<T>(name: string, run: () => Promise<T>, details: { event?: unknown; state?: string } = {}): Promise<T> {
  const store: Invocation = { fn: name, ...details };
  return invocation.run(store, async () => {
    try {
      const result = await run();
      if (store.crashed) throw store.crashed;
      return result;
    } catch (error) {
      throw store.crashed ?? error;
    }
  });
}
/** The function whose handler is running, if any. */
export const currentFunction = () => invocation.getStore()?.fn;

const serviceOf = (clientName: unknown) => String(clientName ?? '').replace(/Client$/, '').toLowerCase();

/** The first armed fault that takes this call, counted as fired. */
function take(kinds: readonly Fault['kind'][], at: Fault['at'], service: string, command: string): Armed | undefined {
  const caller = invocation.getStore();
  if (!caller) return undefined;
  for (const fault of armed) {
    if (!kinds.includes(fault.kind) || fault.at !== at || fault.service !== service) continue;
    if ((fault.function !== '*' && fault.function !== caller.fn) || (fault.command && fault.command !== command)) continue;
    if (fault.state && fault.state !== caller.state) continue;
    if (fault.when && !(caller.text ??= JSON.stringify(caller.event) ?? '').includes(fault.when)) continue;
    if (fault.failed >= (fault.times ?? (fault.rate ? Infinity : 1))) continue;
    if (fault.seen++ < fault.after) continue;
    if (fault.rate !== undefined && fault.random() >= fault.rate) continue;
    fault.failed++;
    return fault;
  }
  return undefined;
}

function thrown(fault: Armed, command: string) {
  const error = Object.assign(new Error(`Injected fault: ${command} of ${invocation.getStore()?.fn} failed`), { name: fault.error, $fault: 'server', $retryable: undefined });
  if (fault.kind === 'crash') {
    error.message = `Injected crash: ${invocation.getStore()?.fn} died at ${command}`;
    invocation.getStore()!.crashed = error;
  }
  return error;
}

/** The HTTP answer the service gives for this error, which the SDK parses into its own exception. */
function serviceAnswer(name: ServiceError, input: { TransactItems?: unknown[] }) {
  const transaction = name === 'TransactionConflict';
  const type = transaction ? (input.TransactItems ? 'TransactionCanceledException' : 'TransactionConflictException') : name;
  const body: Record<string, unknown> = { __type: `com.amazonaws.dynamodb.v20120810#${type}`, message: `Injected: ${type}` };
  if (type === 'TransactionCanceledException') {
    const reasons = input.TransactItems!.map((_, i) => (i === 0 ? { Code: 'TransactionConflict', Message: 'Transaction is ongoing for the item' } : { Code: 'None' }));
    Object.assign(body, { Message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.map((r) => r.Code).join(', ')}]`, CancellationReasons: reasons });
  }
  return new HttpResponse({
    statusCode: SERVICE_ERRORS[name],
    headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-errortype': type, 'x-amzn-requestid': `injected-${Date.now()}` },
    body: new TextEncoder().encode(JSON.stringify(body)),
  });
}

type Stack = Client<never, never, never, never>['middlewareStack'];
const equipped = new WeakSet<object>();

/** Adds the two fault middlewares to a client's stack: one around the call, one inside the SDK's retries. */
function equip(stack: Stack) {
  if (equipped.has(stack)) return;
  equipped.add(stack);
  stack.add(
    (next, context) => async (args) => {
      const crashed = invocation.getStore()?.crashed;
      if (crashed) throw crashed;
      const service = serviceOf(context.clientName);
      const command = String(context.commandName);
      const before = take(['error', 'crash'], 'request', service, command);
      if (before) throw thrown(before, command);
      const result = await next(args);
      const after = take(['error', 'crash'], 'response', service, command);
      if (after) throw thrown(after, command);
      return result;
    },
    { step: 'initialize', priority: 'high', name: 'localFaultInjection' },
  );
  stack.add(
    (next, context) => async (args) => {
      const service = serviceOf(context.clientName);
      const command = String(context.commandName);
      const before = take(['service'], 'request', service, command);
      if (before) return { response: serviceAnswer(before.error as ServiceError, args.input as never), output: undefined as never };
      const result = await next(args);
      const after = take(['service'], 'response', service, command);
      return after ? { response: serviceAnswer(after.error as ServiceError, args.input as never), output: undefined as never } : result;
    },
    { step: 'deserialize', priority: 'low', name: 'localServiceFaultInjection' },
  );
}

let installed = false;
/**
 * The handlers' clients are private to their modules (SES's is even made on first use), but every SDK client shares
 * one base class: its `send` equips each client's stack on the first call. The ES module and CommonJS copies of the
 * class may both be loaded; both are patched.
 */
function install() {
  if (installed) return;
  installed = true;
  const classes = new Set([Client, (createRequire(import.meta.url)('@smithy/core/client') as { Client: typeof Client }).Client]);
  for (const Base of classes) {
    const send = Base.prototype.send as (...args: unknown[]) => unknown;
    Base.prototype.send = function (this: { middlewareStack: Stack }, ...args: unknown[]) {
      equip(this.middlewareStack);
      return send.apply(this, args);
    } as never;
  }
}

export function injectFault(fault: Fault) {
  install();
  armed.push({ ...fault, seen: 0, failed: 0, random: seeded(fault.seed) });
}

/**
 * Disarms faults: one function's, of one scope. A scope (`when`) is a test's own: faults armed with one are listed
 * and cleared only through it, so test files running side by side on one stack never see each other's.
 */
export function clearFaults(fn?: string, when?: string) {
  const all = !fn && !when;
  for (let i = armed.length - 1; i >= 0; i--) if (all || ((!fn || armed[i]!.function === fn) && armed[i]!.when === when)) armed.splice(i, 1);
}

/** The armed faults (unscoped, or of one scope) and how often each has fired, so a test can prove its fault really happened. */
export const faults = (when?: string) => armed.filter((fault) => fault.when === when).map(({ seen, random, ...fault }) => fault);
