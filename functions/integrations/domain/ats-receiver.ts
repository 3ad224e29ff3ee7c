import { Conflict, InvalidInput, NotFound, Unauthorized, Unprocessable } from '../../../shared/errors.ts';
import { SIGNATURE_TOLERANCE_SECONDS } from '../../../shared/webhook-signature.ts';
import { CreateCandidate, type Application, type Candidate } from '../../candidates/schemas.ts';
import type { AtsEventResult } from '../ats-schemas.ts';
import { verificationSecrets } from './ats-connections.ts';
import { destination, normalise, type AtsChange } from './ats-mapping.ts';
import type { AtsConnectionRecord, AtsConnectionStore, AtsEventLog, AtsLinks, Applications, Clock, Ids, People, Requisitions, SecretBox } from './ats-ports.ts';
import { verifyDelivery, type Delivery } from './ats-signatures.ts';

/** The same answer for an unknown connection as for a bad signature: a caller learns nothing about which exist. */
export const NOT_SIGNED = 'The request is not signed with this connection\'s secret, or its signature is too old.';

const ended = ['hired', 'rejected', 'withdrawn'];

/**
 * Events an ATS sends about its candidates and their applications. Verified first (nothing is read or written for
 * a forged or stale delivery), deduplicated by the ATS's event id, then applied: the person found by their linked
 * id or their address (or created: the ATS is trusted), linked, and their application created or moved to where
 * the ATS says, which publishes ApplicationStatusChanged through the candidates context's outbox.
 */
export function atsReceiver(deps: {
  connections: AtsConnectionStore;
  events: AtsEventLog;
  links: AtsLinks;
  requisitions: Requisitions;
  people: People;
  applications: Applications;
  secrets: SecretBox;
  clock: Clock;
  ids: Ids;
}) {
  const { connections, events, links, requisitions, people, applications, secrets, clock, ids } = deps;

  const notFoundAsNothing = <T>(error: unknown): T | undefined => {
    if (error instanceof NotFound) return undefined;
    throw error;
  };

  /** The candidate a link names, following a merge to whoever they were merged into. */
  async function linkedCandidate(holder: string): Promise<Candidate | undefined> {
    try {
      return await people.get(holder);
    } catch (error) {
      const mergedInto = error instanceof NotFound ? (error.extras.mergedInto as string | undefined) : undefined;
      if (mergedInto) return people.get(mergedInto).catch((e: unknown) => notFoundAsNothing<Candidate>(e));
      return notFoundAsNothing<Candidate>(error);
    }
  }

  /**
   * Fills what the profile lacks from what the ATS says, never more: Greenhouse sends the whole person with every
   * event, and a recruiter's correction must not be undone by the next stage change.
   */
  async function fillBlanks(candidate: Candidate, change: AtsChange, actor: string): Promise<Candidate> {
    const { firstName, lastName, phone } = change.candidate;
    const blanks = {
      ...(firstName && !candidate.firstName ? { firstName } : {}),
      ...(lastName && !candidate.lastName ? { lastName } : {}),
      ...(phone && !candidate.phone ? { phone } : {}),
    };
    if (!Object.keys(blanks).length) return candidate;
    return people.upsert(candidate.id, CreateCandidate.parse({ email: candidate.email, ...blanks }), actor);
  }

  type Person = { candidate: Candidate; created: boolean; linkedAs?: string } | { outcome: 'unmatched' | 'withheld'; reason: string };

  async function findPerson(connection: AtsConnectionRecord, change: AtsChange, actor: string): Promise<Person> {
    const { externalId, emails } = change.candidate;
    for (const holder of await links.holders(connection.id, externalId)) {
      const candidate = await linkedCandidate(holder);
      if (candidate) return { candidate: await fillBlanks(candidate, change, actor), created: false, linkedAs: holder };
    }
    if (!emails.length) return { outcome: 'unmatched', reason: `nobody is linked to the ATS's person ${externalId} and the event names no address` };
    const owners = await people.idsByEmail(emails);
    const owner = emails.map((email) => owners.get(email)).find((id) => id !== undefined);
    if (owner) return { candidate: await fillBlanks(await people.get(owner), change, actor), created: false };
    // As an import does: someone erased at their request is not brought back by another system.
    if ((await people.erasedAmong(emails)).size) return { outcome: 'withheld', reason: "erased at the person's request" };
    const { firstName, lastName, phone } = change.candidate;
    const basics = { email: emails[0], status: 'active', source: { type: 'ats', detail: connection.name } };
    // A name or number our profile would refuse is left out rather than losing the event.
    const full = CreateCandidate.safeParse({ ...basics, firstName, lastName, phone });
    const input = full.success ? full.data : CreateCandidate.parse(basics);
    try {
      return await people.add(input, actor, 'fail');
    } catch (error) {
      if (error instanceof Unprocessable) return { outcome: 'withheld', reason: "erased at the person's request" };
      const holder = error instanceof Conflict ? (error.extras.existingId as string | undefined) : undefined;
      if (!holder) throw error;
      return { candidate: await people.get(holder), created: false };
    }
  }

  /** An open application of the person to this job that no ATS decides yet (a career-site application the ATS took over). */
  async function adoptable(candidate: Candidate, jobId: string | undefined): Promise<string | undefined> {
    if (!jobId) return undefined;
    for (const summary of candidate.applications.filter((a) => a.jobId === jobId && !ended.includes(a.status))) {
      const application = await applications.get(summary.id).catch((e: unknown) => notFoundAsNothing<Application>(e));
      if (application && !application.external) return application.id;
    }
    return undefined;
  }

  async function apply(connection: AtsConnectionRecord, change: AtsChange): Promise<AtsEventResult> {
    const actor = `ats:${connection.id}`;
    const { eventId } = change;
    const person = await findPerson(connection, change, actor);
    if ('outcome' in person) return { eventId, outcome: person.outcome, reason: person.reason };
    const link = { connectionId: connection.id, id: change.candidate.externalId };
    const candidateId = person.candidate.id;
    if (person.linkedAs !== candidateId) await links.link(candidateId, connection.id, link.id, clock.now());
    const candidate = await people.linkExternalId(candidateId, link, actor);
    const created = person.created ? { candidateCreated: true } : {};

    const { requisitionId, externalId, move, note } = change.application;
    const jobId = requisitionId ? await requisitions.jobFor(requisitionId) : undefined;
    const earlier =
      (await links.claimed(candidateId, connection.id, externalId)) ??
      (person.linkedAs && person.linkedAs !== candidateId ? await links.claimed(person.linkedAs, connection.id, externalId) : undefined);
    const proposed = earlier ?? (await adoptable(candidate, jobId)) ?? ids.next('app');
    const applicationId = await links.claim(candidateId, connection.id, externalId, proposed, change.at);
    if (!applicationId) return { eventId, outcome: 'stale', candidateId, ...created, reason: 'a later event of this application was applied already' };

    const external = { connectionId: connection.id, id: externalId };
    let current = await applications.get(applicationId).catch((e: unknown) => notFoundAsNothing<Application>(e));
    if (!current) {
      const status = destination(move, connection.stageMap) ?? 'applied';
      try {
        const application = await applications.create(
          candidateId,
          { status, ...(jobId ? { jobId } : {}), ...(requisitionId ? { requisitionId } : {}), note, external },
          actor,
          applicationId,
        );
        return { eventId, outcome: 'changed', candidateId, ...created, applicationId, status: application.status };
      } catch (error) {
        // The same application created by a delivery racing this one: move it instead.
        if (!(error instanceof Conflict)) throw error;
        current = await applications.get(applicationId);
      }
    }
    // A stage nothing maps leaves it where it stands (an adopted application still gets its ATS id).
    const status = destination(move, connection.stageMap, current) ?? current.status;
    if (status === current.status && current.external) return { eventId, outcome: 'unchanged', candidateId, ...created, applicationId, status };
    const moved = await applications.sync(applicationId, { status, note, external }, actor);
    return { eventId, outcome: moved.status === current.status ? 'unchanged' : 'changed', candidateId, ...created, applicationId, status: moved.status };
  }

  return {
    /** Verifies, dedupes and applies one delivery; the same event delivered again answers what the first delivery did. */
    async receive(connectionId: string, delivery: Delivery): Promise<AtsEventResult> {
      const connection = await connections.get(connectionId);
      const now = clock.now();
      const nowSeconds = Math.floor(Date.parse(now) / 1000);
      if (!connection || !verifyDelivery(connection.format, delivery, await verificationSecrets(connection, secrets, now), nowSeconds)) {
        throw new Unauthorized(NOT_SIGNED);
      }
      const normalised = normalise(connection.format, delivery, connection.stageMap);
      const eventId = normalised.kind === 'change' ? normalised.change.eventId : normalised.eventId;
      const seen = await events.get(connection.id, eventId);
      if (seen) return seen;
      let result: AtsEventResult;
      if (normalised.kind === 'ignored') result = { eventId, outcome: 'ignored', reason: normalised.reason };
      else {
        const { change } = normalised;
        const early = change.at !== undefined && Date.parse(change.at) > (nowSeconds + SIGNATURE_TOLERANCE_SECONDS) * 1000;
        if (early && connection.format === 'native') throw new InvalidInput('The event happened in the future.', [{ path: 'body.occurredAt', message: 'later than now' }]);
        // A clock running ahead in the ATS must not make every later event look stale.
        result = await apply(connection, early ? { ...change, at: now } : change);
      }
      return events.record(connection.id, result, now);
    },
  };
}

export type AtsReceiver = ReturnType<typeof atsReceiver>;
