import type { DomainEvent } from '../events/contract.ts';
import { Conflict, PreconditionFailed } from './errors.ts';

/** A write lost a race: the stored version moved on since it was read. */
export class StaleVersion extends Error {}

/** How many times a change is re-applied when another writer got in first (without If-Match). */
const MAX_ATTEMPTS = 3;

/**
 * Read, apply, write with a version check. A concurrent write makes us re-read and re-apply, unless the caller
 * pinned the version with If-Match: then it is their stale copy and they get 412. `apply` returning the current
 * object unchanged writes nothing.
 */
export async function changeVersioned<T extends { version: number }>(
  what: string,
  deps: { get: () => Promise<T>; replace: (current: T, next: T, events: DomainEvent[]) => Promise<void>; now: () => string },
  apply: (current: T, now: string) => { next: T; events: DomainEvent[] },
  ifMatch?: number,
): Promise<{ value: T; changed: boolean }> {
  for (let attempt = 1; ; attempt++) {
    const current = await deps.get();
    if (ifMatch !== undefined && ifMatch !== current.version) {
      throw new PreconditionFailed(`The ${what} is at version ${current.version}, not ${ifMatch}. Read it again and retry.`, { currentVersion: current.version });
    }
    const { next, events } = apply(current, deps.now());
    if (next === current) return { value: current, changed: false };
    try {
      await deps.replace(current, next, events);
      return { value: next, changed: true };
    } catch (error) {
      if (!(error instanceof StaleVersion)) throw error;
      if (ifMatch !== undefined) throw new PreconditionFailed(`The ${what} changed while this update was applied. Read it again and retry.`);
      if (attempt >= MAX_ATTEMPTS) throw new Conflict(`The ${what} is being changed by someone else right now. Retry in a moment.`);
    }
  }
}
