import { eventConsumer } from '../../../shared/events/consumer.ts';
import { tracking } from '../adapters/services-subscriptions.ts';
import { drips } from '../adapters/services-sending.ts';

import { dripTriggers } from '../api.ts';

export const handler = eventConsumer(dripTriggers, async ({ detailType, detail }) => {
  switch (detailType) {
    case 'SegmentEntered':
      await drips.enrollNewcomer(detail.segmentId, detail.candidateId);
      return;
    case 'CandidateReplied':
      await drips.stopFor(detail.candidateId, 'reply');
      return;
    case 'CandidateUnsubscribed':
      await drips.stopFor(detail.candidateId, 'unsubscribe');
      return;
    case 'ApplicationStatusChanged':
      // A new application (no previous status) is an apply.
      if (detail.from !== undefined) return;
      await tracking.recordApplication(detail.candidateId, detail.occurredAt);
      await drips.stopFor(detail.candidateId, 'apply');
  }
});
