import { eventConsumer } from '../../../shared/events/consumer.ts';
import { NotFound } from '../../../shared/errors.ts';
import { logger } from '../../../shared/observability.ts';
import { timeline } from '../adapters/services.ts';
import { timelineEvents } from '../api.ts';

export const handler = eventConsumer(timelineEvents, async (event) => {
  try {
    await timeline.recordActivity(event);
  } catch (error) {
    // The candidate was erased after the event: there is no timeline left to write to.
    if (!(error instanceof NotFound)) throw error;
    logger.info('Skipping activity of a candidate that no longer exists', { eventId: event.detail.eventId });
  }
});
