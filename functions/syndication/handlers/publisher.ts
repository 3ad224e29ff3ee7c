import { jobChanges } from '../../../events/syndication.ts';
import { eventConsumer } from '../../../shared/events/consumer.ts';
import { logger } from '../../../shared/observability.ts';
import { publishing } from '../adapters/services-publishing.ts';

/** A job opened, closed or changed: the feeds, its page and the sites that list jobs are rendered again. */
export const handler = eventConsumer(jobChanges, async ({ detail }) => {
  const result = await publishing.refreshJobs([detail.jobId]);
  logger.info('Public files regenerated', { jobId: detail.jobId, ...result });
});
