import type { Context } from 'aws-lambda';
import { logger } from '../../../shared/observability.ts';
import { deliveries } from '../adapters/webhook-services.ts';
import type { DeliveryState } from '../domain/webhook-ports.ts';

/**
 * The delivery workflow's Task: one try of one delivery. With `failure` (tries kept failing on our side) it
 * dead-letters the delivery instead.
 */
export const handler = async (input: DeliveryState & { failure?: unknown }, context: Context) => {
  logger.addContext(context);
  const { failure, ...state } = input;
  if (failure) {
    logger.error('A webhook delivery failed on our side', { deliveryId: state.deliveryId, failure });
    return deliveries.giveUp(state);
  }
  return deliveries.attempt(state);
};
