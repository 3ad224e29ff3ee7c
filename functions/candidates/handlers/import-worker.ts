import type { Context } from 'aws-lambda';
import { logger } from '../../../shared/observability.ts';
import { imports } from '../adapters/services-imports.ts';

/** What the chunked-job workflow passes: the job, and after exhausted retries, the error it caught. */
interface JobInput {
  jobId: string;
  error?: { Error?: string; Cause?: string };
}

/** Leaves this much of the invocation for the last batch and the checkpoint. */
const RESERVE_MS = 30_000;
/** A chunk stops after this long even with time to spare: progress stays visible and retries stay small. */
const CHUNK_MS = 60_000;

export const handler = async (input: JobInput, context: Context) => {
  logger.addContext(context);
  if (input.error) {
    logger.error('Import gave up after retries', { jobId: input.jobId, error: input.error });
    await imports.giveUp(input.jobId, input.error.Cause ?? input.error.Error ?? 'unknown error');
    return { jobId: input.jobId, done: true };
  }
  const deadline = Math.min(Date.now() + CHUNK_MS, Date.now() + context.getRemainingTimeInMillis() - RESERVE_MS);
  return { jobId: input.jobId, done: await imports.work(input.jobId, deadline) };
};
