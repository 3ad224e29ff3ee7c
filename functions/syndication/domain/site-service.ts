import { makeEvent, type DomainEvent } from '../../../events/contract.ts';
import { SitePublished, SiteUnpublished } from '../../../events/syndication.ts';
import { InvalidInput, NotFound, Unprocessable } from '../../../shared/errors.ts';
import type { PageRequest } from '../../../shared/http/pagination.ts';
import type { CreateSite, Site, UpdateSite } from '../schemas.ts';
import { changeVersioned } from '../../../shared/versioned.ts';
import type { Clock, Ids, SiteStore } from './ports.ts';
import type { PublishingService } from './publishing.ts';

export const siteUrl = (sitesUrl: string, slug: string) => `${sitesUrl}/sites/${slug}/`;

export function siteService(deps: { sites: SiteStore; publishing: PublishingService; poolExists: (id: string) => Promise<boolean>; clock: Clock; ids: Ids; sitesUrl: () => string }) {
  const { sites, publishing, clock, ids } = deps;

  /** Newcomers join the site's pool: it has to exist. */
  async function assertPool(poolId: string | undefined) {
    if (poolId && !(await deps.poolExists(poolId))) throw new InvalidInput('The sign-up pool does not exist.', [{ path: 'body.signup.poolId', message: 'no such pool' }]);
  }

  async function get(id: string): Promise<Site> {
    const site = await sites.get(id);
    if (!site) throw new NotFound(`There is no site ${id}.`);
    return site;
  }

  const change = async (id: string, apply: (current: Site, now: string) => { next: Site; events: DomainEvent[] }, ifMatch?: number) => {
    const { value, changed } = await changeVersioned('site', { get: () => get(id), replace: sites.replace, now: clock.now }, apply, ifMatch);
    return { site: value, changed };
  };

  const event = (contract: typeof SitePublished | typeof SiteUnpublished, site: Site, actor: string, now: string) =>
    makeEvent(contract, { eventId: ids.next('evt'), occurredAt: now, actor }, { siteId: site.id, slug: site.slug });

  return {
    get,
    list: (page: PageRequest) => sites.list(page),

    async create(input: CreateSite, _actor: string): Promise<Site> {
      await assertPool(input.signup.poolId);
      const now = clock.now();
      const site: Site = { ...input, id: ids.next('site'), status: 'draft', url: siteUrl(deps.sitesUrl(), input.slug), createdAt: now, updatedAt: now, version: 1 };
      await sites.create(site, []);
      return site;
    },

    /** Edits a site; a published one is rendered again at once, so the page never lags its settings. */
    async update(id: string, patch: UpdateSite, _actor: string, ifMatch?: number): Promise<Site> {
      await assertPool(patch.signup?.poolId);
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
      if (changed && site.status === 'published') await publishing.renderSite(site);
      return site;
    },

    /** Renders the site to `/sites/{slug}/`; publishing a published site renders it again (a retry finishes the job). */
    async publish(id: string, actor: string): Promise<Site> {
      const { site } = await change(id, (current, now) =>
        current.status === 'published'
          ? { next: current, events: [] }
          : { next: { ...current, status: 'published', publishedAt: now, updatedAt: now, version: current.version + 1 }, events: [event(SitePublished, current, actor, now)] },
      );
      await publishing.renderSite(site);
      return site;
    },

    async unpublish(id: string, actor: string): Promise<Site> {
      const { site } = await change(id, (current, now) => {
        if (current.status === 'draft') return { next: current, events: [] };
        const { publishedAt: _published, ...rest } = current;
        return { next: { ...rest, status: 'draft', updatedAt: now, version: current.version + 1 }, events: [event(SiteUnpublished, current, actor, now)] };
      });
      await publishing.renderSite(site);
      return site;
    },
  };
}

export type SiteService = ReturnType<typeof siteService>;
