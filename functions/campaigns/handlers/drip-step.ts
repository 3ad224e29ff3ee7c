import type { Context } from 'aws-lambda';
import { logger } from '../../../shared/observability.ts';
import { drips } from '../adapters/services-sending.ts';
import type { DripState } from '../domain/drip-service.ts';

/** One step of one drip enrollment: check, send, record, say when the next step is due (the drip workflow's Task). */
export const handler = async (input: DripState, context: Context) => {
  logger.addContext(context);
  return drips.step(input, context.awsRequestId);
};
