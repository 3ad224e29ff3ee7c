/** Amazon States Language, kept to the subset the local Step Functions emulator runs (JSONPath, no Distributed Map). */
export type StateMachineDefinition = { Comment?: string; StartAt: string; States: Record<string, Record<string, unknown>>; TimeoutSeconds?: number };

/** The environment variable a function reads a workflow's ARN from. */
export const workflowVariable = (name: string) => `WORKFLOW_${name.toUpperCase().replace(/-/g, '_')}`;

/**
 * A long job done in chunks: the worker does a bounded piece of work from the job's checkpoint and answers
 * `{jobId, done}`; the loop calls it again until done. Two state transitions per chunk. A crashed chunk is retried
 * from the last checkpoint; when retries run out the worker is called once more with `error` to record the failure.
 */
export function chunkedJob(workerArn: string): StateMachineDefinition {
  return {
    Comment: 'Runs a job chunk by chunk from its checkpoint until the worker says it is done',
    StartAt: 'Work',
    States: {
      Work: {
        Type: 'Task',
        Resource: workerArn,
        Retry: [{ ErrorEquals: ['States.ALL'], IntervalSeconds: 2, MaxAttempts: 5, BackoffRate: 2 }],
        Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'RecordFailure' }],
        Next: 'Done?',
      },
      'Done?': {
        Type: 'Choice',
        Choices: [{ Variable: '$.done', BooleanEquals: true, Next: 'Finished' }],
        Default: 'Work',
      },
      RecordFailure: {
        Type: 'Task',
        Resource: workerArn,
        Retry: [{ ErrorEquals: ['States.ALL'], IntervalSeconds: 2, MaxAttempts: 5, BackoffRate: 2 }],
        Next: 'Failed',
      },
      Failed: { Type: 'Fail', Error: 'JobFailed', Cause: 'The job failed; its status says why.' },
      Finished: { Type: 'Succeed' },
    },
  };
}
