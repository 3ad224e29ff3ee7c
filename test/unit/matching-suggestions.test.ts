import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { suggestJobs } from '../../functions/campaigns/domain/message.ts';
import type { Contact, OpenJob } from '../../functions/campaigns/domain/ports.ts';
import { matchingService, type MatchingStore } from '../../functions/candidates/domain/matching-service.ts';
import type { Candidate } from '../../functions/candidates/schemas.ts';
import type { Job } from '../../functions/syndication/schemas.ts';
import { aCandidate, aJob } from '../fixtures/builders.ts';

const now = '2026-06-01T12:00:00.000Z';
const jobs: Job[] = [
  aJob({ id: 'job_01JA0000000000000000000001', title: 'Platform Engineer', skills: ['typescript', 'aws'], location: { type: 'onsite', address: { city: 'Berlin', country: 'DE' } } }),
  aJob({ id: 'job_01JA0000000000000000000002', title: 'Pastry Chef', description: '<p>Croissants at dawn.</p>', skills: ['baking'], location: { type: 'onsite', address: { city: 'London', country: 'GB' } } }),
  aJob({ id: 'job_01JA0000000000000000000003', title: 'Data Engineer', skills: ['python'], location: { type: 'remote' } }),
  aJob({ id: 'job_01JA0000000000000000000004', title: 'Frontend Engineer, Remote', skills: ['ts', 'react'], location: { type: 'remote', applicantCountries: ['GB'] } }),
  aJob({ id: 'job_01JA0000000000000000000005', title: 'Office Manager', description: '<p>Keep our London office running for engineers.</p>', skills: [], location: { type: 'onsite', address: { city: 'London', country: 'GB' } } }),
];
/** The same jobs as the campaigns context reads them for a batch (functions/campaigns/adapters/dynamo-audiences.ts). */
const openJobs: OpenJob[] = jobs.map((job) => ({
  id: job.id, title: job.title, url: job.url, skills: job.skills, country: job.location.address?.country, city: job.location.address?.city, remote: job.location.type !== 'onsite',
  description: job.description, locationType: job.location.type, ...(job.location.applicantCountries ? { applicantCountries: job.location.applicantCountries } : {}),
}));

/** A candidate as the campaigns context reads them for an email. */
const profileOf = (c: Candidate): NonNullable<Contact['profile']> => ({
  email: c.email, headline: c.headline, city: c.location?.city, country: c.location?.country, timezone: c.timezone, status: c.status, skills: c.skills,
  consents: c.consents, experienceYears: c.experienceYears,
});

function apiFor(candidate: Candidate) {
  const store: MatchingStore = {
    job: async () => undefined, openJobs: async () => jobs, idsIn: async () => ({ ids: [], more: false }), candidates: async () => [], candidate: async () => candidate,
  };
  return matchingService({ store, clock: { now: () => now } });
}

const people = [
  aCandidate({ id: 'cand_01JP0000000000000000000001', headline: 'Engineer', skills: ['typescript', 'react'], location: { city: 'London', country: 'GB' }, engagement: { score: 9, updatedAt: now } }),
  aCandidate({ id: 'cand_01JP0000000000000000000002', headline: 'Baker', skills: ['baking'], location: { city: 'London', country: 'GB' } }),
  aCandidate({ id: 'cand_01JP0000000000000000000003', headline: 'Office manager for engineers', skills: [], location: { city: 'London', country: 'GB' } }),
  aCandidate({ id: 'cand_01JP0000000000000000000004', headline: 'Gardener', skills: ['pruning'] }),
];

describe('job suggestions in the API and in campaign emails', () => {
  it.each(people.map((person) => [person.headline, person] as const))('suggests %s the same jobs in both, in the same order', async (_, person) => {
    const fromApi = (await apiFor(person).suggestionsFor(person.id, 3)).items.map((item) => item.title);
    const inEmail = suggestJobs(profileOf(person), openJobs, now, person.id).map((item) => item.title);
    expect(fromApi).toEqual(inEmail);
  });

  it('suggests only jobs that fit: a required skill, or the words of a job listing none', async () => {
    expect((await apiFor(people[1]!).suggestionsFor(people[1]!.id, 10)).items.map((item) => item.title)).toEqual(['Pastry Chef']);
    expect((await apiFor(people[2]!).suggestionsFor(people[2]!.id, 10)).items.map((item) => item.title)).toEqual(['Office Manager']);
    expect((await apiFor(people[3]!).suggestionsFor(people[3]!.id, 10)).items).toEqual([]);
  });

  it('suggests nothing to someone who objected to profiling, and says why', async () => {
    const objected = { ...people[0]!, consents: [{ purpose: 'profiling', granted: false, recordedAt: '2026-05-01T00:00:00.000Z' }] };
    expect(await apiFor(objected).suggestionsFor(objected.id, 10)).toEqual({ candidateId: objected.id, items: [], withheld: 'objected-to-profiling' });
    expect(suggestJobs(profileOf(objected), openJobs, now, objected.id)).toEqual([]);
  });
});

describe('where the shared scoring lives', () => {
  const importsOf = (path: string) => [...readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8').matchAll(/from '([^']+)'/g)].map((m) => m[1]!);

  it('is pure: shared/matching imports neither a context nor the AWS SDK', () => {
    for (const file of ['shared/matching/fit.ts', 'shared/matching/skills.ts', 'shared/consents.ts', 'shared/text/bm25.ts']) {
      expect(importsOf(file).filter((path) => path.includes('functions/') || path.startsWith('@aws-sdk'))).toEqual([]);
    }
  });

  it('keeps campaigns and candidates out of each other’s domain', () => {
    expect(importsOf('functions/campaigns/domain/message.ts').filter((path) => path.includes('candidates/'))).toEqual([]);
    expect(importsOf('functions/candidates/domain/matching-service.ts').filter((path) => path.includes('campaigns/'))).toEqual([]);
  });
});
