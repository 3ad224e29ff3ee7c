import { InvalidInput, NotFound } from '../../../shared/errors.ts';
import type { PageRequest } from '../../../shared/http/pagination.ts';
import type { AtsConnection, CreateAtsConnection, UpdateAtsConnection } from '../ats-schemas.ts';
import { changeVersioned } from '../../../shared/versioned.ts';
import { type AtsConnectionRecord, type AtsConnectionStore, type AtsLinks, type Clock, type Ids, type People, type SecretBox } from './ats-ports.ts';

/** After a rotation the old secret still verifies for a day: time to paste the new one into the ATS. */
export const ROTATION_GRACE_HOURS = 24;

/** The secrets a delivery to this connection may be signed with now: Lever's tokens, or the secret (and the one before it, during the grace). */
export async function verificationSecrets(connection: AtsConnectionRecord, secrets: SecretBox, now: string): Promise<string[]> {
  if (connection.sealedSignatureTokens?.length) return Promise.all(connection.sealedSignatureTokens.map((token) => secrets.open(token)));
  const previous = connection.previousSealedSecret && connection.previousSecretValidUntil && connection.previousSecretValidUntil > now ? [connection.previousSealedSecret] : [];
  return Promise.all([connection.sealedSecret, ...previous].map((sealed) => secrets.open(sealed)));
}

/**
 * ATS connections (admin): each has its own shared secret, generated here and answered once, stored sealed; and the
 * links between a person's id in the ATS and a candidate, which recruiters set by hand where the ATS sends ids only.
 */
export function atsConnectionService(deps: { connections: AtsConnectionStore; links: AtsLinks; people: Pick<People, 'get' | 'linkExternalId' | 'unlinkExternalId'>; secrets: SecretBox; clock: Clock; ids: Ids; eventsUrl: (id: string) => string }) {
  const { connections, links, people, secrets, clock, ids, eventsUrl } = deps;

  const view = (record: AtsConnectionRecord, now = clock.now()): AtsConnection => {
    const { sealedSecret, previousSealedSecret, previousSecretValidUntil, sealedSignatureTokens, ...rest } = record;
    return {
      ...rest,
      url: eventsUrl(record.id),
      usesSignatureTokens: !!sealedSignatureTokens?.length,
      ...(previousSecretValidUntil && previousSecretValidUntil > now ? { previousSecretValidUntil } : {}),
    };
  };

  async function get(id: string): Promise<AtsConnectionRecord> {
    const connection = await connections.get(id);
    if (!connection) throw new NotFound(`There is no ATS connection ${id}.`);
    return connection;
  }

  /** Read, change, write with a version check (shared/versioned.ts): a stale If-Match answers 412. */
  async function change(id: string, apply: (current: AtsConnectionRecord, now: string) => AtsConnectionRecord, ifMatch?: number): Promise<AtsConnectionRecord> {
    const { value } = await changeVersioned(
      'connection',
      { get: () => get(id), replace: (current, next) => connections.replace(current, next), now: () => clock.now() },
      (current, now) => ({ next: { ...apply(current, now), updatedAt: now, version: current.version + 1 }, events: [] }),
      ifMatch,
    );
    return value;
  }

  const sealAll = (tokens: string[]) => Promise.all(tokens.map((token) => secrets.seal(token)));

  return {
    view,

    async create(input: CreateAtsConnection, actor: string): Promise<AtsConnection & { secret?: string }> {
      const now = clock.now();
      const secret = secrets.generate();
      const record: AtsConnectionRecord = {
        id: ids.next('ats'),
        name: input.name,
        format: input.format,
        stageMap: input.stageMap ?? {},
        sealedSecret: await secrets.seal(secret),
        ...(input.signatureTokens ? { sealedSignatureTokens: await sealAll(input.signatureTokens) } : {}),
        secretRotatedAt: now,
        createdAt: now,
        createdBy: actor,
        updatedAt: now,
        version: 1,
      };
      await connections.create(record);
      // Shown once: only its sealed form is kept. Lever connections given Lever's tokens have no use for it.
      return { ...view(record, now), ...(input.signatureTokens ? {} : { secret }) };
    },

    get: async (id: string) => view(await get(id)),

    list: async (page: PageRequest) => {
      const { items, nextCursor } = await connections.list(page);
      return { items: items.map((record) => view(record)), ...(nextCursor ? { nextCursor } : {}) };
    },

    async update(id: string, patch: UpdateAtsConnection, ifMatch?: number): Promise<AtsConnection> {
      const sealedTokens = patch.signatureTokens ? await sealAll(patch.signatureTokens) : undefined;
      const next = await change(id, (current) => {
        if (patch.signatureTokens && current.format !== 'lever') {
          throw new InvalidInput('Only Lever connections take signature tokens.', [{ path: 'body.signatureTokens', message: 'only for Lever connections' }]);
        }
        const { sealedSignatureTokens, ...rest } = current;
        const tokens = patch.signatureTokens === undefined ? sealedSignatureTokens : sealedTokens;
        return { ...rest, ...(patch.name ? { name: patch.name } : {}), ...(patch.stageMap ? { stageMap: patch.stageMap } : {}), ...(tokens ? { sealedSignatureTokens: tokens } : {}) };
      }, ifMatch);
      return view(next);
    },

    /** A new secret, answered once; the previous one keeps verifying for ROTATION_GRACE_HOURS. */
    async rotateSecret(id: string): Promise<AtsConnection & { secret: string }> {
      const secret = secrets.generate();
      const sealed = await secrets.seal(secret);
      const next = await change(id, (current, now) => ({
        ...current,
        sealedSecret: sealed,
        previousSealedSecret: current.sealedSecret,
        previousSecretValidUntil: new Date(Date.parse(now) + ROTATION_GRACE_HOURS * 3_600_000).toISOString(),
        secretRotatedAt: now,
      }));
      return { ...view(next), secret };
    },

    /**
     * Links the ATS's id of a person to a candidate (Lever sends ids only): its events then reach them. An id linked
     * to someone else before moves.
     */
    async link(id: string, externalId: string, candidateId: string, actor: string) {
      const connection = await get(id);
      await people.get(candidateId);
      for (const holder of await links.holders(connection.id, externalId)) {
        if (holder === candidateId) continue;
        await links.unlink(holder, connection.id, externalId);
        await people.unlinkExternalId(holder, { connectionId: connection.id, id: externalId }, actor).catch((error: unknown) => {
          // A holder merged away or erased since has no profile to update.
          if (!(error instanceof NotFound)) throw error;
        });
      }
      await links.link(candidateId, connection.id, externalId, clock.now());
      await people.linkExternalId(candidateId, { connectionId: connection.id, id: externalId }, actor);
      return { connectionId: connection.id, externalId, candidateId };
    },
  };
}

export type AtsConnectionService = ReturnType<typeof atsConnectionService>;
