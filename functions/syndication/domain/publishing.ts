import type { Job, Site } from '../schemas.ts';
import { indeedFeed, jobPageHtml, jobsJson, sitemap, type PageLinks } from './outputs.ts';
import type { Clock, JobStore, Organisation, SiteFiles, SiteStore } from './ports.ts';
import { jobsForSite, sitePageHtml, unpublishedPageHtml } from './site-page.ts';

const HTML = 'text/html; charset=utf-8';
/** Rounds of regeneration while jobs keep changing underneath; each round ends with the newest state it read. */
const MAX_ROUNDS = 5;

const live = (job: Job, now: string) => job.status === 'open' && (!job.validThrough || Date.parse(job.validThrough) > Date.parse(now));

/** `current` with the freshly read items in place of their (possibly lagging) index copies. */
function merged<T extends { id: string }>(current: T[], fresh: T[], keep: (item: T) => boolean): T[] {
  const ids = new Set(fresh.map((item) => item.id));
  return [...current.filter((item) => !ids.has(item.id)), ...fresh.filter(keep)];
}

/**
 * The public files are rendered when something changes, never per request: the feeds, the sitemap, each job's
 * page and each published site, on the sites bucket behind the CDN.
 */
export function publishingService(deps: { jobs: JobStore; sites: SiteStore; files: SiteFiles; org: () => Organisation; links: () => PageLinks; clock: Clock }) {
  const { jobs, sites, files, clock } = deps;

  /** Open jobs and published sites as the indexes list them, corrected by the items just read from the table. */
  async function state(freshJobs: Job[], freshSites: Site[], now: string) {
    const [open, published] = await Promise.all([jobs.open(), sites.published()]);
    return {
      open: merged(open, freshJobs, (job) => job.status === 'open').filter((job) => live(job, now)),
      published: merged(published, freshSites, (site) => site.status === 'published'),
    };
  }

  async function writeFeeds(open: Job[], published: Site[], now: string) {
    const org = deps.org();
    await Promise.all([
      files.put('feeds/indeed.xml', indeedFeed(open, org, now), 'application/xml; charset=utf-8'),
      files.put('feeds/jobs.json', jobsJson(open, org, now), 'application/json; charset=utf-8'),
      files.put(
        'sitemap.xml',
        sitemap([...open.map((job) => ({ loc: job.url, lastmod: job.updatedAt })), ...published.map((site) => ({ loc: site.url, lastmod: site.updatedAt }))]),
        'application/xml; charset=utf-8',
      ),
    ]);
  }

  const writeSite = (site: Site, open: Job[]) => files.put(`sites/${site.slug}/index.html`, sitePageHtml(site, jobsForSite(site, open), deps.org(), deps.links()), HTML);

  /**
   * A site's page, then a second look: if the site was unpublished while this render ran, its notice goes back over
   * the page just written (the unpublishing request may have written the notice first).
   */
  async function writeSiteChecked(site: Site, open: Job[]) {
    await writeSite(site, open);
    const now = await sites.get(site.id);
    if (now && now.status !== 'published') await files.put(`sites/${now.slug}/index.html`, unpublishedPageHtml(now.title), HTML);
  }

  /** Published sites as the table holds them now: the index may still list one unpublished a moment ago. */
  async function stillPublished(listed: Site[]): Promise<Site[]> {
    const fresh = await Promise.all(listed.map((site) => sites.get(site.id)));
    return fresh.filter((site): site is Site => site?.status === 'published');
  }

  return {
    /**
     * After jobs or sites changed: the feeds and sitemap, the changed jobs' pages and every published site (they list
     * jobs). The only writer of the shared files (one invocation at a time); it renders again while changes keep
     * arriving underneath, so the files end at the newest state.
     */
    async refresh(changedJobIds: string[]): Promise<{ rounds: number; openJobs: number; sites: number }> {
      for (let round = 1; ; round++) {
        const before = await jobs.changes();
        const now = clock.now();
        const changed = (await Promise.all(changedJobIds.map((id) => jobs.get(id)))).filter((job): job is Job => job !== undefined && job.status !== 'draft');
        const { open, published: listed } = await state(changed, [], now);
        const published = changedJobIds.length ? await stillPublished(listed) : listed;
        // Pages first: when the feeds list a changed job, its page is already there.
        await Promise.all([
          ...changed.map((job) => files.put(`jobs/${job.slug}/index.html`, jobPageHtml(live(job, now) ? job : { ...job, status: 'closed' }, deps.org(), deps.links()), HTML)),
          ...(changedJobIds.length ? published.map((site) => writeSiteChecked(site, open)) : []),
        ]);
        await writeFeeds(open, published, now);
        await files.invalidate(['/feeds/*', '/sitemap.xml', ...changed.map((job) => `/jobs/${job.slug}/*`), ...(changedJobIds.length && published.length ? ['/sites/*'] : [])]);
        if (round >= MAX_ROUNDS || (await jobs.changes()) === before) return { rounds: round, openJobs: open.length, sites: published.length };
      }
    },

    /**
     * The page of one site, right after it was published, edited or unpublished (the feeds and sitemap follow
     * through the publisher, which its event reaches).
     */
    async renderSite(site: Site): Promise<void> {
      if (site.status === 'published') {
        const { open } = await state([], [], clock.now());
        await writeSite(site, open);
      } else {
        await files.put(`sites/${site.slug}/index.html`, unpublishedPageHtml(site.title), HTML);
      }
      await files.invalidate([`/sites/${site.slug}/*`]);
    },
  };
}

export type PublishingService = ReturnType<typeof publishingService>;
