import { Conflict, NotFound, Unprocessable } from '../../../shared/errors.ts';
import type { Page, PageRequest } from '../../../shared/http/pagination.ts';
import { FORMER_APPLICANTS, SILVER_MEDALISTS, applicationLadder, type Candidate, type ReactivationSettings } from '../schemas.ts';
import type { Clock } from './ports.ts';
import type { BuiltInSegment } from './segment-service.ts';
import type { Rule } from './segment-rule.ts';
import type { taskService } from './task-service.ts';

/**
 * Reactivation of former applicants (docs/reactivation.md): the built-in segments that find them, and what happens
 * when a job is published that fits a silver medalist (a task for the recruiter, a drip if the settings name one).
 */

/** People who applied and are done: no application open or hired, and not asking to be left alone. */
const doneApplying: Rule[] = [
  { field: 'applications.status', op: 'exists' },
  { not: { field: 'applications.status', op: 'in', value: ['applied', 'screening', 'interview', 'offer', 'hired'] } },
  { not: { field: 'status', op: 'eq', value: 'do-not-contact' } },
];

export const formerApplicantRule = (): Rule => ({ all: doneApplying });

/**
 * Every application of theirs ended without a hire, so "one of them reached interview" is "an application that ended
 * reached interview (or offer)"; the waiting period runs from the latest end.
 */
export const silverMedalistRule = (afterDays: number): Rule => ({
  all: [
    ...doneApplying,
    { field: 'applications.reached', op: 'contains', value: 'interview' },
    { field: 'applications.endedDays', op: 'gte', value: afterDays },
  ],
});

export function builtInSegments(settings: ReactivationSettings): BuiltInSegment[] {
  return [
    {
      id: SILVER_MEDALISTS,
      name: 'Silver medalists',
      description: `Reached interview or offer, then were turned down or withdrew, ${settings.silverMedalistAfterDays} days ago or more; nothing open now.`,
      rule: silverMedalistRule(settings.silverMedalistAfterDays),
    },
    {
      id: FORMER_APPLICANTS,
      name: 'Former applicants',
      description: 'Applied at least once; every application ended (rejected or withdrawn), none hired, none open.',
      rule: formerApplicantRule(),
    },
  ];
}

/** What matching reads of a job (the syndication context's Job). */
export interface JobToMatch {
  id: string;
  title: string;
  status: string;
  skills: string[];
  location: { type: 'onsite' | 'hybrid' | 'remote'; address?: { country: string }; applicantCountries?: string[] };
  url: string;
  createdAt: string;
}

/** The furthest ladder step any of the person's applications reached. */
function furthestStep(candidate: Candidate): string | undefined {
  const reached = new Set(candidate.applications.flatMap((a) => a.reached ?? []));
  return applicationLadder.filter((step) => reached.has(step)).at(-1);
}

/**
 * Why the person fits the job, or undefined when they do not: at least one skill in common (without case), and they
 * live in the job's country, or it is remote or hybrid and their country is one applicants may live in.
 */
export function matchReasons(job: JobToMatch, candidate: Candidate): string[] | undefined {
  const wanted = new Set(job.skills.map((s) => s.toLowerCase()));
  const shared = [...new Set(candidate.skills.map((s) => s.toLowerCase()))].filter((s) => wanted.has(s));
  const country = candidate.location?.country?.toUpperCase();
  if (!shared.length || !country) return undefined;
  const onSite = job.location.type !== 'remote' && job.location.address?.country.toUpperCase() === country;
  const fromAfar = job.location.type !== 'onsite' && (job.location.applicantCountries ?? []).some((c) => c.toUpperCase() === country);
  if (!onSite && !fromAfar) return undefined;
  const step = furthestStep(candidate);
  return [`skills ${shared.join(', ')}`, onSite ? `lives in ${country}` : `remote from ${country}`, ...(step ? [`reached ${step} before`] : [])];
}

const TITLE_MAX = 200;
const taskTitle = (job: JobToMatch, reasons: string[]) => {
  const title = `Silver medalist for ${job.title}: ${reasons.join('; ')}`;
  return title.length <= TITLE_MAX ? title : `${title.slice(0, TITLE_MAX - 1)}…`;
};
/** A match is worth a call soon, while the job is fresh. */
const TASK_DUE_DAYS = 2;

export interface ReactivationStore {
  settings(): Promise<ReactivationSettings>;
  saveSettings(settings: ReactivationSettings): Promise<void>;
  /** Whether this JobPublished was handled to the end already (a redelivery then does nothing). */
  handled(eventId: string): Promise<boolean>;
  markHandled(eventId: string, jobId: string): Promise<void>;
}

/** What a campaign is (the campaigns context's store, read only). */
export interface CampaignLookup {
  get(campaignId: string): Promise<{ kind: string; status: string } | undefined>;
}

/** The settings: saving them checks the drip and gives the built-in segments their rules. */
export function reactivationSettings(deps: { store: ReactivationStore; campaigns: CampaignLookup; syncSegments(): Promise<void> }) {
  return {
    get: () => deps.store.settings(),

    async save(settings: ReactivationSettings): Promise<ReactivationSettings> {
      if (settings.campaignId) {
        const campaign = await deps.campaigns.get(settings.campaignId);
        const wrong = !campaign
          ? 'no such campaign'
          : campaign.kind !== 'drip'
            ? 'a one-shot campaign; reactivation enrols people in a drip'
            : campaign.status === 'cancelled' || campaign.status === 'failed'
              ? `a ${campaign.status} drip`
              : undefined;
        if (wrong) throw new Unprocessable(`The campaign ${settings.campaignId} cannot take reactivations: ${wrong}.`, { errors: [{ path: 'body.campaignId', message: wrong }] });
      }
      await deps.store.saveSettings(settings);
      await deps.syncSegments();
      return settings;
    },
  };
}

export interface JobMatcherDeps {
  store: ReactivationStore;
  /** The job as the syndication context stores it. */
  jobs: { get(jobId: string): Promise<JobToMatch | undefined> };
  /** A page of the silver-medalist segment's members with their profiles. */
  silverMedalists(page: PageRequest): Promise<Page<Candidate>>;
  campaigns: CampaignLookup;
  /** The campaigns context's own drip enrollment: false for someone enrolled before. */
  enroll(campaignId: string, candidateId: string): Promise<boolean>;
  tasks: Pick<ReturnType<typeof taskService>, 'create'>;
  /** The same seed gives the same id (shared/ids.ts `derivedId`). */
  derivedId(prefix: 'task', at: string, seed: string): string;
  clock: Clock;
}

/** Profiles read per page of silver medalists. */
const PAGE = 100;

/** Matches published jobs against the silver medalists. */
export function jobMatcher(deps: JobMatcherDeps) {
  const { store, clock } = deps;

  /** The recruiter's task for one match: its id comes from job and person, so a second publish adds none. */
  async function createTask(job: JobToMatch, candidate: Candidate, reasons: string[], assignee: string): Promise<boolean> {
    const id = deps.derivedId('task', job.createdAt, `reactivation:${job.id}:${candidate.id}`);
    const dueAt = new Date(Date.parse(clock.now()) + TASK_DUE_DAYS * 86_400_000).toISOString();
    const notes = `${job.title} (${job.url}) was published and fits this former applicant: ${reasons.join('; ')}.`;
    try {
      await deps.tasks.create(candidate.id, { title: taskTitle(job, reasons), dueAt, assignee, notes }, 'system', id);
      return true;
    } catch (error) {
      // Conflict: created by an earlier delivery. NotFound: erased or merged away since the page was read.
      if (error instanceof Conflict || error instanceof NotFound) return false;
      throw error;
    }
  }

  return {
    /**
     * A job was published: every silver medalist who fits it gets a task for the recruiter and, when the settings name
     * a running drip, an enrollment in it. Idempotent: task ids and drip executions are derived from job and person.
     */
    async jobPublished(event: { eventId: string; jobId: string }): Promise<{ matched: number; tasks: number; enrolled: number }> {
      const result = { matched: 0, tasks: 0, enrolled: 0 };
      if (await store.handled(event.eventId)) return result;
      const job = await deps.jobs.get(event.jobId);
      if (job?.status === 'open') {
        const settings = await store.settings();
        const drip = settings.campaignId ? await deps.campaigns.get(settings.campaignId) : undefined;
        const enrolling = drip?.kind === 'drip' && drip.status === 'running';
        let cursor: string | undefined;
        do {
          const page = await deps.silverMedalists({ limit: PAGE, cursor });
          for (const candidate of page.items) {
            const reasons = matchReasons(job, candidate);
            if (!reasons) continue;
            result.matched++;
            if (settings.taskAssignee && (await createTask(job, candidate, reasons, settings.taskAssignee))) result.tasks++;
            if (enrolling && (await deps.enroll(settings.campaignId!, candidate.id))) result.enrolled++;
          }
          cursor = page.nextCursor;
        } while (cursor);
      }
      await store.markHandled(event.eventId, event.jobId);
      return result;
    },
  };
}
