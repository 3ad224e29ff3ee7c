import { eventConsumer } from '../../../shared/events/consumer.ts';
import { analytics } from '../adapters/services.ts';
import { emailEvents } from '../api.ts';

/** Sends, deliveries and machine opens of campaign emails, from SES's own events: counted once per message. */
export const handler = eventConsumer(emailEvents, async ({ detail }) => {
  await analytics.recordEmail(detail);
});
