import { Conflict, NotFound } from '../../../shared/errors.ts';
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
  const recorded = (id: string) => applications.get(id).then(() => true, (error: unknown) => {
    if (error instanceof NotFound) return false;
    throw error;
  });

  return {
    /**
     * Someone who comes of their own accord for something other than a job (an event RSVP, a walk-in): found by
     * address, or created (passive) when new. As with an application, an existing profile and its consents never change.
     */
    async register(input: { email: string; profile: Profile; source: CreateCandidate['source'] }, actor: string): Promise<{ candidate: Candidate; created: boolean }> {
      const existing = (await candidates.idsByEmail([input.email])).get(input.email);
      if (existing) return { candidate: await candidates.get(existing), created: false };
      return candidates.add({ email: input.email, ...input.profile, status: 'passive', source: input.source, consents: [] }, actor, 'fail', { ownAccord: true }).catch(async (error: unknown) => {
        const holder = error instanceof Conflict ? (error.extras.existingId as string | undefined) : undefined;
        if (!holder) throw error;
        return { candidate: await candidates.get(holder), created: false };
      });
    },

    /**
     * A confirmed talent-community sign-up: created (passive), or the profile fields it names updated — the status
     * of someone already known never changes here; consents recorded; added to the site's pool.
     */
    async join(input: { email: string; profile: Profile; source: CreateCandidate['source']; consents: Consents; poolId: string }, actor: string): Promise<{ candidate: Candidate; created: boolean }> {
      const { email, profile, source, consents, poolId } = input;
      const existing = (await candidates.idsByEmail([email])).get(email);
      const { candidate, created } = existing
        ? { candidate: await candidates.upsert(existing, { email, ...profile }, actor), created: false }
        : await candidates.add({ email, ...profile, status: 'passive', source, consents }, actor, 'merge', { ownAccord: true });
      if (!created) await candidates.recordConsents(candidate.id, consents, actor);
      return { candidate: await candidates.addToPool(candidate.id, poolId, actor), created };
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
      // Never a merge: a public form must not write over someone who exists, even one created a moment ago.
      const existing = (await candidates.idsByEmail([input.email])).get(input.email);
      let created = false;
      let candidate: Candidate;
      if (existing) candidate = await candidates.get(existing);
      else {
        const added = await candidates.add({ email: input.email, ...input.profile, status: 'active', source: input.source, consents: input.consents }, actor, 'fail', { ownAccord: true }).catch(async (error: unknown) => {
          const holder = error instanceof Conflict ? (error.extras.existingId as string | undefined) : undefined;
          if (!holder) throw error;
          return { candidate: await candidates.get(holder), created: false };
        });
        ({ candidate, created } = added);
      }
      const open = candidate.applications.find((a) => a.jobId === input.application.jobId && !['hired', 'rejected', 'withdrawn'].includes(a.status));
      if (open) return { candidate, created };
      // The same submission again (a double click, a retried request) carries the same id: it was recorded already.
      const { applicationId } = options;
      if (await recorded(applicationId)) return { candidate, created };
      await options.beforeApplication?.(candidate.id);
      const { note, ...fields } = input.application;
      try {
        const application = await applications.create(candidate.id, { ...fields, status: 'applied', ...(note ? { note } : {}) }, actor, applicationId);
        return { candidate, application, created };
      } catch (error) {
        if (error instanceof Conflict && (await recorded(applicationId))) return { candidate, created };
        throw error;
      }
    },
  };
}

export type IntakeService = ReturnType<typeof intakeService>;
