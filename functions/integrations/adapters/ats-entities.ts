/**
 * Keys, index attributes and (de)serialisation of the ATS integration's items, in one place. The access patterns
 * they serve are listed in docs/ats-inbound.md. Links live in the person's partition (`CAND#<id>`), so an erasure,
 * which deletes that partition, takes them with it.
 */
import { createHash } from 'node:crypto';
import type { AtsEventResult } from '../ats-schemas.ts';
import type { AtsConnectionRecord } from '../domain/ats-ports.ts';

export type Item = Record<string, unknown>;

// Connection: ATSCONN#<id> / CONNECTION, listed newest first in GSI1 under ATSCONNS.
export const connectionKey = (id: string) => ({ PK: `ATSCONN#${id}`, SK: 'CONNECTION' });
export const ALL_CONNECTIONS = 'ATSCONNS';
export const connectionItem = (c: AtsConnectionRecord): Item => ({ ...connectionKey(c.id), GSI1PK: ALL_CONNECTIONS, GSI1SK: c.id, entity: 'ats-connection', ...c });
export const connectionFrom = (item: Item): AtsConnectionRecord => {
  const { PK, SK, GSI1PK, GSI1SK, entity, ...rest } = item;
  return rest as unknown as AtsConnectionRecord;
};

/**
 * The result of one inbound event: ATSEVENT#<connection>#<hash of the ATS's event id> / RESULT (a key lookup per
 * delivery), kept 30 days: longer than any ATS retries (Greenhouse: 15 hours), and older replays are refused by
 * the signature's time (native, Lever) or found stale by the application's last-applied time (Greenhouse).
 */
export const EVENT_RECORD_DAYS = 30;
const digest = (value: string) => createHash('sha256').update(value).digest('hex').slice(0, 40);
// Not `EVENT`: that sort key is the outbox's, which the stream relay publishes.
export const eventKey = (connectionId: string, eventId: string) => ({ PK: `ATSEVENT#${connectionId}#${digest(eventId)}`, SK: 'RESULT' });
export const eventItem = (connectionId: string, result: AtsEventResult, at: string): Item => ({
  ...eventKey(connectionId, result.eventId),
  entity: 'ats-event',
  connectionId,
  receivedAt: at,
  result,
  expiresAt: Math.floor(Date.parse(at) / 1000) + EVENT_RECORD_DAYS * 86_400,
});

// A person's id in the ATS: CAND#<candidate> / ATSLINK#<connection>#<their id>, found from the ATS's id through GSI1.
export const linkPartition = (connectionId: string, externalId: string) => `ATSLINK#${connectionId}#${externalId}`;
export const linkKey = (candidateId: string, connectionId: string, externalId: string) => ({ PK: `CAND#${candidateId}`, SK: linkPartition(connectionId, externalId) });
export const linkItem = (candidateId: string, connectionId: string, externalId: string, at: string): Item => ({
  ...linkKey(candidateId, connectionId, externalId),
  GSI1PK: linkPartition(connectionId, externalId),
  GSI1SK: candidateId,
  entity: 'ats-link',
  candidateId,
  connectionId,
  externalId,
  linkedAt: at,
});

// An application's id in the ATS, claimed for one of ours: CAND#<candidate> / ATSAPP#<connection>#<its id>, with
// the ATS's time of the last event applied to it (`syncedAt`).
export const applicationClaimKey = (candidateId: string, connectionId: string, externalId: string) => ({
  PK: `CAND#${candidateId}`,
  SK: `ATSAPP#${connectionId}#${externalId}`,
});
