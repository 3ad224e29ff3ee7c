/** Amazon States Language, kept to the subset the local Step Functions emulator runs (JSONPath, no Distributed Map). */
export type StateMachineDefinition = { Comment?: string; StartAt: string; States: Record<string, Record<string, unknown>>; TimeoutSeconds?: number };

export const retryAll = { ErrorEquals: ['States.ALL'], IntervalSeconds: 2, MaxAttempts: 5, BackoffRate: 2 };
/** When retries run out: the error goes to the RecordFailure state, which records it on the job. */
export const recordFailure = () => [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'RecordFailure' }];
/** SES throttling: a longer back-off than other failures, up to five minutes between tries. */
const retryThrottled = { ErrorEquals: ['Throttled'], IntervalSeconds: 5, MaxAttempts: 12, BackoffRate: 2, MaxDelaySeconds: 300 };

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
        Retry: [retryAll],
        Catch: recordFailure(),
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
        Retry: [retryAll],
        Next: 'Failed',
      },
      Failed: { Type: 'Fail', Error: 'JobFailed', Cause: 'The job failed; its status says why.' },
      Finished: { Type: 'Succeed' },
    },
  };
}


/**
 * A one-shot campaign send: wait for its time, plan the audience into recipients a chunk at a time, then send the
 * shards in parallel (bounded), each a loop of the worker from its checkpoint, and mark the campaign sent. State
 * history stays small at any audience size: a planner call covers a thousand people, a worker call a minute of
 * sending. SES throttling is retried with a longer back-off than other failures.
 */
export function campaignSend(plannerArn: string, workerArn: string, concurrency: number): StateMachineDefinition {
  return {
    Comment: 'Sends a one-shot campaign: plan, send the shards in parallel, finish',
    StartAt: 'WaitForSendTime',
    States: {
      WaitForSendTime: { Type: 'Wait', TimestampPath: '$.sendAt', Next: 'Plan' },
      Plan: {
        Type: 'Task', Resource: plannerArn, Parameters: { 'campaignId.$': '$.campaignId' }, ResultPath: '$.plan', Retry: [retryAll],
        Catch: recordFailure(), Next: 'Planned?',
      },
      'Planned?': { Type: 'Choice', Choices: [{ Variable: '$.plan.done', BooleanEquals: true, Next: 'SendShards' }], Default: 'Plan' },
      SendShards: {
        Type: 'Map',
        ItemsPath: '$.plan.shards',
        MaxConcurrency: concurrency,
        ItemSelector: { 'campaignId.$': '$.campaignId', 'shard.$': '$$.Map.Item.Value', 'resumeAt.$': '$.sendAt' },
        ItemProcessor: {
          ProcessorConfig: { Mode: 'INLINE' },
          StartAt: 'SendChunk',
          States: {
            SendChunk: { Type: 'Task', Resource: workerArn, Retry: [retryThrottled, retryAll], Next: 'ShardDone?' },
            'ShardDone?': {
              Type: 'Choice',
              Choices: [
                { Variable: '$.done', BooleanEquals: true, Next: 'ShardSent' },
                { Variable: '$.resumeAt', IsPresent: true, Next: 'WaitToResume' },
              ],
              Default: 'SendChunk',
            },
            // Until recipients' local send windows open, or a minute while paused: the one execution waits.
            WaitToResume: { Type: 'Wait', TimestampPath: '$.resumeAt', Next: 'SendChunk' },
            ShardSent: { Type: 'Succeed' },
          },
        },
        ResultPath: null,
        Catch: recordFailure(),
        Next: 'Finish',
      },
      Finish: {
        Type: 'Task', Resource: plannerArn, Parameters: { 'campaignId.$': '$.campaignId', finish: true }, Retry: [retryAll],
        Catch: recordFailure(), End: true,
      },
      RecordFailure: {
        Type: 'Task', Resource: plannerArn, Parameters: { 'campaignId.$': '$.campaignId', 'error.$': '$.error' }, Retry: [retryAll], Next: 'Failed',
      },
      Failed: { Type: 'Fail', Error: 'SendFailed', Cause: 'Sending failed after retries; the campaign can be resumed.' },
    },
  };
}

/**
 * One drip enrollment: wait until the step is due, run the step (check, send, record, and say when the next is due),
 * loop. Three state transitions per email, the least a timed series can take.
 */
export function dripEnrollment(stepArn: string): StateMachineDefinition {
  return {
    Comment: 'Sends a drip sequence to one person, a step at a time, until it completes or stops',
    StartAt: 'WaitForStep',
    States: {
      WaitForStep: { Type: 'Wait', TimestampPath: '$.sendAt', Next: 'Step' },
      Step: {
        Type: 'Task',
        Resource: stepArn,
        Retry: [retryThrottled, retryAll],
        Next: 'More?',
      },
      'More?': { Type: 'Choice', Choices: [{ Variable: '$.done', BooleanEquals: true, Next: 'Finished' }], Default: 'WaitForStep' },
      Finished: { Type: 'Succeed' },
    },
  };
}
