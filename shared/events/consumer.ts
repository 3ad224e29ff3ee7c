import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { EventBridgeEvent } from 'aws-lambda';
import type { DetailOf, EventContract } from '../../events/contract.ts';
import { logger } from '../observability.ts';

/** One of the subscribed events, its detail typed by its contract. */
export type Delivered<E extends EventContract> = E extends EventContract ? { detailType: E['detailType']; detail: DetailOf<E> } : never;

/**
 * An EventBridge consumer for the given contracts: the detail is parsed with the producer's schema.
 * Delivery is at least once; `consume` must be idempotent (dedupe on `detail.eventId`).
 */
export function eventConsumer<E extends EventContract>(contracts: readonly E[], consume: (event: Delivered<E>) => Promise<void>) {
  const byType = new Map(contracts.map((c) => [c.detailType, c]));
  return middy(async (event: EventBridgeEvent<string, unknown>) => {
    const contract = byType.get(event['detail-type']);
    if (!contract) {
      logger.warn('Ignoring an event this consumer does not subscribe to', { detailType: event['detail-type'] });
      return;
    }
    await consume({ detailType: contract.detailType, detail: contract.detail.parse(event.detail) } as Delivered<E>);
  }).use(injectLambdaContext(logger));
}
