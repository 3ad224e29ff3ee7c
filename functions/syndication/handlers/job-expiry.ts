import type { Context } from 'aws-lambda';
import { logger } from '../../../shared/observability.ts';
import { jobs } from '../adapters/services.ts';

/** The daily schedule: open jobs past their closing date are closed (and leave the feeds through JobClosed). */
export const handler = async (_event: unknown, context: Context) => {
  logger.addContext(context);
  const closed = await jobs.closeExpired('schedule:job-expiry');
  logger.info('Expired jobs closed', { closed });
  return { closed };
};
