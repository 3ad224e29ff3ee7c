import type { Context } from 'aws-lambda';
import { logger } from '../../../shared/observability.ts';
import { dynamoErasureRecords, dynamoErasureSteps } from '../adapters/erasures.ts';
import { eraseChunk } from '../domain/erasure.ts';

/** What the chunked-job workflow passes: the person, and after exhausted retries, the error it caught. */
interface JobInput {
  jobId: string;
  error?: { Error?: string; Cause?: string };
}

/** Leaves this much of the invocation for the step under way and its checkpoint. */
const RESERVE_MS = 30_000;

export const handler = async (input: JobInput, context: Context) => {
  logger.addContext(context);
  if (input.error) {
    // The record keeps the steps done; erasing again (DELETE, or the request link) starts a new run from there.
    logger.error('Erasure gave up after retries', { candidateId: input.jobId, error: input.error });
    await dynamoErasureRecords.failed(input.jobId, new Date().toISOString());
    return { jobId: input.jobId, done: true };
  }
  const deadline = Date.now() + context.getRemainingTimeInMillis() - RESERVE_MS;
  return { jobId: input.jobId, done: await eraseChunk(input.jobId, deadline, { records: dynamoErasureRecords, steps: dynamoErasureSteps, now: () => new Date().toISOString() }) };
};
