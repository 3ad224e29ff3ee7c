import { eventConsumer } from '../../../shared/events/consumer.ts';
import { logger } from '../../../shared/observability.ts';
import { analytics } from '../adapters/services.ts';
import { analyticsEvents } from '../api.ts';

/** Keeps the analytics rollups: each event counted once, whatever how often it is delivered. */
export const handler = eventConsumer(analyticsEvents, async (event) => {
  const outcome = await analytics.record(event);
  if (outcome === 'duplicate') logger.info('Event already counted', { eventId: event.detail.eventId, detailType: event.detailType });
});
