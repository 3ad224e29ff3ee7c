import { auditOfActor, auditOfCandidate, recordAudit } from '../../../shared/audit.ts';
import { partitionPage } from '../../../shared/table/query.ts';
import type { AuditLog } from '../domain/audit.ts';
import type { AuditEntry } from '../schemas.ts';

const entryFrom = ({ id, at, actor, action, candidateId, detail }: Record<string, unknown>) =>
  ({ id, at, actor, action, candidateId, ...(detail ? { detail } : {}) }) as AuditEntry;

/**
 * Entries are written by the shared writer (routes record reads there too). Listings Query one person's or one
 * actor's partition newest first; the other criteria narrow each page after the read, as a FilterExpression would
 * (DynamoDB applies those after `Limit` too): a page may hold fewer entries than asked, its cursor is still exact.
 */
export const dynamoAuditStore: AuditLog = {
  record: (entry) => recordAudit(entry),

  async list({ by, key, actor, action }, page) {
    const query = by === 'candidate' ? { index: 'GSI1' as const, partition: auditOfCandidate(key) } : { index: 'GSI2' as const, partition: auditOfActor(key) };
    const { items, nextCursor } = await partitionPage({ ...query, newestFirst: true }, page);
    const entries = items.map(entryFrom).filter((entry) => (!actor || entry.actor === actor) && (!action || entry.action === action));
    return { items: entries, ...(nextCursor ? { nextCursor } : {}) };
  },
};
