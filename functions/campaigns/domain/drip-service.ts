import { Conflict, NotFound, Unprocessable } from '../../../shared/errors.ts';
import type { Enrollment } from '../schemas.ts';
import { asOf, sendBatch, type Attempt, type SendDeps } from './send-service.ts';
import { addDuration, nextSendTime } from './send-time.ts';
import type { CampaignRecord, Workflows } from './ports.ts';
import { shardOf } from './shards.ts';

export const DRIP_WORKFLOW = 'campaigns-drip';
/** A paused drip looks again this often (a wait costs one state transition). */
const PAUSED_RECHECK_MS = 60 * 60 * 1000;
const ENROLL_CHUNK = 200;

export interface DripDeps extends SendDeps {
  workflows: Workflows;
}

export interface DripState {
  campaignId: string;
  candidateId: string;
  /** When the workflow's Wait state wakes the next step. */
  sendAt: string;
  done: boolean;
}

/** One Standard execution per enrollment, named from campaign and candidate: enrolling twice starts nothing. */
export const executionName = (campaignId: string, candidateId: string) => `${campaignId}-${candidateId}`;

export function dripService(deps: DripDeps) {
  const { campaigns, clock } = deps;

  /** The first moment a step may go out: its delay after `from`, moved into the window in the person's zone. */
  async function sendTimeOf(campaign: CampaignRecord, step: number, from: string, candidateId: string) {
    const spec = campaign.steps![step]!;
    const contact = (await deps.audiences.contacts([candidateId])).get(candidateId);
    const zone = contact?.profile?.timezone ?? campaign.timeZone;
    return nextSendTime(addDuration(new Date(from), spec.delay), zone, spec.sendWindow ?? campaign.sendWindow).toISOString();
  }

  async function enroll(campaign: CampaignRecord, candidateId: string, manual = false): Promise<boolean> {
    const now = clock.now();
    const existing = await campaigns.enrollment(campaign.id, candidateId);
    const enrollment: Enrollment = existing ?? {
      campaignId: campaign.id, candidateId, state: 'active', step: 0, nextSendAt: await sendTimeOf(campaign, 0, now, candidateId),
      ...(manual ? { manual } : {}), enrolledAt: now, updatedAt: now,
    };
    const created = existing ? false : await campaigns.enroll(enrollment);
    // Started even when the enrollment existed: the attempt that wrote it may have crashed before starting it.
    if (enrollment.state === 'active') {
      await deps.workflows.start(DRIP_WORKFLOW, executionName(campaign.id, candidateId), { campaignId: campaign.id, candidateId, sendAt: enrollment.nextSendAt, done: false });
    }
    return created;
  }

  async function end(enrollment: Enrollment, state: Enrollment['state'], stoppedReason?: string) {
    await campaigns.saveEnrollment({ ...enrollment, state, ...(stoppedReason ? { stoppedReason } : {}), updatedAt: clock.now() }, enrollment);
  }

  return {
    /** Enrols a chunk of the audience at launch (a Task of the enroll workflow); `done` once everyone is in. */
    async enrollChunk(campaignId: string): Promise<{ jobId: string; done: boolean }> {
      const campaign = await campaigns.get(campaignId);
      const state = await campaigns.planState(campaignId);
      if (!campaign || campaign.kind !== 'drip' || state.done || (campaign.status !== 'running' && campaign.status !== 'paused')) return { jobId: campaignId, done: true };
      const page = await deps.audiences.page(campaign.audience, state.cursor, ENROLL_CHUNK);
      for (const candidateId of page.candidateIds) await enroll(campaign, candidateId);
      await campaigns.plan(campaignId, [], state.cursor, page.last);
      return { jobId: campaignId, done: !page.last };
    },

    /** A newcomer to a segment joins every running drip on that segment. */
    async enrollNewcomer(segmentId: string, candidateId: string): Promise<number> {
      let enrolled = 0;
      for (const campaign of await campaigns.dripsForSegment(segmentId)) {
        if (campaign.status === 'running' && (await enroll(campaign, candidateId))) enrolled++;
      }
      return enrolled;
    },

    /**
     * Enrols people by hand (a recruiter's pick, a reactivation match) in a running or paused drip, in its audience or
     * not; consent, suppression and the stop reasons are checked at each step as for everyone.
     */
    async enrollByHand(campaignId: string, candidateIds: string[]): Promise<{ enrolled: string[]; alreadyEnrolled: string[]; notFound: string[] }> {
      const campaign = await campaigns.get(campaignId);
      if (!campaign) throw new NotFound(`No campaign ${campaignId}.`);
      if (campaign.kind !== 'drip') throw new Unprocessable(`The campaign ${campaignId} is a one-shot campaign; only drips take enrollments.`);
      if (campaign.status !== 'running' && campaign.status !== 'paused') {
        throw new Conflict(`A ${campaign.status} drip takes no enrollments${campaign.status === 'draft' ? '; launch it first' : ''}.`, { currentStatus: campaign.status });
      }
      const contacts = await deps.audiences.contacts(candidateIds);
      const result = { enrolled: [] as string[], alreadyEnrolled: [] as string[], notFound: candidateIds.filter((id) => !contacts.get(id)?.profile) };
      for (const candidateId of candidateIds) {
        if (result.notFound.includes(candidateId)) continue;
        (await enroll(campaign, candidateId, true) ? result.enrolled : result.alreadyEnrolled).push(candidateId);
      }
      return result;
    },

    /**
     * One step of one enrollment (the Task of the drip workflow): re-checks that the person is still in the audience
     * and eligible, sends, records, and answers when the next step is due. Safe to retry: the step's recipient is
     * claimed before sending and the enrollment moves on only from the step it was at.
     */
    async step(state: DripState, attempt: Attempt): Promise<DripState> {
      const done = { ...state, done: true };
      const [campaign, enrollment] = await Promise.all([campaigns.get(state.campaignId), campaigns.enrollment(state.campaignId, state.candidateId)]);
      if (!campaign || !enrollment || enrollment.state !== 'active') return done;
      if (campaign.status === 'cancelled') {
        await end(enrollment, 'cancelled');
        return done;
      }
      if (campaign.status === 'paused') return { ...state, sendAt: new Date(Date.now() + PAUSED_RECHECK_MS).toISOString() };
      // A retry of a step whose attempt died after moving the enrollment on: the next step waits for its own time,
      // as the lost answer said, instead of going out at once.
      if (enrollment.nextSendAt && Date.parse(enrollment.nextSendAt) > Date.parse(state.sendAt)) return { ...state, sendAt: enrollment.nextSendAt, done: false };
      if (!enrollment.manual && !(await deps.audiences.isMember(campaign.audience, state.candidateId))) {
        await end(enrollment, 'stopped', 'left-audience');
        return done;
      }
      const step = enrollment.step;
      const spec = campaign.steps![step];
      if (!spec) {
        await end(enrollment, 'completed');
        return done;
      }
      const template = await deps.templates.get(spec.templateId);
      if (!template) throw new Error(`Template ${spec.templateId} of campaign ${campaign.id} is gone`);
      const shard = shardOf(state.candidateId);
      const existing = await campaigns.recipient(campaign.id, shard, state.candidateId, step);
      // A step settled by an attempt that crashed before the enrollment moved on is not sent again.
      const unsettled = !existing || existing.status === 'pending' || existing.claimToken !== undefined;
      const fresh = { campaignId: campaign.id, candidateId: state.candidateId, step, scheduledAt: state.sendAt, shard, status: 'pending' as const };
      const claimTime = asOf(clock, state.sendAt);
      if (unsettled && (existing || (await campaigns.claimStep(fresh, attempt.id, claimTime.toISOString())))) {
        const recipient = existing ?? { ...fresh, status: 'claimed' as const, claimToken: attempt.id, claimedAt: claimTime.toISOString() };
        const { outcomes: [outcome], heldUntil } = await sendBatch(deps, { campaign, template, recipients: [recipient], shard, attempt, now: claimTime });
        // Another attempt's claim, too young to take over (it may still be sending, or SES's SEND event may still
        // come): the step comes back once it is old, and the enrollment stays at this step until then.
        if (heldUntil) return { ...state, sendAt: heldUntil.toISOString(), done: false };
        if (outcome?.status === 'skipped' && (outcome.skipReason === 'unsubscribed' || outcome.skipReason === 'erased' || outcome.skipReason === 'do-not-contact')) {
          await end(enrollment, 'stopped', outcome.skipReason);
          return done;
        }
      }
      const next = step + 1;
      const now = clock.now();
      if (next >= campaign.steps!.length) {
        await campaigns.saveEnrollment({ ...enrollment, step: next, state: 'completed', updatedAt: now }, enrollment);
        return done;
      }
      const sendAt = await sendTimeOf(campaign, next, now, state.candidateId);
      const { nextSendAt: _previous, ...rest } = enrollment;
      await campaigns.saveEnrollment({ ...rest, step: next, nextSendAt: sendAt, updatedAt: now }, enrollment);
      return { ...state, sendAt, done: false };
    },

    /** Stops a person's drips whose campaign stops on this reason (they replied, applied or unsubscribed). */
    async stopFor(candidateId: string, reason: 'reply' | 'apply' | 'unsubscribe'): Promise<number> {
      let stopped = 0;
      for (const enrollment of await campaigns.enrollmentsOf(candidateId)) {
        if (enrollment.state !== 'active') continue;
        const campaign = await campaigns.get(enrollment.campaignId);
        if (!campaign?.stopOn?.includes(reason)) continue;
        if (await campaigns.saveEnrollment({ ...enrollment, state: 'stopped', stoppedReason: reason, updatedAt: clock.now() }, enrollment)) stopped++;
      }
      return stopped;
    },
  };
}
