import { eventConsumer } from '../../../shared/events/consumer.ts';
import { surveys } from '../adapters/survey-services.ts';
import { surveyTriggers } from '../survey-api.ts';

/** Starts the delayed invitation of each active survey an application, its status or an attended event triggers. */
export const handler = eventConsumer(surveyTriggers, async (event) => {
  await surveys.triggered(event);
});
