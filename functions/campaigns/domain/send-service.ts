import type { Template } from '../schemas.ts';
import { skipReason } from './eligibility.ts';
import { nextSendTime, sameLocalTime } from './send-time.ts';
import { composeEmail } from './message.ts';
import { Throttled, type Audiences, type CampaignRecord, type CampaignStore, type Clock, type JobBoard, type Links, type Mailer, type OutgoingEmail, type PreferenceStore, type RecipientRecord, type SendOutcome, type Signer, type TemplateStore } from './ports.ts';
import { SHARDS } from './shards.ts';

export interface SendDeps {
  campaigns: CampaignStore;
  templates: TemplateStore;
  audiences: Audiences;
  jobs: JobBoard;
  mailer: Mailer;
  preferences: PreferenceStore;
  signer: Signer;
  links: Links;
  clock: Clock;
}

/** SendBulkEmail takes at most 50 destinations a call. */
export const BATCH = 50;
/** Audience members planned per planner call: a few seconds of BatchWrite, far below the Lambda timeout. */
export const PLAN_CHUNK = 1000;

export interface SendInput {
  campaignId: string;
  shard: number;
  /** The sort key of the last recipient handled: the shard's checkpoint. */
  after?: string;
  /** What the workflow waited until: it is at least that time now (waits pass faster on the local stack). */
  resumeAt?: string;
  /**
   * The earliest time this pass over the shard left a recipient for: one not due yet in their own time, or one
   * another attempt holds with a claim too young to take over.
   */
  deferredUntil?: string;
}

/**
 * How long after SES accepted a message its SEND event may still set the message id on the recipient: SES publishes
 * it within seconds, and when the tracking consumer fails, Lambda tries the event again one and then two minutes
 * later. Waiting this long before resending what a dead attempt claimed trades a few minutes for no duplicate.
 */
export const SEND_EVENT_MARGIN_MS = 5 * 60_000;

/** One try of a sending Task (one Lambda invocation); a Step Functions retry is a new try. */
export interface Attempt {
  /** The Lambda request id: it names the claims this try makes. */
  id: string;
  /**
   * Its function's timeout (`timeoutSeconds` of the function in the wiring manifest, as the invocation's remaining
   * time when it starts): no try of the same Task runs longer.
   */
  timeoutMs: number;
}

/**
 * Until when a recipient stays with the try that claimed it; undefined when this try may claim it now. A claim
 * without a message id may be taken over once that try must be over (its function's timeout) and a message it had
 * SES send would have been reported by SES's SEND event (the margin). A claim without a time is free at once: its try
 * gave it up having sent nothing, or it was made before claims had a time. This try's own claims are its own.
 */
export function claimHeldUntil(recipient: RecipientRecord, attempt: Attempt, now: Date): Date | undefined {
  if (!recipient.claimToken || recipient.claimToken === attempt.id || recipient.messageId || !recipient.claimedAt) return undefined;
  const until = Date.parse(recipient.claimedAt) + attempt.timeoutMs + SEND_EVENT_MARGIN_MS;
  return until > now.getTime() ? new Date(until) : undefined;
}

/** Now as a Task sees it: the clock, or the time the workflow waited until when later (waits pass faster on the local stack). */
export const asOf = (clock: Clock, waitedUntil: string | undefined): Date =>
  new Date(Math.max(Date.parse(clock.now()), waitedUntil ? Date.parse(waitedUntil) : 0));

/** A paused campaign's shards look again this often. */
const PAUSED_RECHECK_MS = 60_000;

/**
 * When a recipient of a one-shot is due: at once, or at the campaign's send time, in its send window; with
 * `recipientTimeZone`, at the send time's wall clock and inside the window in the person's own zone.
 */
export function dueAt(campaign: CampaignRecord, timezone: string | undefined, now: Date): Date {
  const zone = campaign.recipientTimeZone ? (timezone ?? campaign.timeZone) : campaign.timeZone;
  const sendAt = campaign.sendAt ? new Date(campaign.sendAt) : now;
  const base = campaign.recipientTimeZone && campaign.sendAt ? sameLocalTime(sendAt, campaign.timeZone, zone) : sendAt;
  return nextSendTime(base > now ? base : now, zone, campaign.sendWindow);
}

/**
 * Sends one batch: claims each recipient with a conditional write, checks eligibility on fresh data, renders,
 * calls SES once, and settles every outcome and its counters together. A recipient another attempt claimed is
 * settled as sent when SES reported the message (the attempt's own record or SES's SEND event set the message id);
 * without a message id it is sent only once that attempt is surely over ({@link claimHeldUntil}), and until then it
 * is left alone: `heldUntil` says when the earliest such claim may be taken over.
 */
export async function sendBatch(deps: SendDeps, input: {
  campaign: CampaignRecord;
  template: Pick<Template, 'subject' | 'html' | 'text'>;
  recipients: RecipientRecord[];
  shard: number;
  attempt: Attempt;
  /** Now as this try sees it ({@link asOf}): stamped on its claims, and what other tries' claims are aged by. */
  now: Date;
  /** When each recipient was due, for sends timed to their local time. */
  due?: Map<RecipientRecord, Date>;
}): Promise<{ outcomes: SendOutcome[]; heldUntil?: Date }> {
  const { campaign, attempt } = input;
  const token = attempt.id;
  const claimedAt = input.now.toISOString();
  const claimed: RecipientRecord[] = [];
  const outcomes: SendOutcome[] = [];
  let heldUntil: Date | undefined;
  await Promise.all(
    input.recipients.map(async (recipient) => {
      if (recipient.claimToken && recipient.messageId) {
        // SES accepted it for the attempt that claimed it: only settle it.
        if (await deps.campaigns.claim(recipient, token, claimedAt)) {
          outcomes.push({ candidateId: recipient.candidateId, step: recipient.step, status: 'sent', messageId: recipient.messageId, email: recipient.email ?? '', at: deps.clock.now() });
        }
        return;
      }
      const held = claimHeldUntil(recipient, attempt, input.now);
      if (held) {
        // Its attempt may still be running, or SES's SEND event for it may still be on its way.
        if (!heldUntil || held < heldUntil) heldUntil = held;
        return;
      }
      if (await deps.campaigns.claim(recipient, token, claimedAt)) claimed.push(recipient);
    }),
  );
  const answer = (): { outcomes: SendOutcome[]; heldUntil?: Date } => ({ outcomes, ...(heldUntil ? { heldUntil } : {}) });
  if (!claimed.length) {
    if (outcomes.length) await deps.campaigns.settle(campaign.id, input.shard, token, outcomes);
    return answer();
  }
  // A failure before SES takes the batch leaves claims nobody sends: given up, a retry takes them over at once
  // instead of waiting for them to age. If giving them up fails too, they are taken over once old.
  const giveUp = async (error: unknown): Promise<never> => {
    await deps.campaigns.release(campaign.id, input.shard, token, claimed).catch(() => undefined);
    throw error;
  };
  const now = deps.clock.now();
  const [contacts, jobs] = await Promise.all([deps.audiences.contacts(claimed.map((r) => r.candidateId)), deps.jobs.openJobs()]).catch(giveUp);
  const messages: { recipient: RecipientRecord; email: OutgoingEmail }[] = [];
  for (const recipient of claimed) {
    const contact = contacts.get(recipient.candidateId);
    const reason = skipReason(contact, campaign.topic, now);
    if (reason) {
      outcomes.push({ candidateId: recipient.candidateId, step: recipient.step, status: 'skipped', skipReason: reason, email: contact?.profile?.email, at: now });
      continue;
    }
    try {
      const email = await composeEmail({
        template: input.template, profile: contact!.profile!, candidateId: recipient.candidateId, campaignId: campaign.id, step: recipient.step, shard: recipient.shard,
        jobs, signer: deps.signer, links: deps.links,
      });
      messages.push({ recipient, email });
    } catch {
      // One person's data that breaks rendering skips that person, not the batch.
      outcomes.push({ candidateId: recipient.candidateId, step: recipient.step, status: 'skipped', skipReason: 'rendering-failed', email: contact?.profile?.email, at: now });
    }
  }
  if (messages.length) {
    // Throttled: SES refused the whole call. Any other failure may have come after SES accepted it: the claims stay.
    const results = await deps.mailer.sendBulk(messages.map((m) => m.email)).catch((error: unknown) => (error instanceof Throttled ? giveUp(error) : Promise.reject(error)));
    const accepted = messages.flatMap(({ recipient }, i) => {
      const result = results[i]!;
      return 'messageId' in result ? [{ candidateId: recipient.candidateId, step: recipient.step, messageId: result.messageId }] : [];
    });
    await deps.campaigns.recordSent(campaign.id, input.shard, token, accepted);
    messages.forEach(({ recipient, email }, i) => {
      const result = results[i]!;
      outcomes.push(
        'messageId' in result
          ? { candidateId: recipient.candidateId, step: recipient.step, status: 'sent', messageId: result.messageId, email: email.to, at: now, ...(input.due?.has(recipient) ? { scheduledAt: input.due.get(recipient)!.toISOString() } : {}) }
          : { candidateId: recipient.candidateId, step: recipient.step, status: 'failed', detail: result.error, email: email.to, at: now },
      );
    });
  }
  await deps.campaigns.settle(campaign.id, input.shard, token, outcomes);
  const limited = outcomes.filter((o) => o.status === 'sent' && (contacts.get(o.candidateId)?.preferences?.frequency ?? 'any') !== 'any');
  if (limited.length) await deps.preferences.touch(limited.map((o) => o.candidateId), now);
  return answer();
}

export function sendService(deps: SendDeps) {
  const { campaigns } = deps;
  return {
    /** Plans the next chunk of the audience as pending recipients; `done` with the shards once everyone is planned. */
    async plan(campaignId: string): Promise<{ campaignId: string; done: boolean; shards?: number[] }> {
      const campaign = await campaigns.get(campaignId);
      const finished = { campaignId, done: true, shards: Array.from({ length: SHARDS }, (_, i) => i) };
      const state = await campaigns.planState(campaignId);
      // Planning goes on while paused: it sends nothing.
      if (!campaign || (campaign.status !== 'sending' && campaign.status !== 'paused') || state.done) return finished;
      const page = await deps.audiences.page(campaign.audience, state.cursor, PLAN_CHUNK);
      // Round robin in planning order: every shard holds whole batches of 50 but its last.
      const recipients = page.candidateIds.map((candidateId, i) => ({ candidateId, shard: (state.planned + i) % SHARDS }));
      await campaigns.plan(campaignId, recipients, state.cursor, page.last);
      return page.last ? { campaignId, done: false } : finished;
    },

    /**
     * Works through a shard batch by batch until the time budget is spent, and answers the checkpoint. A paused
     * campaign answers `paused` (the workflow waits and asks again); a cancelled one ends the shard. A pass that left
     * recipients for later (not due yet, or held by another attempt's young claim) answers when to come back.
     */
    async sendShard(input: SendInput, attempt: Attempt, deadline: number): Promise<SendInput & { done: boolean }> {
      const { campaignId, shard } = input;
      let campaign = await campaigns.get(campaignId);
      const now = asOf(deps.clock, input.resumeAt);
      const template = campaign && (await deps.templates.get(campaign.templateId!));
      if (campaign && !template) throw new Error(`Template ${campaign.templateId} of campaign ${campaign.id} is gone`);
      let after = input.after;
      let deferredUntil = input.deferredUntil;
      for (let first = true; Date.now() < deadline; first = false) {
        // Looked at before every batch: a pause, cancel or failure stops this worker within one batch.
        if (!first) campaign = await campaigns.get(campaignId);
        if (campaign?.status === 'paused') {
          return { campaignId, shard, ...(after ? { after } : {}), ...(deferredUntil ? { deferredUntil } : {}), resumeAt: new Date(now.getTime() + PAUSED_RECHECK_MS).toISOString(), done: false };
        }
        if (!campaign || campaign.status !== 'sending' || !template) return { campaignId, shard, done: true };
        const current = campaign;
        const timed = Boolean(current.sendWindow || current.recipientTimeZone);
        const page = await campaigns.shardPage(current.id, shard, after, BATCH);
        // Pending ones, and those a crashed attempt claimed (tracking may have moved their status on since).
        let open = page.recipients.filter((r) => r.status === 'pending' || r.claimToken !== undefined);
        let due: Map<RecipientRecord, Date> | undefined;
        if (timed && open.length) {
          // Who is not due yet in their own time waits for the next pass; the earliest of them sets its time.
          const zones = await deps.audiences.contacts(open.map((r) => r.candidateId));
          due = new Map(open.map((r) => [r, dueAt(current, zones.get(r.candidateId)?.profile?.timezone, now)]));
          for (const when of due.values()) if (when > now && (!deferredUntil || when.toISOString() < deferredUntil)) deferredUntil = when.toISOString();
          open = open.filter((r) => due!.get(r)! <= now);
        }
        if (open.length) {
          const { heldUntil } = await sendBatch(deps, { campaign: current, template, recipients: open, shard, attempt, now: asOf(deps.clock, input.resumeAt), ...(due ? { due } : {}) });
          if (heldUntil && (!deferredUntil || heldUntil.toISOString() < deferredUntil)) deferredUntil = heldUntil.toISOString();
        }
        if (!page.last) return deferredUntil ? { campaignId, shard, resumeAt: deferredUntil, done: false } : { campaignId, shard, done: true };
        after = page.last;
      }
      return { campaignId, shard, ...(after ? { after } : {}), ...(deferredUntil ? { deferredUntil } : {}), done: false };
    },

    /** Marks the campaign sent once every shard is through, or failed when retries ran out, unless it was cancelled. */
    async finish(campaignId: string, failure?: string): Promise<void> {
      const campaign = await campaigns.get(campaignId);
      if (!campaign || campaign.status !== 'sending') return;
      const now = deps.clock.now();
      const outcome = failure ? { status: 'failed' as const, failure: failure.slice(0, 500) } : { status: 'sent' as const, completedAt: now };
      await campaigns.save({ ...campaign, ...outcome, updatedAt: now, version: campaign.version + 1 }, campaign.version);
    },
  };
}
