import type { Context } from 'aws-lambda';
import { logger } from '../../../shared/observability.ts';
import { sending } from '../adapters/services-sending.ts';

/** Tasks of the send workflow around the shards: plan the audience a chunk at a time, then mark the campaign sent. */
export const handler = async (input: { campaignId: string; finish?: boolean }, context: Context) => {
  logger.addContext(context);
  if (input.finish) {
    await sending.finish(input.campaignId);
    return { campaignId: input.campaignId, done: true };
  }
  return sending.plan(input.campaignId);
};
