import { batchGet } from '../../../shared/table/batch.ts';
import { candidateKey } from '../../candidates/adapters/entities.ts';
import { intake } from '../../candidates/adapters/services-applications.ts';
import { candidates } from '../../candidates/adapters/services.ts';
import { NotFound } from '../../../shared/errors.ts';
import type { Contact, People } from '../domain/ports.ts';
import { PUBLIC_ACTOR } from '../domain/rsvp-service.ts';

/**
 * People come in through the candidates context's own intake, so the rules for creating candidates stay in one
 * place: a public form never changes someone who exists, and coming of one's own accord lifts an erasure tombstone.
 */
export const candidatePeople: People = {
  async register({ email, firstName, lastName, eventTitle }) {
    const { candidate } = await intake.register({ email, profile: { firstName, lastName }, source: { type: 'event', detail: eventTitle.slice(0, 200) } }, PUBLIC_ACTOR);
    return candidate.id;
  },
  async walkIn({ email, firstName, lastName, eventTitle }, actor) {
    const profile = { ...(firstName ? { firstName } : {}), ...(lastName ? { lastName } : {}) };
    const { candidate } = await intake.register({ email, profile, source: { type: 'event', detail: eventTitle.slice(0, 200) } }, actor);
    return candidate.id;
  },
  async exists(candidateId) {
    return candidates.get(candidateId).then(() => true, (error: unknown) => {
      if (error instanceof NotFound) return false;
      throw error;
    });
  },
  async contacts(candidateIds) {
    const profiles = await batchGet<{ id: string; email: string; firstName?: string; lastName?: string }>([...new Set(candidateIds)].map(candidateKey));
    return new Map(profiles.map((p): [string, Contact] => [p.id, { email: p.email, ...(p.firstName ? { firstName: p.firstName } : {}), ...(p.lastName ? { lastName: p.lastName } : {}) }]));
  },
};
