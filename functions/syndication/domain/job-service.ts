import { makeEvent, type DomainEvent, type EventContract, type PayloadOf } from '../../../events/contract.ts';
import { JobClosed, JobPublished, JobUpdated } from '../../../events/syndication.ts';
import { InvalidInput, NotFound, Unprocessable } from '../../../shared/errors.ts';
import type { PageRequest } from '../../../shared/http/pagination.ts';
import type { CreateJob, Job, UpdateJob } from '../schemas.ts';
import { changeVersioned } from '../../../shared/versioned.ts';
import type { Clock, Ids, JobStore } from './ports.ts';
import { sanitiseHtml } from './sanitise.ts';

/** "Senior Backend Engineer (m/w/d)" → "senior-backend-engineer-m-w-d", at most 60 characters. */
export function slugify(title: string): string {
  const slug = title.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return slug.slice(0, 60).replace(/-+$/, '') || 'job';
}

export const jobUrl = (sitesUrl: string, slug: string) => `${sitesUrl}/jobs/${slug}/`;

/** A job can be published only while its closing date is ahead. */
function assertOpenable(validThrough: string | undefined, now: string, path = 'body.validThrough') {
  if (validThrough && Date.parse(validThrough) <= Date.parse(now)) {
    throw new InvalidInput('The closing date has passed.', [{ path, message: 'validThrough must be in the future' }]);
  }
}

export function jobService(deps: { jobs: JobStore; clock: Clock; ids: Ids; sitesUrl: () => string }) {
  const { jobs, clock, ids } = deps;
  const emit = <E extends EventContract>(contract: E, actor: string, payload: PayloadOf<E>): DomainEvent =>
    makeEvent(contract, { eventId: ids.next('evt'), occurredAt: clock.now(), actor }, payload);

  async function get(id: string): Promise<Job> {
    const job = await jobs.get(id);
    if (!job) throw new NotFound(`There is no job ${id}.`);
    return job;
  }

  const change = async (id: string, apply: (current: Job, now: string) => { next: Job; events: DomainEvent[] }, ifMatch?: number): Promise<Job> =>
    (await changeVersioned('job', { get: () => get(id), replace: jobs.replace, now: clock.now }, apply, ifMatch)).value;

  return {
    get,
    list: (status: Job['status'] | undefined, page: PageRequest) => jobs.list(status, page),

    async create(input: CreateJob, actor: string): Promise<Job> {
      const now = clock.now();
      assertOpenable(input.validThrough, now);
      const id = ids.next('job');
      // A made-up slug carries a piece of the id, so two jobs with one title never collide; a chosen one may (409).
      const slug = input.slug ?? `${slugify(input.title)}-${id.slice(-6).toLowerCase()}`;
      const job: Job = {
        ...input,
        id,
        slug,
        status: 'draft',
        description: sanitiseHtml(input.description),
        url: jobUrl(deps.sitesUrl(), slug),
        createdAt: now,
        updatedAt: now,
        version: 1,
      };
      await jobs.create(job, []);
      return job;
    },

    update: (id: string, patch: UpdateJob, actor: string, ifMatch?: number) =>
      change(
        id,
        (current, now) => {
          const next: Record<string, unknown> = { ...current };
          const changed: string[] = [];
          for (const [field, value] of Object.entries(patch)) {
            if (value === undefined) continue;
            const stored = field === 'description' ? sanitiseHtml(value as string) : value;
            if (JSON.stringify(stored) === JSON.stringify(current[field as keyof Job])) continue;
            if (stored === null) delete next[field];
            else next[field] = stored;
            changed.push(field);
          }
          if (!changed.length) return { next: current, events: [] };
          if (changed.includes('validThrough') && current.status === 'open') assertOpenable(patch.validThrough ?? undefined, now);
          const updated = { ...(next as Job), updatedAt: now, version: current.version + 1 };
          return { next: updated, events: [emit(JobUpdated, actor, { jobId: id, status: current.status, changed })] };
        },
        ifMatch,
      ),

    /** Opens a draft or reopens a closed job; publishing an open job again changes nothing. */
    publish: (id: string, actor: string) =>
      change(id, (current, now) => {
        if (current.status === 'open') return { next: current, events: [] };
        assertOpenable(current.validThrough, now, 'validThrough');
        const { closedAt: _closed, ...rest } = current;
        const next: Job = { ...rest, status: 'open', publishedAt: current.publishedAt ?? now, updatedAt: now, version: current.version + 1 };
        return { next, events: [emit(JobPublished, actor, { jobId: id, slug: current.slug, title: current.title })] };
      }),

    /** Takes an open job off the feeds and closes its page; closing a closed job changes nothing. */
    close: (id: string, actor: string) =>
      change(id, (current, now) => {
        if (current.status === 'closed') return { next: current, events: [] };
        if (current.status === 'draft') throw new Unprocessable('A draft was never published; there is nothing to close.');
        const next: Job = { ...current, status: 'closed', closedAt: now, updatedAt: now, version: current.version + 1 };
        return { next, events: [emit(JobClosed, actor, { jobId: id, slug: current.slug })] };
      }),

    /** Open jobs whose closing date has passed are closed (the daily schedule). */
    async closeExpired(actor: string): Promise<number> {
      const now = clock.now();
      const expired = (await jobs.open()).filter((job) => job.validThrough && Date.parse(job.validThrough) <= Date.parse(now));
      for (const job of expired) {
        await change(job.id, (current, at) =>
          current.status !== 'open' ? { next: current, events: [] } : { next: { ...current, status: 'closed', closedAt: at, updatedAt: at, version: current.version + 1 }, events: [emit(JobClosed, actor, { jobId: job.id, slug: job.slug })] },
        );
      }
      return expired.length;
    },
  };
}

export type JobService = ReturnType<typeof jobService>;
