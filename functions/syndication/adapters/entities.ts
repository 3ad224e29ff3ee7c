/**
 * Keys, index attributes and (de)serialisation of the syndication context's items, in one place.
 * The access patterns they serve are listed in docs/data-model.md.
 */
import type { PendingSignup } from '../domain/ports.ts';
import type { Job, Site } from '../schemas.ts';

export type Item = Record<string, unknown>;

const strip = <T>(item: Item): T => {
  const { PK, SK, GSI1PK, GSI1SK, GSI2PK, GSI2SK, entity, expiresAt, ...rest } = item;
  return rest as T;
};

// Job: JOB#<id> / JOB; GSI1 lists it under its status (`JOBS#open` is also what campaigns suggest from), GSI2 under JOBS.
export const jobKey = (id: string) => ({ PK: `JOB#${id}`, SK: 'JOB' });
export const ALL_JOBS = 'JOBS';
export const jobsWithStatus = (status: Job['status']) => `JOBS#${status}`;
export const jobItem = (job: Job): Item => ({ ...jobKey(job.id), GSI1PK: jobsWithStatus(job.status), GSI1SK: job.id, GSI2PK: ALL_JOBS, GSI2SK: job.id, entity: 'job', ...job });
export const jobFrom = (item: Item): Job => strip<Job>(item);

// Uniqueness guards, written in the same transaction as the job or site.
export const jobSlugKey = (slug: string) => ({ PK: `JOBSLUG#${slug}`, SK: 'SLUG' });
export const requisitionKey = (requisitionId: string) => ({ PK: `REQ#${requisitionId}`, SK: 'REQ' });
export const siteSlugKey = (slug: string) => ({ PK: `SITESLUG#${slug}`, SK: 'SLUG' });

// Every job and site write adds one, so the publisher can tell whether anything moved while it rendered.
export const PUBLIC_CHANGES_KEY = { PK: 'SYNDICATION', SK: 'CHANGES' };

// Site: SITE#<id> / SITE; GSI1 lists all sites, GSI2 the published ones.
export const siteKey = (id: string) => ({ PK: `SITE#${id}`, SK: 'SITE' });
export const ALL_SITES = 'SITES';
export const PUBLISHED_SITES = 'SITES#published';
export const siteItem = (site: Site): Item => ({
  ...siteKey(site.id),
  GSI1PK: ALL_SITES,
  GSI1SK: site.id,
  ...(site.status === 'published' ? { GSI2PK: PUBLISHED_SITES, GSI2SK: site.id } : {}),
  entity: 'site',
  ...site,
});
export const siteFrom = (item: Item): Site => strip<Site>(item);

// A sign-up waiting for its confirmation: TTL removes it unconfirmed after a week.
export const signupKey = (id: string) => ({ PK: `SIGNUP#${id}`, SK: 'SIGNUP' });
export const signupItem = (signup: PendingSignup, expiresAt: string): Item => ({
  ...signupKey(signup.id),
  entity: 'signup',
  ...signup,
  expiresAt: Math.floor(Date.parse(expiresAt) / 1000),
});
export const signupFrom = (item: Item): PendingSignup => {
  const { confirmingAt, candidateId, doneAt, ...rest } = strip<PendingSignup & { confirmingAt?: string; candidateId?: string; doneAt?: string }>(item);
  return rest;
};
