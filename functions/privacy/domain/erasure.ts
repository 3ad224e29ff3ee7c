import type { ErasureStatus } from '../schemas.ts';
import type { ErasureReason } from './ports.ts';

/**
 * An erasure is a resumable job: each step removes one kind of data and is safe to repeat, and the record keeps
 * which steps are done, so a crash or a timeout resumes where it stopped. The duplicate pairs come first (they are
 * found through index entries that go with the profile); the profile goes next, so the person disappears from
 * every read at once; the person's own partition goes last (merges, replies and outbox entries are found through
 * their timeline).
 */
export const ERASURE_STEPS = [
  'duplicates', 'profile', 'drips', 'emails', 'applications', 'tasks', 'segments', 'pools', 'merges', 'replies', 'outbox', 'files',
  'suppression', 'idempotency', 'partition',
] as const;
export type ErasureStep = (typeof ERASURE_STEPS)[number];

/** What the steps need to know about the person; kept on the erasure record only until it completes. */
export interface ErasureSubject {
  email: string;
  phone?: string;
  pools: string[];
}

export interface ErasureRecord extends ErasureStatus {
  reason: ErasureReason;
  actor: string;
  /** Runs of the workflow: a run that gave up is started again under a new execution name. */
  attempt: number;
  failedAt?: string;
  subject?: ErasureSubject;
}

/** The port the steps are run through; each must be idempotent. */
export interface ErasureSteps {
  run(step: ErasureStep, record: ErasureRecord & { subject: ErasureSubject }): Promise<void>;
}

export interface ErasureRecords {
  get(candidateId: string): Promise<ErasureRecord | undefined>;
  /** Marks one more step done (no-op when it already is). */
  stepDone(candidateId: string, step: ErasureStep): Promise<void>;
  complete(candidateId: string, at: string): Promise<void>;
  failed(candidateId: string, at: string): Promise<void>;
}

/** One chunk of an erasure, until `deadline` (ms since epoch): answers whether it is finished. */
export async function eraseChunk(candidateId: string, deadline: number, deps: { records: ErasureRecords; steps: ErasureSteps; now: () => string }): Promise<boolean> {
  const record = await deps.records.get(candidateId);
  if (!record || record.status === 'completed') return true;
  if (!record.subject) throw new Error(`The erasure of ${candidateId} has lost what it needs to know about the person`);
  for (const step of ERASURE_STEPS) {
    if (record.steps.includes(step)) continue;
    await deps.steps.run(step, { ...record, subject: record.subject });
    await deps.records.stepDone(candidateId, step);
    if (Date.now() > deadline) return false;
  }
  await deps.records.complete(candidateId, deps.now());
  return true;
}
