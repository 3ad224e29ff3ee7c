import type { Application, Candidate, CreateCandidate } from '../schemas.ts';
import type { ApplicationService } from './application-service.ts';
import type { CandidateService } from './candidate-service.ts';

type Profile = Omit<CreateCandidate, 'email' | 'source' | 'consents' | 'tags'>;
type Consents = NonNullable<CreateCandidate['consents']>;

/**
 * People who come in through the career sites. What a public form may change depends on whether the person proved
 * they own the address: a confirmed sign-up updates the profile it names; an application (anyone can type any
 * address) never changes an existing person's profile or consents, it only adds the application.
 */
export function intakeService(deps: { candidates: CandidateService; applications: ApplicationService }) {
  const { candidates, applications } = deps;

  return {
    /** A confirmed talent-community sign-up: created or updated, consents recorded, added to the site's pool. */
    async join(input: { email: string; profile: Profile; source: CreateCandidate['source']; consents: Consents; poolId: string }, actor: string): Promise<{ candidate: Candidate; created: boolean }> {
      const { candidate, created } = await candidates.add({ email: input.email, ...input.profile, status: 'passive', source: input.source, consents: input.consents }, actor, 'merge');
      if (!created) await candidates.recordConsents(candidate.id, input.consents, actor);
      return { candidate: await candidates.addToPool(candidate.id, input.poolId, actor), created };
    },

    /**
     * An application from the career site; the candidate is created when the address is new. `beforeApplication`
     * runs once the candidate is known (to store their CV). Applying again to a job whose application is still open
     * adds nothing: people press the button twice.
     */
    async apply(
      input: { email: string; profile: Profile; source: CreateCandidate['source']; consents: Consents; application: { jobId: string; requisitionId?: string; utm?: Application['utm']; cv?: Application['cv']; note?: string } },
      actor: string,
      options: { applicationId: string; beforeApplication?: (candidateId: string) => Promise<void> },
    ): Promise<{ candidate: Candidate; application?: Application; created: boolean }> {
      const existing = (await candidates.idsByEmail([input.email])).get(input.email);
      const { candidate, created } = existing
        ? { candidate: await candidates.get(existing), created: false }
        : await candidates.add({ email: input.email, ...input.profile, status: 'active', source: input.source, consents: input.consents }, actor, 'merge');
      const open = candidate.applications.find((a) => a.jobId === input.application.jobId && !['hired', 'rejected', 'withdrawn'].includes(a.status));
      if (open) return { candidate, created };
      await options.beforeApplication?.(candidate.id);
      const { note, ...fields } = input.application;
      const application = await applications.create(candidate.id, { ...fields, status: 'applied', ...(note ? { note } : {}) }, actor, options.applicationId);
      return { candidate, application, created };
    },
  };
}

export type IntakeService = ReturnType<typeof intakeService>;
