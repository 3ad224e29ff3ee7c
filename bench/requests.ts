/**
 * Request meters for the bench's cost model, on the local stack only: every AWS SDK call the handlers make (by
 * function, service and command, with the units each is billed by), the Step Functions state transitions and
 * history events of the local runner, Lambda invocations and their time, and DynamoDB consumed capacity.
 */
import { createRequire } from 'node:module';
import { Client } from '@smithy/core/client';
import { StateMachine } from 'aws-local-stepfunctions';
import { consumedCapacity, meterCapacity, resetCapacity } from '../infra/local/capacity.ts';
import { currentFunction } from '../infra/local/faults.ts';
import { invocationStats, resetInvocations } from '../infra/local/lambda.ts';
import { workflows } from '../infra/manifest.ts';

export interface Call {
  /** Requests sent. */
  count: number;
  /** What the service bills by, where it is not the request: recipients, event entries, invalidated paths. */
  units: number;
}

/** `function` → `Service.Command` → calls. */
const calls = new Map<string, Map<string, Call>>();
/** Workflow name → state transitions and the history events Step Functions would log for them. */
const transitions = new Map<string, { executions: number; transitions: number; historyEvents: number }>();

type Input = Record<string, unknown> & {
  BulkEmailEntries?: unknown[];
  Entries?: unknown[];
  RequestItems?: Record<string, unknown[]>;
  InvalidationBatch?: { Paths?: { Quantity?: number } };
};

function unitsOf(command: string, input: Input): number {
  if (command === 'SendBulkEmailCommand') return input.BulkEmailEntries?.length ?? 0;
  if (command === 'PutEventsCommand') return input.Entries?.length ?? 0;
  if (command === 'CreateInvalidationCommand') return input.InvalidationBatch?.Paths?.Quantity ?? 0;
  if (input.RequestItems) return Object.values(input.RequestItems).reduce((n, items) => n + items.length, 0);
  return 1;
}

function record(caller: string, key: string, units: number) {
  const byCall = calls.get(caller) ?? new Map<string, Call>();
  const seen = byCall.get(key) ?? { count: 0, units: 0 };
  byCall.set(key, { count: seen.count + 1, units: seen.units + units });
  calls.set(caller, byCall);
}

/** Task states per workflow (Wait states run as local Tasks, so they are told apart by the manifest's definition). */
const taskStates = new Map(
  workflows.map((spec) => {
    const definition = spec.definition((name) => `arn:function:${name}`);
    const names = new Set<string>();
    const walk = (states: Record<string, Record<string, unknown>>) => {
      for (const [name, state] of Object.entries(states)) {
        if (state.Type === 'Task') names.add(name);
        const inner = (state.ItemProcessor ?? state.Iterator) as { States: Record<string, Record<string, unknown>> } | undefined;
        if (inner) walk(inner.States);
      }
    };
    walk(definition.States as Record<string, Record<string, unknown>>);
    return [definition.Comment ?? spec.name, { name: spec.name, tasks: names }] as const;
  }),
);

let installed = false;

/**
 * Installs the meters (once per process). `cdn` answers CloudFront invalidations here, counting their paths: the
 * local stack has no CDN, and the publisher only asks for them when a distribution is configured.
 */
export function meterRequests() {
  if (installed) return;
  installed = true;
  meterCapacity();

  type Send = (this: Client<never, never, never, never>, command: { constructor: { name: string }; input: Input }, ...rest: unknown[]) => Promise<unknown>;
  // Every SDK client's `send` is the base class's; its ES module and CommonJS copies may both be loaded.
  for (const Base of new Set([Client, (createRequire(import.meta.url)('@smithy/core/client') as { Client: typeof Client }).Client])) {
    const send = Base.prototype.send as unknown as Send;
    (Base.prototype as unknown as { send: Send }).send = function (this, command, ...rest) {
      const caller = currentFunction();
      const service = String((this.config as { serviceId?: string }).serviceId ?? this.constructor.name);
      const name = command.constructor.name;
      // Calls of the stack's own machinery (stream polling, the bench's seeding) are no handler's and cost nothing in AWS.
      if (caller) record(caller, `${service}.${name.replace(/Command$/, '')}`, unitsOf(name, command.input ?? {}));
      if (caller && name === 'CreateInvalidationCommand') return Promise.resolve({ Invalidation: { Id: 'LOCAL', Status: 'Completed' } });
      return send.call(this, command, ...rest);
    };
  }

  type Run = (this: StateMachine, input: unknown, options?: { _rootAbortSignal?: AbortSignal }) => { eventLogs: AsyncGenerator<{ type: string; state?: { name: string } }> };
  const run = StateMachine.prototype.run as unknown as Run;
  (StateMachine.prototype as unknown as { run: Run }).run = function (this, input, options) {
    const execution = run.call(this, input, options);
    // A Map's iterations are nested runs whose events the root run forwards: count the root's only.
    if (options?._rootAbortSignal) return execution;
    const comment = String((this as unknown as { definition: { Comment?: string } }).definition.Comment ?? '');
    const machine = taskStates.get(comment) ?? { name: comment || 'unnamed', tasks: new Set<string>() };
    void (async () => {
      const seen = transitions.get(machine.name) ?? { executions: 0, transitions: 0, historyEvents: 0 };
      transitions.set(machine.name, seen);
      seen.executions++;
      for await (const event of execution.eventLogs) {
        seen.historyEvents++;
        // Billed: every state entered, and every retry of one.
        if (event.type === 'StateEntered' || event.type === 'StateRetried') seen.transitions++;
        // A Lambda Task also logs its function's scheduled, started and succeeded events.
        if (event.type === 'StateEntered' && event.state && machine.tasks.has(event.state.name)) seen.historyEvents += 3;
      }
    })();
    return execution;
  };
}

export interface Meters {
  calls: Map<string, Map<string, Call>>;
  transitions: Map<string, { executions: number; transitions: number; historyEvents: number }>;
  invocations: Map<string, { count: number; ms: number }>;
  capacity: Map<string, { read: number; write: number }>;
}

/** What was metered since the last reset; calls outside any function are left out. */
export function readMeters(): Meters {
  const capacity = consumedCapacity();
  capacity.delete('outside');
  return {
    calls: new Map([...calls].map(([fn, byCall]) => [fn, new Map([...byCall].map(([key, call]) => [key, { ...call }]))])),
    transitions: new Map([...transitions].map(([name, t]) => [name, { ...t }])),
    invocations: invocationStats(),
    capacity,
  };
}

export function resetMeters() {
  calls.clear();
  transitions.clear();
  resetInvocations();
  resetCapacity();
}

/** Sums over functions: requests and units per `Service.Command`. */
export function callTotals(meters: Meters): Map<string, Call> {
  const totals = new Map<string, Call>();
  for (const byCall of meters.calls.values()) {
    for (const [key, call] of byCall) {
      const seen = totals.get(key) ?? { count: 0, units: 0 };
      totals.set(key, { count: seen.count + call.count, units: seen.units + call.units });
    }
  }
  return totals;
}
