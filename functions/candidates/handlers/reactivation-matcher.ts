import { eventConsumer } from '../../../shared/events/consumer.ts';
import { logger } from '../../../shared/observability.ts';
import { matcher } from '../adapters/services-reactivation-matcher.ts';
import { reactivationTriggers } from '../reactivation-api.ts';

/** A job was published: silver medalists who fit it become recruiter tasks and, if set, drip enrollments. */
export const handler = eventConsumer(reactivationTriggers, async ({ detail }) => {
  const result = await matcher.jobPublished(detail);
  logger.info('Silver medalists matched against a published job', { jobId: detail.jobId, ...result });
});
