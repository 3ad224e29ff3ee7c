import { eventConsumer } from '../../../shared/events/consumer.ts';
import { NotFound } from '../../../shared/errors.ts';
import { logger } from '../../../shared/observability.ts';
import { candidates, timeline } from '../adapters/services.ts';
import { activityEvents } from '../api.ts';

/** What the person did themselves, or a recruiter did with them: what "last activity" (segments, retention) measures. */
const activity = new Set(['TouchpointLogged', 'CandidateReplied', 'EventAttended']);

export const handler = eventConsumer(activityEvents, async (event) => {
  try {
    if (event.detailType !== 'TouchpointLogged') await timeline.recordActivity(event);
    if (activity.has(event.detailType)) await candidates.touch(event.detail.candidateId, event.detail.occurredAt);
  } catch (error) {
    // The candidate was erased after the event: there is no timeline left to write to.
    if (!(error instanceof NotFound)) throw error;
    logger.info('Skipping activity of a candidate that no longer exists', { eventId: event.detail.eventId });
  }
});
