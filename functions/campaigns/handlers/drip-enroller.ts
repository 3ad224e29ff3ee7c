import type { Context } from 'aws-lambda';
import { logger } from '../../../shared/observability.ts';
import { drips } from '../adapters/services-sending.ts';

/** Enrols a launched drip's audience a chunk at a time (a Task of the enroll workflow). */
export const handler = async (input: { jobId: string; error?: { Error?: string; Cause?: string } }, context: Context) => {
  logger.addContext(context);
  if (input.error) {
    logger.error('Enrolling gave up after retries', { campaignId: input.jobId, error: input.error });
    return { jobId: input.jobId, done: true };
  }
  return drips.enrollChunk(input.jobId);
};
