import { eventConsumer } from '../../../shared/events/consumer.ts';
import { logger } from '../../../shared/observability.ts';
import { engagement } from '../adapters/services-engagement.ts';
import { engagementKindOf } from '../domain/engagement-service.ts';
import { engagementSignals } from '../matching-api.ts';

/** Keeps each person's engagement score as the events that count arrive (at least once, in any order). */
export const handler = eventConsumer(engagementSignals, async (event) => {
  const kind = engagementKindOf(event);
  if (!kind) return;
  const { candidateId, eventId, occurredAt } = event.detail;
  const outcome = await engagement.record({ candidateId, eventId, kind, occurredAt });
  if (outcome !== 'saved') logger.info('Engagement event not counted', { eventId, outcome });
});
