import * as z from 'zod';

/** Every event's detail carries its own id (consumers dedupe on it) and the time it happened. */
export const EventMeta = z.object({
  eventId: z.string(),
  occurredAt: z.iso.datetime(),
  /** Who caused it: a user's JWT subject, `system`, or `public`. */
  actor: z.string(),
});

export interface EventContract<T extends string = string, S extends z.ZodType = z.ZodType> {
  detailType: T;
  source: string;
  version: number;
  /** The detail's schema, shared by producer and consumers. */
  detail: S;
  /** AWS services publish to the account's default bus; the domain's own events go to the talent-relay bus. */
  bus?: 'default';
}

export const BUS_NAME = 'talent-relay';

export function defineEvent<const T extends string, P extends z.ZodRawShape>(source: string, detailType: T, payload: z.ZodObject<P>) {
  return { detailType, source, version: 1, detail: EventMeta.extend(payload.shape) } satisfies EventContract<T>;
}

export type DetailOf<E extends EventContract> = z.output<E['detail']>;
/** What a producer supplies: the payload without the meta fields every event carries. */
export type PayloadOf<E extends EventContract> = Omit<DetailOf<E>, keyof z.output<typeof EventMeta>>;
export type EventMeta = z.output<typeof EventMeta>;

/** An event as it goes into the outbox and onto the bus. */
export interface DomainEvent {
  source: string;
  detailType: string;
  detail: EventMeta & Record<string, unknown>;
}

/** Builds an event, validating the detail against the contract's schema (the one consumers parse with). */
export function makeEvent<E extends EventContract>(contract: E, meta: EventMeta, payload: PayloadOf<E>): DomainEvent {
  return { source: contract.source, detailType: contract.detailType, detail: contract.detail.parse({ ...meta, ...payload }) as DomainEvent['detail'] };
}

/** The EventBridge rule pattern that matches any of these events. */
export function patternFor(...contracts: EventContract[]) {
  return {
    source: [...new Set(contracts.map((c) => c.source))],
    'detail-type': contracts.map((c) => c.detailType),
  };
}
