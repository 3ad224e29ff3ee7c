import type { Context } from 'aws-lambda';
import { logger } from '../../../shared/observability.ts';
import { consents } from '../adapters/consent-services.ts';

/** The daily schedule: people whose consent runs out within 30 days get one email with a one-click renew link. */
export const handler = async (_event: unknown, context: Context) => {
  logger.addContext(context);
  const result = await consents.askForRenewals();
  logger.info('Consent renewals asked', { asked: result.asked, skipped: result.skipped, failed: result.failed.length });
  // Failing makes the scheduler retry; those already asked are not asked again.
  if (result.failed.length) throw new Error(`Could not ask ${result.failed.length} people to renew: ${JSON.stringify(result.failed)}`);
  return result;
};
