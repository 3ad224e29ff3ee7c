import type { Context } from 'aws-lambda';
import { logger } from '../../../shared/observability.ts';
import { tasks } from '../adapters/services-tasks.ts';

/** The daily schedule: each recruiter gets one email with their overdue and today's follow-ups. */
export const handler = async (_event: unknown, context: Context) => {
  logger.addContext(context);
  const result = await tasks.sendDigests();
  logger.info('Task digests sent', result);
  return result;
};
