import type { Context } from 'aws-lambda';
import { logger } from '../../../shared/observability.ts';
import { sending } from '../adapters/services-sending.ts';

/** Tasks of the send workflow around the shards: plan the audience a chunk at a time, then mark the campaign sent or failed. */
export const handler = async (input: { campaignId: string; finish?: boolean; error?: { Error?: string; Cause?: string } }, context: Context) => {
  logger.addContext(context);
  if (input.error) {
    logger.error('Sending gave up after retries', { campaignId: input.campaignId, error: input.error });
    await sending.finish(input.campaignId, input.error.Cause ?? input.error.Error ?? 'unknown error');
    return { campaignId: input.campaignId, done: true };
  }
  if (input.finish) {
    await sending.finish(input.campaignId);
    return { campaignId: input.campaignId, done: true };
  }
  return sending.plan(input.campaignId);
};
