import { CandidateReplied, CandidateUnsubscribed, EmailActivity } from '../../../events/campaigns.ts';
import { makeEvent, type DomainEvent } from '../../../events/contract.ts';
import type { RecipientStatus } from '../schemas.ts';
import { trackingFact, type SesEventRecord, type TrackingFact } from './email-tracking.ts';
import type { Audiences, CampaignStore, Clock, Ids, RecipientRecord, Signer, SuppressionStore, TrackingChange } from './ports.ts';
import { replyTokenFrom, type ParsedReply } from './replies.ts';
import { shardOf } from './shards.ts';

export interface TrackingDeps {
  campaigns: CampaignStore;
  suppressions: SuppressionStore;
  audiences: Audiences;
  signer: Signer;
  clock: Clock;
  ids: Ids;
}

/** Progress only moves forward; a failure outranks any progress. Out-of-order events cannot move a status back. */
const rank: Record<RecipientStatus, number> = {
  pending: 0, claimed: 1, skipped: 2, sent: 2, delivered: 3, opened: 4, clicked: 5, bounced: 6, complained: 7, rejected: 6, failed: 6,
};
/** Replies count once a campaign, and an application counts for the campaigns a person got in the month before. */
export const ATTRIBUTION_DAYS = 30;
const MAX_ATTEMPTS = 3;

type Change = Omit<TrackingChange, 'expectedStatus' | 'events'> & { activity?: 'sent' | 'opened' | 'clicked' | 'bounced' | 'complained'; url?: string };

/** What a tracking fact changes on a recipient, or nothing. */
function changeFor(fact: TrackingFact, recipient: RecipientRecord): Change | undefined {
  switch (fact.kind) {
    case 'sent':
      // The sender records the message id as it settles; this covers a sender that crashed before settling.
      return { firstField: 'messageId', at: fact.at, extra: { messageId: fact.messageId }, counters: {} };
    case 'delivered':
      return { firstField: 'deliveredAt', at: fact.at, status: 'delivered', counters: { delivered: 1 } };
    case 'bounced':
      return fact.hardBounce
        ? { firstField: 'bouncedAt', at: fact.at, status: 'bounced', extra: detail(fact), counters: { bounced: 1 }, activity: 'bounced' }
        : undefined;
    case 'complained':
      return { firstField: 'complainedAt', at: fact.at, status: 'complained', counters: { complained: 1 }, activity: 'complained' };
    case 'rejected':
      return { firstField: 'rejectedAt', at: fact.at, status: 'rejected', extra: detail(fact), counters: { rejected: 1 } };
    case 'renderingFailed':
      return { firstField: 'failedAt', at: fact.at, status: 'failed', extra: detail(fact), counters: { failed: 1 } };
    case 'delayed':
      return { firstField: 'delayedAt', at: fact.at, extra: detail(fact), counters: {} };
    case 'opened':
      return fact.machine
        ? { firstField: 'machineOpenedAt', at: fact.at, counters: { openedMachine: 1 } }
        : { firstField: 'openedAt', at: fact.at, status: 'opened', counters: { openedHuman: 1 }, activity: 'opened' };
    case 'clicked': {
      if (fact.machine) return undefined;
      // A click is an open too: images are often blocked, so many people click without a tracked open.
      const opened = recipient.openedAt ? {} : { openedAt: fact.at };
      return {
        firstField: 'clickedAt', at: fact.at, status: 'clicked', extra: { ...opened, ...(fact.url ? { clickedUrl: fact.url } : {}) },
        counters: { clicked: 1, ...(recipient.openedAt ? {} : { openedHuman: 1 }) }, activity: 'clicked', url: fact.url,
      };
    }
  }
}
const detail = (fact: TrackingFact) => (fact.detail ? { detail: fact.detail.slice(0, 500) } : {});

/**
 * Any event of a message proves SES accepted it: a recipient without its message id (the sender crashed before
 * recording it, and SES's SEND event was lost or is late) gets it from whichever event comes, so a retry settles the
 * recipient as sent instead of sending again.
 */
function withMessageId(change: Change | undefined, recipient: RecipientRecord, messageId: string): Change | undefined {
  if (!change || recipient.messageId || change.firstField === 'messageId') return change;
  return { ...change, extra: { ...change.extra, messageId } };
}

export function trackingService({ campaigns, suppressions, audiences, signer, clock, ids }: TrackingDeps) {
  const meta = (actor = 'system') => ({ eventId: ids.next('evt'), occurredAt: clock.now(), actor });

  /**
   * Applies a change once: a redelivered event finds its guard field set; a concurrent one re-reads, and the change is
   * worked out again from what it reads (a click that raced an open must not count the open twice).
   */
  async function apply(recipient: RecipientRecord, changeOf: (r: RecipientRecord) => Change | undefined, events: (r: RecipientRecord, change: Change) => DomainEvent[]): Promise<boolean> {
    let current: RecipientRecord | undefined = recipient;
    for (let attempt = 1; current && attempt <= MAX_ATTEMPTS; attempt++) {
      const change = changeOf(current);
      if (!change || current[change.firstField] !== undefined) return false;
      const status = change.status && rank[change.status] > rank[current.status] ? change.status : undefined;
      const outcome = await campaigns.track(current, { ...change, ...(status ? { status } : { status: undefined }), expectedStatus: current.status, events: events(current, change) });
      if (outcome !== 'moved') return outcome === 'applied';
      current = await campaigns.recipient(current.campaignId, current.shard, current.candidateId, current.step);
    }
    return false;
  }

  return {
    /** One SES event (at least once, in any order): per-recipient status, counters, suppression, timeline. */
    async record(record: SesEventRecord): Promise<TrackingFact | undefined> {
      const first = trackingFact(record, {});
      // Any email to a dead or complaining address, campaign or not, stops all email to it.
      if ((first.kind === 'bounced' && first.hardBounce) || first.kind === 'complained') {
        await suppressions.add({ email: first.email.toLowerCase(), reason: first.kind === 'complained' ? 'complaint' : 'bounce', ...(first.campaignId ? { campaignId: first.campaignId } : {}), createdAt: first.at });
      }
      if (!first.campaignId || !first.candidateId) return first;
      const { step, shard } = record.mail.tags ?? {};
      const recipient = await campaigns.recipient(first.campaignId, shard ? Number(shard[0]) : shardOf(first.candidateId), first.candidateId, step ? Number(step[0]) : undefined);
      if (!recipient) return first;
      // Whether an open was a machine depends on when the message was delivered, so it is read with the recipient.
      const factFor = (r: RecipientRecord) => (first.kind === 'opened' || first.kind === 'clicked' ? trackingFact(record, { deliveredAt: r.deliveredAt }) : first);
      await apply(
        recipient,
        (r) => withMessageId(changeFor(factFor(r), r), r, first.messageId),
        (r, change) => [
          ...(change.activity
            ? [makeEvent(EmailActivity, meta(), { candidateId: r.candidateId, campaignId: r.campaignId, ...(r.step === undefined ? {} : { step: r.step }), kind: change.activity, messageId: first.messageId, ...(change.url ? { url: change.url } : {}) })]
            : []),
          ...(first.kind === 'complained' ? [makeEvent(CandidateUnsubscribed, meta(), { candidateId: r.candidateId, campaignId: r.campaignId, via: 'complaint' })] : []),
        ],
      );
      return factFor(recipient);
    },

    /**
     * A message to a reply address: matched to the person by the signed token in the address, else by the sender.
     * Automatic answers (out of office, bounces) are not replies, and a message SES could not authenticate (spoofed
     * sender, spam, virus) is not trusted: neither changes anything.
     */
    async receiveReply(reply: ParsedReply): Promise<'recorded' | 'automatic' | 'unauthenticated' | 'unmatched'> {
      if (reply.authenticated === false) return 'unauthenticated';
      if (reply.automatic) return 'automatic';
      const token = replyTokenFrom(reply.to);
      const match = (token && (await signer.verifyReply(token))) || (await audiences.candidateByEmail(reply.from));
      if (!match) return 'unmatched';
      await this.recordReply(reply, typeof match === 'string' ? { candidateId: match } : match);
      return 'recorded';
    },

    /** A genuine reply: counted once per campaign, logged on the timeline, and it stops drips that stop on replies. */
    async recordReply(reply: ParsedReply, match: { candidateId: string; campaignId?: string }): Promise<void> {
      const text = reply.text.slice(0, 4000);
      const replied = makeEvent(CandidateReplied, meta('public'), { candidateId: match.candidateId, ...(match.campaignId ? { campaignId: match.campaignId } : {}), subject: reply.subject.slice(0, 500), text, ...(reply.objectKey ? { objectKey: reply.objectKey } : {}) });
      const mail = match.campaignId ? await latestMail(match.candidateId, match.campaignId, 'repliedAt') : undefined;
      const at = reply.receivedAt ?? clock.now();
      if (!mail || !(await apply(mail, () => ({ firstField: 'repliedAt', at, counters: { replied: 1 } }), () => [replied]))) {
        // Not from a campaign email, or a second reply to it: still a touchpoint, but counted once.
        await campaigns.publish([replied]);
      }
    },

    /** An application after campaign emails counts as an apply, once, for each campaign of the last month. */
    async recordApplication(candidateId: string, at: string): Promise<void> {
      const since = new Date(Date.parse(at) - ATTRIBUTION_DAYS * 86_400_000).toISOString();
      const byCampaign = Map.groupBy(await campaigns.mailsOf(candidateId, since), (mail) => mail.campaignId);
      for (const mails of byCampaign.values()) {
        // A drip sends several emails: an apply counts once for the campaign, on its newest email.
        if (mails.some((m) => m.appliedAt)) continue;
        await apply(mails[0]!, () => ({ firstField: 'appliedAt', at, counters: { applied: 1 } }), () => []);
      }
    },

    /** Marks the campaign email an unsubscribe came from and counts it once. */
    async recordUnsubscribe(candidateId: string, campaignId: string, at: string): Promise<void> {
      const mail = await latestMail(candidateId, campaignId, 'unsubscribedAt');
      if (mail) await apply(mail, () => ({ firstField: 'unsubscribedAt', at, counters: { unsubscribed: 1 } }), () => []);
    },
  };

  /** The newest email of a campaign to a person, unless one of its emails already carries the mark (a drip's earlier step). */
  async function latestMail(candidateId: string, campaignId: string, mark?: 'repliedAt' | 'unsubscribedAt') {
    const mails = (await campaigns.mailsOf(candidateId, '0')).filter((m) => m.campaignId === campaignId);
    return mark && mails.some((m) => m[mark]) ? undefined : mails[0];
  }
}
