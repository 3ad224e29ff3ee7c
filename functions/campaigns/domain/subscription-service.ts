import { CandidateUnsubscribed } from '../../../events/campaigns.ts';
import { makeEvent } from '../../../events/contract.ts';
import { NotFound } from '../../../shared/errors.ts';
import type { PageRequest } from '../../../shared/http/pagination.ts';
import { topics, type Preferences, type PreferencesForm, type Suppression } from '../schemas.ts';
import { EMAIL_CONSENT } from '../../../shared/consents.ts';
import { confirmUnsubscribePage, invalidLinkPage, preferencesPage, unsubscribedPage } from './pages.ts';
import type { Audiences, CampaignStore, Clock, Contact, Ids, Links, PreferenceStore, Signer, SuppressionStore } from './ports.ts';

export interface SubscriptionDeps {
  suppressions: SuppressionStore;
  preferences: PreferenceStore;
  campaigns: CampaignStore;
  audiences: Audiences;
  signer: Signer;
  links: Links;
  clock: Clock;
  ids: Ids;
  /** Counts the unsubscribe on the campaign email it came from. */
  recordUnsubscribe(candidateId: string, campaignId: string, at: string): Promise<void>;
  /** Records on the person's consent history that they withdrew this purpose through an email link. */
  withdrawConsent(candidateId: string, purpose: string): Promise<void>;
}

const defaults: Preferences = { topics: {}, frequency: 'any' };

/** Whether the latest record for the purpose is a withdrawal. */
function withdrawn(consents: NonNullable<Contact['profile']>['consents'], purpose: string): boolean {
  const latest = consents.filter((c) => c.purpose === purpose).sort((a, b) => a.recordedAt.localeCompare(b.recordedAt)).at(-1);
  return latest?.granted === false;
}

/** A page answer: status and HTML. An invalid or expired link is a 400 page that changes nothing. */
export interface PageReply {
  status: number;
  html: string;
}

export function subscriptionService(deps: SubscriptionDeps) {
  const { suppressions, preferences, clock } = deps;

  async function unsubscribeCandidate(candidateId: string, campaignId: string | undefined): Promise<void> {
    const contact = (await deps.audiences.contacts([candidateId])).get(candidateId);
    const email = contact?.profile?.email;
    const now = clock.now();
    if (email) await suppressions.add({ email, reason: 'unsubscribe', ...(campaignId ? { campaignId } : {}), createdAt: now });
    if (campaignId) await deps.recordUnsubscribe(candidateId, campaignId, now);
    // Withdrawing is as easy as granting (Art. 7(3)), and on record like a grant; a repeated click adds nothing.
    if (contact?.profile && !withdrawn(contact.profile.consents, EMAIL_CONSENT)) await deps.withdrawConsent(candidateId, EMAIL_CONSENT);
    await deps.campaigns.publish([
      makeEvent(CandidateUnsubscribed, { eventId: deps.ids.next('evt'), occurredAt: now, actor: 'public' }, { candidateId, ...(campaignId ? { campaignId } : {}), via: 'unsubscribe' }),
    ]);
  }

  return {
    async unsubscribePage(token: string): Promise<PageReply> {
      const claims = await deps.signer.verify(token, 'u');
      if (!claims) return { status: 400, html: invalidLinkPage() };
      const preferencesToken = await deps.signer.sign({ use: 'p', candidateId: claims.candidateId, ...(claims.campaignId ? { campaignId: claims.campaignId } : {}) }, 365);
      return { status: 200, html: confirmUnsubscribePage(token, `${deps.links.api}/public/preferences/${preferencesToken}`) };
    },

    /** RFC 8058 one-click: works at once, without login or cookie, and answers 200 every time it is repeated. */
    async unsubscribe(token: string): Promise<PageReply> {
      const claims = await deps.signer.verify(token, 'u');
      if (!claims) return { status: 400, html: invalidLinkPage() };
      await unsubscribeCandidate(claims.candidateId, claims.campaignId);
      return { status: 200, html: unsubscribedPage() };
    },

    async preferencesPage(token: string): Promise<PageReply> {
      const claims = await deps.signer.verify(token, 'p');
      if (!claims) return { status: 400, html: invalidLinkPage() };
      return { status: 200, html: preferencesPage(token, (await preferences.get(claims.candidateId)) ?? defaults) };
    },

    async savePreferences(token: string, form: PreferencesForm): Promise<PageReply> {
      const claims = await deps.signer.verify(token, 'p');
      if (!claims) return { status: 400, html: invalidLinkPage() };
      if (form?.unsubscribeAll === 'on' || form?.unsubscribeAll === true) {
        await unsubscribeCandidate(claims.candidateId, claims.campaignId);
        return { status: 200, html: unsubscribedPage() };
      }
      const chosen = new Set(form?.topics === undefined ? [] : [form.topics].flat());
      const next: Preferences = { topics: Object.fromEntries(topics.map((t) => [t, chosen.has(t)])), frequency: form?.frequency ?? 'any' };
      await preferences.save(claims.candidateId, next, clock.now());
      return { status: 200, html: preferencesPage(token, next, true) };
    },

    listSuppressions: (page: PageRequest) => suppressions.list(page),

    async suppress(input: { email: string; reason: Suppression['reason']; note?: string }): Promise<Suppression> {
      const suppression: Suppression = { ...input, createdAt: clock.now() };
      await suppressions.add(suppression);
      return (await suppressions.get(input.email)) ?? suppression;
    },

    async unsuppress(email: string): Promise<void> {
      if (!(await suppressions.remove(email))) throw new NotFound(`${email} is not suppressed.`);
    },
  };
}
