import type { Context } from 'aws-lambda';
import { logger } from '../../../shared/observability.ts';
import { segments } from '../adapters/services-segments.ts';

/** The daily schedule: segments whose rules age with time (last activity) are evaluated again. */
export const handler = async (_event: unknown, context: Context) => {
  logger.addContext(context);
  const result = await segments.refreshAging();
  logger.info('Aging segments refreshed', result);
  return result;
};
