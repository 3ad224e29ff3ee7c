import { addEngagement, type Engagement, type EngagementKind } from './engagement.ts';

/** One event that counts towards engagement; `eventId` is what a redelivery repeats. */
export interface EngagementSignal {
  candidateId: string;
  eventId: string;
  kind: EngagementKind;
  occurredAt: string;
}

export interface EngagementStore {
  /** The stored engagement and its version (0 when there is none yet). */
  read(candidateId: string): Promise<{ engagement?: Engagement; version: number }>;
  /**
   * Saves the new engagement, its copy on the profile and the event as counted, all at once, only if the stored
   * version is still `expected` (`stale`), the event was not counted before (`duplicate`) and the person exists (`gone`).
   */
  save(signal: EngagementSignal, next: Engagement, expected: number): Promise<'saved' | 'duplicate' | 'stale' | 'gone'>;
}

const MAX_ATTEMPTS = 8;

/** Which events count, and as what: only human opens and clicks of emails (machine opens are never published). */
export function engagementKindOf(event: { detailType: string; detail: object }): EngagementKind | undefined {
  switch (event.detailType) {
    case 'EmailActivity': {
      const kind = 'kind' in event.detail ? event.detail.kind : undefined;
      return kind === 'opened' || kind === 'clicked' ? kind : undefined;
    }
    case 'CandidateReplied':
      return 'replied';
    case 'ApplicationReceived':
      return 'applied';
    case 'EventAttended':
      return 'attended';
  }
  return undefined;
}

/**
 * `pause(attempt)` waits before trying again after losing a race: events of one person often come in bursts (an
 * open and a click a second apart, a campaign's opens), and retrying at once would collide again.
 */
export function engagementService({ store, pause }: { store: EngagementStore; pause: (attempt: number) => Promise<void> }) {
  return {
    /** Adds one event once: a redelivered event is recognised by its id, a concurrent one re-reads and tries again. */
    async record(signal: EngagementSignal): Promise<'saved' | 'duplicate' | 'gone'> {
      for (let attempt = 1; ; attempt++) {
        const { engagement, version } = await store.read(signal.candidateId);
        const outcome = await store.save(signal, addEngagement(engagement, signal.kind, signal.occurredAt), version);
        if (outcome !== 'stale') return outcome;
        if (attempt >= MAX_ATTEMPTS) throw new Error(`Engagement of ${signal.candidateId} kept moving; the event will be retried`);
        await pause(attempt);
      }
    },
  };
}
