import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { StateMachine } from 'aws-local-stepfunctions';
import type { FunctionSpec, WorkflowSpec } from '../manifest.ts';
import { invoke, localFunctionArn } from './lambda.ts';
import { listen, readBody } from './net.ts';

export const localWorkflowArn = (name: string) => `arn:aws:states:eu-west-1:000000000000:stateMachine:talent-relay-${name}`;

interface Execution {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED';
  input: string;
  output?: string;
  error?: string;
  cause?: string;
  startDate: number;
  stopDate?: number;
  abort: () => void;
}

type States = Record<string, Record<string, unknown>>;

/** Every state of a definition, those inside Map states included (their names are unique across the machine). */
function allStates(states: States): [string, Record<string, unknown>][] {
  return Object.entries(states).flatMap(([name, state]) => {
    const inner = (state.ItemProcessor ?? state.Iterator) as { States: States } | undefined;
    return [[name, state] as [string, Record<string, unknown>], ...(inner ? allStates(inner.States) : [])];
  });
}

const MIN_RETRY_MS = 100;
const SCALED_WAIT = 'arn:aws:lambda:eu-west-1:000000000000:function:local-scaled-wait';

/**
 * Wait states become Tasks of a local handler that waits the same time divided by the time scale: the emulator can
 * only override a wait with a fixed duration, and a drip's waits depend on each person's next send time.
 */
function scaledWaits<D extends { States: States }>(definition: D): D {
  const rewrite = (states: States): States =>
    Object.fromEntries(
      Object.entries(states).map(([name, state]) => {
        if (state.Type === 'Wait') {
          const { Next, End, Seconds, SecondsPath, Timestamp, TimestampPath } = state;
          return [name, { Type: 'Task', Resource: SCALED_WAIT, Comment: JSON.stringify({ Seconds, SecondsPath, Timestamp, TimestampPath }), ...(Next ? { Next } : { End }) }];
        }
        const inner = state.ItemProcessor as { States: States } | undefined;
        return [name, inner ? { ...state, ItemProcessor: { ...inner, States: rewrite(inner.States) } } : state];
      }),
    );
  return { ...definition, States: rewrite(definition.States) };
}

/** Sleeps until the wait's time, compressed by the scale, and passes the input on as a Wait state does. */
async function waitScaled(spec: string, input: Record<string, unknown>, timeScale: number) {
  const { Seconds, SecondsPath, Timestamp, TimestampPath } = JSON.parse(spec) as Record<string, string | number | undefined>;
  const at = (path?: string | number) => (typeof path === 'string' ? (input[path.replace(/^\$\./, '')] as string | number | undefined) : undefined);
  const seconds = Seconds ?? at(SecondsPath);
  const timestamp = Timestamp ?? at(TimestampPath);
  const ms = seconds !== undefined ? Number(seconds) * 1000 : timestamp !== undefined ? Date.parse(String(timestamp)) - Date.now() : 0;
  if (ms > 0) await new Promise((resolve) => setTimeout(resolve, ms / timeScale));
  return input;
}

class ServiceError extends Error {
  constructor(readonly type: string, message: string) {
    super(message);
  }
}

/**
 * Step Functions stand-in: speaks StartExecution, DescribeExecution and StopExecution (awsJson1_0) so the SDK
 * client works unchanged, and runs the manifest's definitions with aws-local-stepfunctions, Task states on the
 * local handlers. Execution names are unique per state machine, as in AWS (starting one twice is refused).
 */
export function localWorkflows(options: { workflows: readonly WorkflowSpec[]; functions: readonly FunctionSpec[]; timeScale: number; log: (line: string) => void }) {
  const byName = new Map(options.functions.map((fn) => [fn.name, fn]));
  const byArn = new Map(options.functions.map((fn) => [localFunctionArn(fn.name), fn]));
  const machines = new Map(
    options.workflows.map((spec) => {
      const definition = scaledWaits(
        spec.definition((name) => {
          if (!byName.has(name) || !spec.invokes.includes(name)) throw new Error(`Workflow ${spec.name} invokes ${name}, which it does not declare`);
          return localFunctionArn(name);
        }),
      );
      const states = allStates(definition.States);
      const retries = Object.fromEntries(
        states
          .filter(([, state]) => Array.isArray(state.Retry))
          // Scaled like waits, but never under 100 ms: a retry at once would only meet the same conflict again.
          .map(([name, state]) => [name, Math.max(MIN_RETRY_MS, ((state.Retry as { IntervalSeconds?: number }[])[0]?.IntervalSeconds ?? 1) * (1000 / options.timeScale))]),
      );
      const handlers = Object.fromEntries(
        states
          .filter(([, state]) => state.Type === 'Task')
          .map(([name, state]) => [
            name,
            state.Resource === SCALED_WAIT
              ? ((input: Record<string, unknown>) => waitScaled(state.Comment as string, input, options.timeScale)) as never
              : (input: unknown) => invoke(byArn.get(state.Resource as string)!, input, name) as never,
          ]),
      );
      return [localWorkflowArn(spec.name), { spec, machine: new StateMachine(definition as never), handlers, retries }] as const;
    }),
  );
  const executions = new Map<string, Execution>();
  const running = new Set<Promise<unknown>>();

  function start(request: { stateMachineArn?: string; name?: string; input?: string }) {
    const target = machines.get(request.stateMachineArn ?? '');
    if (!target) throw new ServiceError('StateMachineDoesNotExist', `State machine does not exist: ${request.stateMachineArn}`);
    const name = request.name ?? randomUUID();
    const executionArn = `${request.stateMachineArn!.replace(':stateMachine:', ':execution:')}:${name}`;
    const existing = executions.get(executionArn);
    if (existing) {
      if (existing.status === 'RUNNING' && existing.input === (request.input ?? '{}')) return { executionArn, startDate: existing.startDate / 1000 };
      throw new ServiceError('ExecutionAlreadyExists', `Execution already exists: '${executionArn}'`);
    }
    const input = request.input ?? '{}';
    const run = target.machine.run(JSON.parse(input), {
      overrides: { taskResourceLocalHandlers: target.handlers, retryIntervalOverrides: target.retries },
      noThrowOnAbort: true,
    });
    const execution: Execution = { executionArn, stateMachineArn: request.stateMachineArn!, name, status: 'RUNNING', input, startDate: Date.now(), abort: run.abort };
    executions.set(executionArn, execution);
    const done = run.result.then(
      (output) => {
        if (execution.status !== 'RUNNING') return;
        Object.assign(execution, { status: 'SUCCEEDED', output: JSON.stringify(output), stopDate: Date.now() });
      },
      (error: Error & { cause?: unknown }) => {
        Object.assign(execution, { status: 'FAILED', error: error.name, cause: error.message, stopDate: Date.now() });
        options.log(`workflow ${target.spec.name} execution ${name} failed: ${error.message}`);
      },
    );
    running.add(done);
    void done.finally(() => running.delete(done));
    return { executionArn, startDate: execution.startDate / 1000 };
  }

  function describe(request: { executionArn?: string }) {
    const execution = executions.get(request.executionArn ?? '');
    if (!execution) throw new ServiceError('ExecutionDoesNotExist', `Execution does not exist: ${request.executionArn}`);
    const { abort, startDate, stopDate, ...rest } = execution;
    return { ...rest, startDate: startDate / 1000, ...(stopDate ? { stopDate: stopDate / 1000 } : {}) };
  }

  function stop(request: { executionArn?: string }) {
    const execution = executions.get(request.executionArn ?? '');
    if (!execution) throw new ServiceError('ExecutionDoesNotExist', `Execution does not exist: ${request.executionArn}`);
    if (execution.status === 'RUNNING') {
      Object.assign(execution, { status: 'ABORTED', stopDate: Date.now() });
      execution.abort();
    }
    return { stopDate: Date.now() / 1000 };
  }

  const operations: Record<string, (request: never) => unknown> = { StartExecution: start, DescribeExecution: describe, StopExecution: stop };
  let server: Server | undefined;
  return {
    /** Resolves when no execution is running. */
    async idle() {
      while (running.size) await Promise.allSettled([...running]);
    },
    async start(): Promise<string> {
      server = createServer(async (request, response) => {
        const operation = String(request.headers['x-amz-target'] ?? '').replace('AWSStepFunctions.', '');
        response.setHeader('content-type', 'application/x-amz-json-1.0');
        try {
          const handler = operations[operation];
          if (!handler) throw new ServiceError('UnknownOperationException', `${operation} is not emulated`);
          const body = JSON.parse((await readBody(request)).toString('utf8') || '{}') as never;
          response.end(JSON.stringify(handler(body)));
        } catch (error) {
          response.statusCode = 400;
          const type = error instanceof ServiceError ? error.type : 'InvalidParameterValue';
          response.end(JSON.stringify({ __type: type, message: (error as Error).message }));
        }
      });
      return `http://127.0.0.1:${await listen(server, 0)}`;
    },
    async stop() {
      for (const execution of executions.values()) if (execution.status === 'RUNNING') execution.abort();
      await new Promise((resolve) => server?.close(resolve));
    },
  };
}
