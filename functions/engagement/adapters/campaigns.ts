import { campaignService } from '../../campaigns/domain/campaign-service.ts';
import { templateService } from '../../campaigns/domain/template-service.ts';
import { clock, ids, links, signer, stores, workflows } from '../../campaigns/adapters/services.ts';
import type { Campaigns } from '../domain/ports.ts';

/**
 * Invitations go through the campaigns context's own services: its template checks, and a one-shot campaign whose
 * send workflow applies suppression, consent and preferences, and adds tracking and one-click unsubscribe.
 */
const templates = templateService({ ...stores, signer, links, clock, ids });
const campaigns = campaignService({ ...stores, workflows, clock, ids });

export const eventCampaigns: Campaigns = {
  template: (id) => stores.templates.get(id),
  createTemplate: (source) => templates.create(source),
  async sendOneShot({ name, audience, templateId, timeZone, sendAt }, actor) {
    const draft = await campaigns.create({ kind: 'one-shot', name, audience, templateId, timeZone, topic: 'events', recipientTimeZone: false, ...(sendAt ? { sendAt } : {}) });
    const launched = await campaigns.launch(draft.id, actor);
    return { id: launched.id, status: launched.status };
  },
};
