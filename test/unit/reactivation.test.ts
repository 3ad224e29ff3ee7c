import { describe, expect, it } from 'vitest';
import { Conflict, Unprocessable } from '../../shared/errors.ts';
import { applicationSummary } from '../../functions/candidates/domain/application-service.ts';
import type { CandidateService } from '../../functions/candidates/domain/candidate-service.ts';
import {
  builtInSegments, formerApplicantRule, jobMatcher, matchReasons, reactivationSettings, silverMedalistRule,
  type JobMatcherDeps, type JobToMatch,
} from '../../functions/candidates/domain/reactivation.ts';
import type { SegmentRecord, SegmentStore } from '../../functions/candidates/domain/ports.ts';
import { SegmentRule, dependsOnTime, matches } from '../../functions/candidates/domain/segment-rule.ts';
import { segmentService } from '../../functions/candidates/domain/segment-service.ts';
import { FORMER_APPLICANTS, SILVER_MEDALISTS, type Application, type Candidate, type ReactivationSettings } from '../../functions/candidates/schemas.ts';
import { aCandidate } from '../fixtures/builders.ts';

const now = '2026-11-25T10:00:00.000Z';
const daysAgo = (days: number, hours = 0) => new Date(Date.parse(now) - days * 86_400_000 - hours * 3_600_000).toISOString();

/** An application that went through these statuses, the last one `endedDaysAgo` days ago. */
function anApplication(statuses: Application['status'][], endedDaysAgo: number, id = 'app_01JDX5Q9S3P5W7V9X1Z3B5D7F0'): Application {
  const history = statuses.map((status, i) => ({ status, at: daysAgo(endedDaysAgo + statuses.length - 1 - i), by: 'recruiter' }));
  return { id, candidateId: 'cand_01JAAAAAAAAAAAAAAAAAAAAAAA', status: statuses.at(-1)!, history, createdAt: history[0]!.at, updatedAt: history.at(-1)!.at, version: statuses.length };
}
const withApplications = (...applications: Application[]) => aCandidate({ applications: applications.map(applicationSummary) });
const silver = (candidate: Candidate, afterDays = 30) => matches(silverMedalistRule(afterDays), candidate, now);
const former = (candidate: Candidate) => matches(formerApplicantRule(), candidate, now);

const aJob = (overrides: Partial<JobToMatch> = {}): JobToMatch => ({
  id: 'job_01JDX5Q9S3P5W7V9X1Z3B5D7F0',
  title: 'Backend Engineer',
  status: 'open',
  skills: ['typescript', 'aws'],
  location: { type: 'onsite', address: { country: 'GB' } },
  url: 'https://jobs.example.com/jobs/backend-engineer/',
  createdAt: '2026-11-20T09:00:00.000Z',
  ...overrides,
});

describe('the silver-medalist rule', () => {
  it('takes someone who reached interview and was rejected 40 days ago', () => {
    expect(silver(withApplications(anApplication(['applied', 'screening', 'interview', 'rejected'], 40)))).toBe(true);
  });

  it('leaves out someone who reached only screening before being rejected', () => {
    expect(silver(withApplications(anApplication(['applied', 'screening', 'rejected'], 40)))).toBe(false);
  });

  it('waits the whole period: rejected 10 days ago with a 30-day wait is not in yet', () => {
    expect(silver(withApplications(anApplication(['applied', 'interview', 'rejected'], 10)))).toBe(false);
  });

  it('counts a step that was skipped on the way up: straight from applied to offer, then withdrawn', () => {
    const candidate = withApplications(anApplication(['applied', 'offer', 'withdrawn'], 45));
    expect(candidate.applications[0]!.reached).toEqual(['applied', 'screening', 'interview', 'offer']);
    expect(silver(candidate)).toBe(true);
  });

  it('takes people at once with a wait of 0 days', () => {
    expect(silver(withApplications(anApplication(['applied', 'interview', 'rejected'], 0)), 0)).toBe(true);
  });

  it('runs the wait from the latest end: a rejection last week holds back an older interview', () => {
    const candidate = withApplications(
      anApplication(['applied', 'interview', 'rejected'], 90, 'app_01JDX5Q9S3P5W7V9X1Z3B5D7F1'),
      anApplication(['applied', 'rejected'], 7, 'app_01JDX5Q9S3P5W7V9X1Z3B5D7F2'),
    );
    expect(silver(candidate)).toBe(false);
  });

  it('leaves out people with an open application, and people who were hired', () => {
    const interviewed = anApplication(['applied', 'interview', 'rejected'], 60, 'app_01JDX5Q9S3P5W7V9X1Z3B5D7F1');
    expect(silver(withApplications(interviewed, anApplication(['applied', 'screening'], 1, 'app_01JDX5Q9S3P5W7V9X1Z3B5D7F2')))).toBe(false);
    expect(silver(withApplications(interviewed, anApplication(['applied', 'offer', 'hired'], 50, 'app_01JDX5Q9S3P5W7V9X1Z3B5D7F2')))).toBe(false);
  });

  it('leaves out people who asked not to be contacted', () => {
    const candidate = { ...withApplications(anApplication(['applied', 'interview', 'rejected'], 40)), status: 'do-not-contact' as const };
    expect(silver(candidate)).toBe(false);
  });

  it('is a valid segment rule that ages with time (refreshed daily)', () => {
    for (const segment of builtInSegments({ silverMedalistAfterDays: 30 })) expect(SegmentRule.safeParse(segment.rule).success).toBe(true);
    expect(dependsOnTime(silverMedalistRule(30))).toBe(true);
    expect(dependsOnTime(formerApplicantRule())).toBe(false);
  });
});

describe('the former-applicant rule', () => {
  it('takes anyone whose applications all ended without a hire, at any step', () => {
    expect(former(withApplications(anApplication(['applied', 'rejected'], 2)))).toBe(true);
    expect(former(withApplications(anApplication(['applied', 'withdrawn'], 200)))).toBe(true);
  });

  it('leaves out people who never applied, are still applying, or were hired', () => {
    expect(former(aCandidate())).toBe(false);
    expect(former(withApplications(anApplication(['applied', 'screening'], 1)))).toBe(false);
    expect(former(withApplications(anApplication(['applied', 'hired'], 100)))).toBe(false);
  });
});

describe('matching a published job to a silver medalist', () => {
  const interviewed = (overrides: Partial<Candidate>) => ({ ...withApplications(anApplication(['applied', 'interview', 'rejected'], 40)), ...overrides });

  it('matches shared skills without regard to case, in the job\'s country, and says why', () => {
    const reasons = matchReasons(aJob({ skills: ['TypeScript', 'aws'] }), interviewed({ skills: ['typescript', 'go'], location: { country: 'GB' } }));
    expect(reasons).toEqual(['skills typescript', 'lives in GB', 'reached interview before']);
  });

  it('does not match without a skill in common', () => {
    expect(matchReasons(aJob(), interviewed({ skills: ['cobol'], location: { country: 'GB' } }))).toBeUndefined();
  });

  it('does not match an on-site job in another country', () => {
    expect(matchReasons(aJob(), interviewed({ location: { country: 'FR' } }))).toBeUndefined();
  });

  it('matches a remote job when the person lives in one of its applicant countries, and only then', () => {
    const remote = aJob({ location: { type: 'remote', applicantCountries: ['DE', 'FR'] } });
    expect(matchReasons(remote, interviewed({ location: { country: 'FR' } }))).toContain('remote from FR');
    expect(matchReasons(remote, interviewed({ location: { country: 'GB' } }))).toBeUndefined();
  });

  it('matches a hybrid job on its office country or its applicant countries', () => {
    const hybrid = aJob({ location: { type: 'hybrid', address: { country: 'GB' }, applicantCountries: ['IE'] } });
    expect(matchReasons(hybrid, interviewed({ location: { country: 'GB' } }))).toContain('lives in GB');
    expect(matchReasons(hybrid, interviewed({ location: { country: 'IE' } }))).toContain('remote from IE');
  });

  it('does not match someone whose country is unknown', () => {
    expect(matchReasons(aJob(), interviewed({ location: undefined }))).toBeUndefined();
  });
});

/** Matcher and settings with in-memory fakes: tasks keyed by id as the store's conditional put keeps them. */
function reactivationFakes(settings: ReactivationSettings, people: Candidate[], job = aJob()) {
  const tasks = new Map<string, { candidateId: string; title: string; assignee: string }>();
  const enrolled: string[] = [];
  const handled = new Set<string>();
  let saved = settings;
  let synced = 0;
  const campaigns = {
    get: async (id: string) => (id === 'camp_01JDX5Q9S3P5W7V9X1Z3B5D7F0' ? { kind: 'drip', status: 'running' } : id === 'camp_01JDX5Q9S3P5W7V9X1Z3B5D7F1' ? { kind: 'one-shot', status: 'draft' } : undefined),
  };
  const deps: JobMatcherDeps = {
    store: {
      settings: async () => saved,
      saveSettings: async (next) => void (saved = next),
      handled: async (eventId) => handled.has(eventId),
      markHandled: async (eventId) => void handled.add(eventId),
    },
    jobs: { get: async (id) => (id === job.id ? job : undefined) },
    // One person a page, to prove every page is read.
    silverMedalists: async ({ cursor }) => {
      const at = Number(cursor ?? 0);
      return { items: people.slice(at, at + 1), ...(at + 1 < people.length ? { nextCursor: String(at + 1) } : {}) };
    },
    campaigns,
    enroll: async (_, candidateId) => (enrolled.includes(candidateId) ? false : (enrolled.push(candidateId), true)),
    tasks: {
      create: async (candidateId, input, _actor, id) => {
        if (tasks.has(id!)) throw new Conflict('exists');
        tasks.set(id!, { candidateId, title: input.title, assignee: input.assignee });
        return { id: id!, candidateId, ...input, status: 'open', createdAt: now, createdBy: 'system' };
      },
    },
    derivedId: (prefix, at, seed) => `${prefix}_${at}_${seed}`,
    clock: { now: () => now },
  };
  const settingsService = reactivationSettings({ store: deps.store, campaigns, syncSegments: async () => void synced++ });
  return { service: jobMatcher(deps), settings: settingsService, tasks, enrolled, synced: () => synced };
}

describe('a published job', () => {
  const settings = { silverMedalistAfterDays: 30, campaignId: 'camp_01JDX5Q9S3P5W7V9X1Z3B5D7F0', taskAssignee: 'recruiter@example.com' };
  const fits = { ...withApplications(anApplication(['applied', 'interview', 'rejected'], 40)), id: 'cand_01JDX5Q9S3P5W7V9X1Z3B5D7F1', skills: ['aws'] };
  const elsewhere = { ...fits, id: 'cand_01JDX5Q9S3P5W7V9X1Z3B5D7F2', location: { country: 'JP' } };

  it('gives the recruiter one task per fitting silver medalist, with the reasons, and enrols them in the drip', async () => {
    const fakes = reactivationFakes(settings, [elsewhere, fits]);
    expect(await fakes.service.jobPublished({ eventId: 'evt_1', jobId: aJob().id })).toEqual({ matched: 1, tasks: 1, enrolled: 1 });
    expect([...fakes.tasks.values()]).toEqual([
      { candidateId: fits.id, assignee: 'recruiter@example.com', title: 'Silver medalist for Backend Engineer: skills aws; lives in GB; reached interview before' },
    ]);
    expect(fakes.enrolled).toEqual([fits.id]);
  });

  it('creates no second task when the job is published again (a redelivery or a re-opening)', async () => {
    const fakes = reactivationFakes(settings, [fits]);
    await fakes.service.jobPublished({ eventId: 'evt_1', jobId: aJob().id });
    expect(await fakes.service.jobPublished({ eventId: 'evt_2', jobId: aJob().id })).toMatchObject({ matched: 1, tasks: 0, enrolled: 0 });
    expect(fakes.tasks.size).toBe(1);
  });

  it('does nothing for a job that is no longer open', async () => {
    const fakes = reactivationFakes(settings, [fits], aJob({ status: 'closed' }));
    expect(await fakes.service.jobPublished({ eventId: 'evt_1', jobId: aJob().id })).toEqual({ matched: 0, tasks: 0, enrolled: 0 });
  });

  it('only creates tasks when no drip is set', async () => {
    const fakes = reactivationFakes({ silverMedalistAfterDays: 30, taskAssignee: 'recruiter@example.com' }, [fits]);
    expect(await fakes.service.jobPublished({ eventId: 'evt_1', jobId: aJob().id })).toEqual({ matched: 1, tasks: 1, enrolled: 0 });
  });
});

describe('the reactivation settings', () => {
  it('refuse a campaign that is not a drip, naming the field', async () => {
    const fakes = reactivationFakes({ silverMedalistAfterDays: 30 }, []);
    const saving = fakes.settings.save({ silverMedalistAfterDays: 30, campaignId: 'camp_01JDX5Q9S3P5W7V9X1Z3B5D7F1' });
    await expect(saving).rejects.toBeInstanceOf(Unprocessable);
    await expect(saving).rejects.toMatchObject({ extras: { errors: [{ path: 'body.campaignId' }] } });
    expect(fakes.synced()).toBe(0);
  });

  it('bring the built-in segments in line when saved', async () => {
    const fakes = reactivationFakes({ silverMedalistAfterDays: 30 }, []);
    await fakes.settings.save({ silverMedalistAfterDays: 0, campaignId: 'camp_01JDX5Q9S3P5W7V9X1Z3B5D7F0' });
    expect(fakes.synced()).toBe(1);
  });
});

describe('the built-in segments', () => {
  function segmentFakes() {
    const stored = new Map<string, SegmentRecord>();
    const started: string[] = [];
    const store = {
      get: async (id: string) => stored.get(id),
      createIfAbsent: async (segment: SegmentRecord) => (stored.has(segment.id) ? false : (stored.set(segment.id, segment), true)),
      async replace(previous: SegmentRecord, next: SegmentRecord) {
        stored.set(next.id, next);
      },
      list: async () => ({ items: [...stored.values()] }),
      candidateCount: async () => 0,
    } as unknown as SegmentStore;
    let days = 30;
    const service = segmentService({
      segments: store, candidates: {} as CandidateService, workflows: { start: async (_, name) => void started.push(name) }, clock: { now: () => now }, ids: { next: () => 'evt_1' },
      builtIns: async () => builtInSegments({ silverMedalistAfterDays: days }),
    });
    return { service, stored, started, setDays: (d: number) => (days = d) };
  }

  it('exist from the first listing, marked built in, each filled once', async () => {
    const fakes = segmentFakes();
    const { items } = await fakes.service.list({ limit: 50 });
    expect(items.map((s) => [s.id, s.builtIn])).toEqual([[SILVER_MEDALISTS, true], [FORMER_APPLICANTS, true]]);
    await fakes.service.list({ limit: 50 });
    expect(fakes.started).toEqual([`${SILVER_MEDALISTS}-v1`, `${FORMER_APPLICANTS}-v1`]);
  });

  it('refuse to be changed, saying where their setting is', async () => {
    const fakes = segmentFakes();
    await expect(fakes.service.update(SILVER_MEDALISTS, { name: 'Mine' })).rejects.toThrow(/built-in.*\/settings\/reactivation/);
    await expect(fakes.service.update(SILVER_MEDALISTS, { name: 'Mine' })).rejects.toBeInstanceOf(Conflict);
  });

  it('take a new waiting period when the settings change, and evaluate everyone again', async () => {
    const fakes = segmentFakes();
    await fakes.service.list({ limit: 50 });
    fakes.setDays(0);
    await fakes.service.syncBuiltIns();
    expect(fakes.stored.get(SILVER_MEDALISTS)!.rule).toEqual(silverMedalistRule(0));
    expect(fakes.started).toContain(`${SILVER_MEDALISTS}-v2`);
    expect(fakes.started.filter((name) => name.startsWith(FORMER_APPLICANTS))).toHaveLength(1);
  });
});
