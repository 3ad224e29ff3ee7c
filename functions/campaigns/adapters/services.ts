import { config } from '../../../shared/config.ts';
import { clock, newId } from '../../../shared/ids.ts';
import { signer } from '../../../shared/signing.ts';
import { startWorkflow } from '../../../shared/workflows.ts';
import type { Links } from '../domain/ports.ts';
import { dynamoAudiences, dynamoJobBoard } from './dynamo-audiences.ts';
import { dynamoCampaignStore } from './dynamo-campaign-store.ts';
import { dynamoPreferenceStore, dynamoSuppressionStore } from './dynamo-subscription-stores.ts';
import { dynamoTemplateStore } from './dynamo-template-store.ts';

/**
 * The campaigns domain's adapters, wired once; each handler builds the service it needs from these, so its bundle
 * holds only what that service uses (the SES client is loaded on first send).
 */
export const ids = { next: newId };
export { clock, signer };
/** Where email links point (the public API) and the domain replies come back to (SES receiving). */
export const links: Links = {
  get api() {
    return config.publicApiUrl;
  },
  get replyDomain() {
    return config.replyDomain;
  },
};
export const workflows = { start: startWorkflow };
export const stores = {
  campaigns: dynamoCampaignStore,
  templates: dynamoTemplateStore,
  suppressions: dynamoSuppressionStore,
  preferences: dynamoPreferenceStore,
  audiences: dynamoAudiences,
  jobs: dynamoJobBoard,
};
