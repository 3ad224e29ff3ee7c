import { publicChanges } from '../../../events/syndication.ts';
import { eventConsumer } from '../../../shared/events/consumer.ts';
import { logger } from '../../../shared/observability.ts';
import { publishing } from '../adapters/services-publishing.ts';

/** A job or site changed: the feeds, the sitemap and, for a job, its page and the sites that list jobs are rendered again. */
export const handler = eventConsumer(publicChanges, async ({ detail }) => {
  const jobIds = 'jobId' in detail ? [detail.jobId] : [];
  const result = await publishing.refresh(jobIds);
  logger.info('Public files regenerated', { ...detail, ...result });
});
