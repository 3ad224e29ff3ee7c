import * as z from 'zod';
import { defineEvent } from './contract.ts';

const SOURCE = 'talent-relay.syndication';
const jobId = z.string();

export const JobPublished = defineEvent(SOURCE, 'JobPublished', z.object({ jobId, slug: z.string(), title: z.string() }));
export const JobClosed = defineEvent(SOURCE, 'JobClosed', z.object({ jobId, slug: z.string() }));
/** A draft, open or closed job changed; open and closed ones are re-rendered. */
export const JobUpdated = defineEvent(SOURCE, 'JobUpdated', z.object({ jobId, status: z.enum(['draft', 'open', 'closed']), changed: z.array(z.string()) }));
export const SitePublished = defineEvent(SOURCE, 'SitePublished', z.object({ siteId: z.string(), slug: z.string() }));
export const SiteUnpublished = defineEvent(SOURCE, 'SiteUnpublished', z.object({ siteId: z.string(), slug: z.string() }));
/** Someone confirmed their talent-community sign-up on a site. */
export const TalentCommunityJoined = defineEvent(SOURCE, 'TalentCommunityJoined', z.object({
  candidateId: z.string(),
  siteId: z.string(),
  created: z.boolean(),
  utm: z.record(z.string(), z.string()).optional(),
}));

/** Changes that alter what the public files show. */
export const publicChanges = [JobPublished, JobClosed, JobUpdated, SitePublished, SiteUnpublished];
export const syndicationEvents = [JobPublished, JobClosed, JobUpdated, SitePublished, SiteUnpublished, TalentCommunityJoined];
