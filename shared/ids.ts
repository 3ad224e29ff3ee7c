import { monotonicFactory } from 'ulid';

const ulid = monotonicFactory();

/** Prefixed ULIDs (`cand_01J…`): sortable by creation time, and their kind is visible at a glance. */
export const newId = (prefix: string): string => `${prefix}_${ulid()}`;

export const clock = { now: (): string => new Date().toISOString() };
