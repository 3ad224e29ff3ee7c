import { SesEmailEvents } from '../../../events/ses.ts';
import { eventConsumer } from '../../../shared/events/consumer.ts';
import { tracking } from '../adapters/services-subscriptions.ts';

/** SES's sending events, from the configuration set's EventBridge destination: status, counters, suppression. */
export const handler = eventConsumer(SesEmailEvents, async ({ detail }) => {
  await tracking.record(detail);
});
