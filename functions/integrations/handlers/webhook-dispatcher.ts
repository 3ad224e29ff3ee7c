import { eventConsumer } from '../../../shared/events/consumer.ts';
import { deliveries } from '../adapters/webhook-services.ts';
import { webhookEvents } from '../domain/webhook-events.ts';

/** Starts a delivery per subscribed webhook for each offered domain event (redelivered events start nothing new). */
export const handler = eventConsumer(webhookEvents, (event) => deliveries.dispatch(event));
