import { makeEvent, type DomainEvent } from '../../../events/contract.ts';
import { SitePublished, SiteUnpublished } from '../../../events/syndication.ts';
import { Conflict, NotFound, PreconditionFailed, Unprocessable } from '../../../shared/errors.ts';
import type { PageRequest } from '../../../shared/http/pagination.ts';
import type { CreateSite, Site, UpdateSite } from '../schemas.ts';
import { StaleVersion, type Clock, type Ids, type SiteStore } from './ports.ts';
import type { PublishingService } from './publishing.ts';

const MAX_ATTEMPTS = 3;
export const siteUrl = (sitesUrl: string, slug: string) => `${sitesUrl}/sites/${slug}/`;

export function siteService(deps: { sites: SiteStore; publishing: PublishingService; clock: Clock; ids: Ids; sitesUrl: () => string }) {
  const { sites, publishing, clock, ids } = deps;

  async function get(id: string): Promise<Site> {
    const site = await sites.get(id);
    if (!site) throw new NotFound(`There is no site ${id}.`);
    return site;
  }

  async function change(id: string, apply: (current: Site, now: string) => { next: Site; events: DomainEvent[] }, ifMatch?: number): Promise<{ site: Site; changed: boolean }> {
    for (let attempt = 1; ; attempt++) {
      const current = await get(id);
      if (ifMatch !== undefined && ifMatch !== current.version) {
        throw new PreconditionFailed(`The site is at version ${current.version}, not ${ifMatch}. Read it again and retry.`, { currentVersion: current.version });
      }
      const { next, events } = apply(current, clock.now());
      if (next === current) return { site: current, changed: false };
      try {
        await sites.replace(current, next, events);
        return { site: next, changed: true };
      } catch (error) {
        if (!(error instanceof StaleVersion)) throw error;
        if (ifMatch !== undefined) throw new PreconditionFailed('The site changed while this update was applied. Read it again and retry.');
        if (attempt >= MAX_ATTEMPTS) throw new Conflict('The site is being changed by someone else right now. Retry in a moment.');
      }
    }
  }

  const event = (contract: typeof SitePublished | typeof SiteUnpublished, site: Site, actor: string, now: string) =>
    makeEvent(contract, { eventId: ids.next('evt'), occurredAt: now, actor }, { siteId: site.id, slug: site.slug });

  return {
    get,
    list: (page: PageRequest) => sites.list(page),

    async create(input: CreateSite, _actor: string): Promise<Site> {
      const now = clock.now();
      const site: Site = { ...input, id: ids.next('site'), status: 'draft', url: siteUrl(deps.sitesUrl(), input.slug), createdAt: now, updatedAt: now, version: 1 };
      await sites.create(site, []);
      return site;
    },

    /** Edits a site; a published one is rendered again at once, so the page never lags its settings. */
    async update(id: string, patch: UpdateSite, _actor: string, ifMatch?: number): Promise<Site> {
      const { site, changed } = await change(
        id,
        (current, now) => {
          const next: Record<string, unknown> = { ...current };
          let changed = false;
          for (const [field, value] of Object.entries(patch)) {
            if (value === undefined || JSON.stringify(value) === JSON.stringify(current[field as keyof Site])) continue;
            if (value === null) delete next[field];
            else next[field] = value;
            changed = true;
          }
          if (!changed) return { next: current, events: [] };
          if (patch.slug && patch.slug !== current.slug) {
            if (current.status === 'published') throw new Unprocessable('A published site keeps its address: unpublish it before changing the slug.');
            next.url = siteUrl(deps.sitesUrl(), patch.slug);
          }
          return { next: { ...(next as Site), updatedAt: now, version: current.version + 1 }, events: [] };
        },
        ifMatch,
      );
      if (changed && site.status === 'published') await publishing.refreshSite(site);
      return site;
    },

    /** Renders the site to `/sites/{slug}/`; publishing a published site renders it again (a retry finishes the job). */
    async publish(id: string, actor: string): Promise<Site> {
      const { site } = await change(id, (current, now) =>
        current.status === 'published'
          ? { next: current, events: [] }
          : { next: { ...current, status: 'published', publishedAt: now, updatedAt: now, version: current.version + 1 }, events: [event(SitePublished, current, actor, now)] },
      );
      await publishing.refreshSite(site);
      return site;
    },

    async unpublish(id: string, actor: string): Promise<Site> {
      const { site } = await change(id, (current, now) => {
        if (current.status === 'draft') return { next: current, events: [] };
        const { publishedAt: _published, ...rest } = current;
        return { next: { ...rest, status: 'draft', updatedAt: now, version: current.version + 1 }, events: [event(SiteUnpublished, current, actor, now)] };
      });
      await publishing.refreshSite(site);
      return site;
    },
  };
}

export type SiteService = ReturnType<typeof siteService>;
