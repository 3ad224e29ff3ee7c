import type { Context } from 'aws-lambda';
import { logger } from '../../../shared/observability.ts';
import { drips } from '../adapters/services-sending.ts';
import type { DripState } from '../domain/drip-service.ts';

/** One step of one drip enrollment: check, send, record, say when the next step is due (the drip workflow's Task). */
export const handler = async (input: DripState, context: Context) => {
  logger.addContext(context);
  // As the invocation starts, its remaining time is the function's timeout (from the manifest): how long a try can last.
  return drips.step(input, { id: context.awsRequestId, timeoutMs: context.getRemainingTimeInMillis() });
};
