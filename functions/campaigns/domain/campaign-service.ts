import { CampaignLaunched } from '../../../events/campaigns.ts';
import { makeEvent } from '../../../events/contract.ts';
import { Conflict, NotFound, Unprocessable } from '../../../shared/errors.ts';
import type { PageRequest } from '../../../shared/http/pagination.ts';
import type { Campaign, CreateCampaign, RecipientStatus, UpdateCampaign } from '../schemas.ts';
import type { Audiences, CampaignRecord, CampaignStore, Clock, Ids, TemplateStore, Workflows } from './ports.ts';

export interface CampaignDeps {
  campaigns: CampaignStore;
  templates: TemplateStore;
  audiences: Audiences;
  workflows: Workflows;
  clock: Clock;
  ids: Ids;
}

export const SEND_WORKFLOW = 'campaigns-send';
export const ENROLL_WORKFLOW = 'campaigns-enroll';

const live = ['sending', 'running'] as const;

/** Zones run from UTC−12 to UTC+14: a send at a local time starts this much before that time in UTC. */
const EARLIEST_ZONE_MS = 14 * 3600 * 1000;

/** When the send workflow starts: the send time, or for a local-time send, when it first comes somewhere on Earth. */
function firstSendTime(campaign: Campaign, now: string): string {
  const at = campaign.sendAt ?? now;
  const start = campaign.recipientTimeZone && campaign.sendAt ? new Date(Date.parse(at) - EARLIEST_ZONE_MS).toISOString() : at;
  return start > now ? start : now;
}

export function campaignService({ campaigns, templates, audiences, workflows, clock, ids }: CampaignDeps) {
  async function record(id: string): Promise<CampaignRecord> {
    const campaign = await campaigns.get(id);
    if (!campaign) throw new NotFound(`No campaign ${id}.`);
    return campaign;
  }

  async function missingTemplates(templateIds: string[]) {
    const found = await Promise.all(templateIds.map((id) => templates.get(id)));
    return templateIds.filter((_, i) => !found[i]);
  }

  async function transition(id: string, allowed: readonly Campaign['status'][], to: (c: CampaignRecord) => Campaign['status'], verb: string) {
    const current = await record(id);
    if (!allowed.includes(current.status)) throw new Conflict(`A ${current.status} campaign cannot be ${verb}.`, { currentStatus: current.status });
    const next = { ...current, status: to(current), updatedAt: clock.now(), version: current.version + 1 };
    await campaigns.save(next, current.version);
    return next;
  }

  return {
    async create(body: CreateCampaign): Promise<Campaign> {
      const missing = await missingTemplates(body.kind === 'one-shot' ? [body.templateId] : body.steps.map((s) => s.templateId));
      if (missing.length) throw new Unprocessable(`No template ${missing.join(', ')}.`, { errors: missing.map((id) => ({ path: 'body.templateId', message: `no template ${id}` })) });
      const now = clock.now();
      const campaign: CampaignRecord = { id: ids.next('camp'), ...body, status: 'draft', createdAt: now, updatedAt: now, version: 1 };
      await campaigns.create(campaign);
      return campaign;
    },

    get: (id: string): Promise<Campaign> => record(id),

    async list(page: PageRequest) {
      const { items, nextCursor } = await campaigns.list(page);
      return { items, nextCursor };
    },

    async update(id: string, patch: UpdateCampaign, ifMatch?: number): Promise<Campaign> {
      const current = await record(id);
      if (current.status !== 'draft') throw new Conflict(`A ${current.status} campaign cannot be changed; cancel it and create another.`, { currentStatus: current.status });
      const next: CampaignRecord = { ...current, updatedAt: clock.now(), version: current.version + 1 };
      if (patch.name !== undefined) next.name = patch.name;
      for (const field of ['sendAt', 'sendWindow'] as const) {
        if (patch[field] === null) delete next[field];
        else if (patch[field] !== undefined) Object.assign(next, { [field]: patch[field] });
      }
      await campaigns.save(next, ifMatch ?? current.version);
      return next;
    },

    /**
     * Starts sending (one-shot) or enrolling (drip). The workflow is named after the campaign, so a retried launch
     * cannot start a second one.
     */
    async launch(id: string, actor: string): Promise<Campaign> {
      const current = await record(id);
      if (current.status !== 'draft') throw new Conflict(`The campaign is already ${current.status}.`, { currentStatus: current.status });
      const missing = await missingTemplates(current.kind === 'one-shot' ? [current.templateId!] : current.steps!.map((s) => s.templateId));
      if (missing.length) throw new Unprocessable(`The campaign's template ${missing.join(', ')} no longer exists.`);
      // A drip may start empty: it enrols people as they enter the segment.
      if (current.kind === 'one-shot' && !(await audiences.page(current.audience, undefined, 1)).candidateIds.length) {
        throw new Unprocessable('The audience is empty: nobody would receive this campaign.');
      }
      const now = clock.now();
      const next: CampaignRecord = { ...current, status: current.kind === 'one-shot' ? 'sending' : 'running', launchedAt: now, updatedAt: now, version: current.version + 1 };
      const launched = makeEvent(CampaignLaunched, { eventId: ids.next('evt'), occurredAt: now, actor }, { campaignId: id, kind: current.kind });
      await campaigns.save(next, current.version, [launched]);
      try {
        if (current.kind === 'one-shot') await workflows.start(SEND_WORKFLOW, id, { campaignId: id, sendAt: firstSendTime(current, now) });
        else await workflows.start(ENROLL_WORKFLOW, id, { jobId: id });
      } catch (error) {
        // Nothing runs without its workflow: mark it failed, so resume can start it again.
        await campaigns.save({ ...next, status: 'failed', failure: 'The workflow could not be started.', version: next.version + 1 }, next.version);
        throw error;
      }
      return next;
    },

    pause: async (id: string) => await transition(id, live, () => 'paused', 'paused'),

    /**
     * A paused campaign continues in the execution that waits for it. A one-shot send that failed after its retries
     * (SES down for an hour, say) starts a new execution, which skips everyone already handled.
     */
    async resume(id: string): Promise<Campaign> {
      // Workers of the failed execution may still be finishing a batch: the new one's workers leave their claims
      // alone until those are surely over (send-service.ts, claimHeldUntil), so resuming need not wait.
      const before = await record(id);
      const next = await transition(id, ['paused', 'failed'], (c) => (c.kind === 'one-shot' ? 'sending' : 'running'), 'resumed');
      if (before.status === 'failed') {
        if (next.kind === 'one-shot') await workflows.start(SEND_WORKFLOW, `${id}-retry-${next.version}`, { campaignId: id, sendAt: firstSendTime(next, clock.now()) });
        else await workflows.start(ENROLL_WORKFLOW, `${id}-retry-${next.version}`, { jobId: id });
      }
      return next;
    },

    cancel: async (id: string) => await transition(id, ['draft', 'scheduled', 'sending', 'running', 'paused'], () => 'cancelled', 'cancelled'),

    async stats(id: string) {
      await record(id);
      return campaigns.stats(id);
    },
    async recipients(id: string, status: RecipientStatus | undefined, page: PageRequest) {
      await record(id);
      return campaigns.recipients(id, status, page);
    },
    async enrollments(id: string, page: PageRequest) {
      await record(id);
      return campaigns.enrollments(id, page);
    },
  };
}
