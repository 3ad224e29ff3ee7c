import type { Context } from 'aws-lambda';
import { logger } from '../../../shared/observability.ts';
import { segments } from '../adapters/services-segments.ts';

/** A Task of the backfill workflow: evaluates pages of candidates against a segment's rule until its time is up. */
export const handler = async (input: { jobId: string; error?: unknown }, context: Context) => {
  logger.addContext(context);
  if (input.error) {
    logger.error('Segment backfill gave up after retries', { segmentId: input.jobId, error: input.error as Record<string, unknown> });
    await segments.backfillFailed(input.jobId);
    return { jobId: input.jobId, done: true };
  }
  const deadline = Math.min(Date.now() + 60_000, Date.now() + context.getRemainingTimeInMillis() - 20_000);
  return { jobId: input.jobId, done: await segments.backfill(input.jobId, deadline) };
};
