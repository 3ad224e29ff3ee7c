import { describe, expect, it } from 'vitest';
import { matchCandidateOf, matchJobOf, matchingService, type MatchingStore } from '../../functions/candidates/domain/matching-service.ts';
import type { Candidate } from '../../functions/candidates/schemas.ts';
import { NotFound } from '../../shared/errors.ts';
import { fitOf, POINTS, rankCandidates, rankJobs, yearsAskedFor } from '../../shared/matching/fit.ts';
import { skillVariants } from '../../shared/matching/skills.ts';
import { aCandidate, aJob } from '../fixtures/builders.ts';

const now = '2026-06-01T12:00:00.000Z';
const job = matchJobOf(
  aJob({
    title: 'Senior Backend Engineer',
    description: '<p>Build our payment APIs in TypeScript on Kubernetes. You have 5+ years of backend experience; Postgres is a plus.</p>',
    skills: ['typescript', 'kubernetes'],
    location: { type: 'hybrid', address: { city: 'Berlin', country: 'DE' } },
  }),
);
const person = (overrides: Partial<Candidate>) => matchCandidateOf(aCandidate(overrides), now);
const fitting = person({
  id: 'cand_01JFFFFFFFFFFFFFFFFFFFFFFF',
  headline: 'Backend engineer building payment APIs',
  skills: ['typescript', 'k8s', 'postgres'],
  location: { city: 'Berlin', country: 'DE' },
  timezone: 'Europe/Berlin',
  experienceYears: 7,
  status: 'active',
  consents: [{ purpose: 'marketing-email', granted: true, recordedAt: '2026-01-01T00:00:00.000Z' }],
  engagement: { score: 6, updatedAt: now },
});
const unfitting = person({
  id: 'cand_01JUUUUUUUUUUUUUUUUUUUUUUU',
  headline: 'Pastry chef',
  skills: ['baking'],
  location: { city: 'Lima', country: 'PE' },
  timezone: 'America/Lima',
  experienceYears: 1,
  status: 'former',
});

const total = (reasons: { points: number }[]) => reasons.reduce((sum, r) => sum + r.points, 0);
const textPoints = (reasons: { criterion: string; points: number }[]) => reasons.find((r) => r.criterion === 'text')?.points ?? 0;

describe('scoring a candidate for a job', () => {
  it('ranks an obviously fitting candidate above an obviously unfitting one', () => {
    const ranked = rankCandidates(job, [unfitting, fitting], [job], now, 10);
    expect(ranked.map((r) => r.candidate.id)).toEqual([fitting.id, unfitting.id]);
    expect(ranked[0]!.score).toBeGreaterThan(ranked[1]!.score);
  });

  it("adds up each result's reasons to its score", () => {
    for (const { score, reasons } of rankCandidates(job, [unfitting, fitting], [job], now, 10)) expect(total(reasons)).toBe(score);
  });

  it('gives every criterion the fitting candidate meets as a reason with its points', () => {
    const { reasons } = fitOf(job, fitting, 0.5, now);
    expect(reasons).toEqual([
      { criterion: 'skill', detail: 'has typescript', points: 15 },
      { criterion: 'skill', detail: 'has kubernetes (as k8s)', points: 15 },
      { criterion: 'nice-to-have', detail: 'has postgres, named in the description', points: 3 },
      { criterion: 'location', detail: 'lives in Berlin, DE', points: 15 },
      { criterion: 'time-zone', detail: 'Europe/Berlin is within 3 hours of Europe/Berlin', points: 5 },
      { criterion: 'experience', detail: '7 years of experience, 5 asked for', points: 10 },
      { criterion: 'status', detail: 'is active', points: 10 },
      { criterion: 'consent', detail: 'agreed to be contacted (marketing-email)', points: 5 },
      { criterion: 'text', detail: "profile covers 50% of the job's key words", points: 10 },
      { criterion: 'engagement', detail: 'engaged lately (score 6.0)', points: 6 },
    ]);
  });

  it('counts a synonym of a required skill as the skill', () => {
    const withSynonym = fitOf(job, person({ skills: ['k8s'] }), 0, now).reasons.filter((r) => r.criterion === 'skill');
    expect(withSynonym).toEqual([{ criterion: 'skill', detail: 'has kubernetes (as k8s)', points: 15 }]);
    expect(skillVariants('Golang')).toEqual(['golang', 'go']);
  });

  it('ranks by text when the job lists no skills', () => {
    const noSkills = { ...job, skills: [] };
    const alike = { ...unfitting, id: 'cand_01JAAAAAAAAAAAAAAAAAAAAAA1', headline: 'Payment APIs backend engineer' };
    const ranked = rankCandidates(noSkills, [unfitting, alike], [noSkills], now, 10);
    expect(ranked.map((r) => r.candidate.id)).toEqual([alike.id, unfitting.id]);
    expect(textPoints(ranked[0]!.reasons)).toBeGreaterThan(0);
    expect(ranked[0]!.reasons.some((r) => r.criterion === 'skill')).toBe(false);
    for (const { score, reasons } of ranked) expect(total(reasons)).toBe(score);
  });

  it('counts a skill once: as a skill, never again as words the profile and the job share', () => {
    const skillsOnly = person({ headline: undefined, skills: ['typescript', 'kubernetes'] });
    const [ranked] = rankCandidates(job, [skillsOnly], [job], now, 1);
    expect(ranked!.reasons.filter((r) => r.criterion === 'skill')).toHaveLength(2);
    expect(textPoints(ranked!.reasons)).toBe(0);
    // Naming the skills in the headline as well adds nothing either.
    const [named] = rankCandidates(job, [{ ...skillsOnly, headline: 'TypeScript Kubernetes' }], [job], now, 1);
    expect(textPoints(named!.reasons)).toBe(0);
  });

  it('gives a one-word profile a small part of the text points, however well the word fits', () => {
    const [oneWord] = rankCandidates(job, [person({ headline: 'Payment', skills: [] })], [job], now, 1);
    expect(textPoints(oneWord!.reasons)).toBeGreaterThan(0);
    expect(textPoints(oneWord!.reasons)).toBeLessThanOrEqual(POINTS.text / 4);
    const [fuller] = rankCandidates(job, [person({ headline: 'Senior backend engineer: payment APIs, years of experience', skills: [] })], [job], now, 1);
    expect(textPoints(fuller!.reasons)).toBeGreaterThan(textPoints(oneWord!.reasons) * 2);
  });

  it('lets a remote job count only people in the countries it hires in', () => {
    const remote = { ...job, location: { type: 'remote' as const, applicantCountries: ['PT', 'ES'] } };
    expect(fitOf(remote, person({ location: { country: 'ES' } }), 0, now).reasons).toContainEqual({ criterion: 'location', detail: 'may work remotely from ES', points: 10 });
    expect(fitOf(remote, person({ location: { country: 'GB' } }), 0, now).reasons.some((r) => r.criterion === 'location')).toBe(false);
  });

  it('never ranks someone who must not be contacted', () => {
    expect(rankCandidates(job, [{ ...fitting, status: 'do-not-contact' }], [job], now, 10)).toEqual([]);
  });

  it('never ranks someone who objected to profiling (GDPR Art. 21), until they withdraw the objection', () => {
    const objection = { purpose: 'profiling', granted: false, recordedAt: '2026-02-01T00:00:00.000Z' };
    const objected = { ...fitting, consents: [...fitting.consents, objection] };
    expect(rankCandidates(job, [objected, unfitting], [job], now, 10).map((r) => r.candidate.id)).toEqual([unfitting.id]);
    expect(rankJobs(objected, [job], now)).toEqual([]);
    const withdrawn = { ...objected, consents: [...objected.consents, { purpose: 'profiling', granted: true, recordedAt: '2026-03-01T00:00:00.000Z' }] };
    expect(rankCandidates(job, [withdrawn], [job], now, 10)).toHaveLength(1);
  });

  it('reads the years of experience a description asks for', () => {
    expect(yearsAskedFor('<p>At least 3 years of Go</p>')).toBe(3);
    expect(yearsAskedFor('10+ years')).toBe(10);
    expect(yearsAskedFor('Join us')).toBeUndefined();
  });
});

describe('suggesting jobs to a candidate', () => {
  const baking = matchJobOf(aJob({ id: 'job_01JBBBBBBBBBBBBBBBBBBBBBBB', title: 'Pastry Chef', description: '<p>Croissants at dawn.</p>', skills: ['baking'], location: { type: 'onsite', address: { city: 'Lima', country: 'PE' } } }));

  it('lists the fitting job first, with the same reasons as the job’s matches', () => {
    const suggested = rankJobs(fitting, [baking, job], now);
    expect(suggested.map((s) => s.job.title)).toEqual(['Senior Backend Engineer', 'Pastry Chef']);
    const asMatch = rankCandidates(job, [fitting], [baking, job], now, 1)[0]!;
    expect(suggested[0]!.reasons).toEqual(asMatch.reasons);
  });

  it('answers 404 for an unknown job', async () => {
    const store: MatchingStore = {
      job: async () => undefined, openJobs: async () => [], idsIn: async () => ({ ids: [], more: false }), candidates: async () => [], candidate: async () => undefined,
    };
    const service = matchingService({ store, clock: { now: () => now } });
    await expect(service.matchesForJob('job_01JZZZZZZZZZZZZZZZZZZZZZZZ', { limit: 5 })).rejects.toBeInstanceOf(NotFound);
  });
});
