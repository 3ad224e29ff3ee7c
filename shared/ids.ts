import { createHash } from 'node:crypto';
import { monotonicFactory } from 'ulid';

const ulid = monotonicFactory();

/** Prefixed ULIDs (`cand_01J…`): sortable by creation time, and their kind is visible at a glance. */
export const newId = (prefix: string): string => `${prefix}_${ulid()}`;

/** The time as the domain is given it (tests pass a fixed one): ISO 8601 instants in UTC. */
export interface Clock {
  now(): string;
}
/** The ids a context mints, limited to its own prefixes. */
export interface Ids<Prefix extends string> {
  next(prefix: Prefix): string;
}

export const clock: Clock = { now: () => new Date().toISOString() };

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/**
 * A prefixed ULID made from a time and a seed instead of randomness: the same seed gives the same id, so a retried
 * or repeated request recognises what it created before.
 */
export function derivedId(prefix: string, at: string, seed: string): string {
  let time = Date.parse(at);
  let timePart = '';
  for (let i = 0; i < 10; i++) {
    timePart = CROCKFORD[time % 32]! + timePart;
    time = Math.floor(time / 32);
  }
  const hash = createHash('sha256').update(seed).digest();
  let random = '';
  for (let i = 0; i < 16; i++) random += CROCKFORD[hash[i]! % 32];
  return `${prefix}_${timePart}${random}`;
}
