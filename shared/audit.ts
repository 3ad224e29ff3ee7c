import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { AuditEntry } from '../functions/privacy/schemas.ts';
import { config } from './config.ts';
import { clock, newId } from './ids.ts';
import { documents } from './table/client.ts';
import { conditionally } from './table/query.ts';

/**
 * Audit entries live in partitions of their own, one per day, never in the person's `CAND#` partition: erasure
 * deletes that, and the record of who did what to them must outlive it (with ids only, it holds nothing personal).
 * GSI1 lists one person's entries and GSI2 one actor's, both newest first by `<at>#<id>`.
 */
export const auditKey = (entry: Pick<AuditEntry, 'at' | 'id'>) => ({ PK: `AUDIT#${entry.at.slice(0, 10)}`, SK: `${entry.at}#${entry.id}` });
export const auditOfCandidate = (candidateId: string) => `AUDITC#${candidateId}`;
export const auditOfActor = (actor: string) => `AUDITA#${actor}`;

export const auditItem = (entry: AuditEntry) => ({
  ...auditKey(entry),
  GSI1PK: auditOfCandidate(entry.candidateId),
  GSI1SK: `${entry.at}#${entry.id}`,
  GSI2PK: auditOfActor(entry.actor),
  GSI2SK: `${entry.at}#${entry.id}`,
  entity: 'audit',
  ...entry,
});

export type AuditRecord = Omit<AuditEntry, 'id' | 'at'> & Partial<Pick<AuditEntry, 'id' | 'at'>>;

/**
 * Appends an entry (ids and field names only, never names, addresses or free text). Given the same id and time
 * again, e.g. derived from a redelivered event, it writes nothing: entries are never overwritten.
 */
export async function recordAudit(record: AuditRecord): Promise<void> {
  // One time format, so entries written at whole seconds sort among those with milliseconds.
  const entry = { ...record, id: record.id ?? newId('aud'), at: new Date(record.at ?? clock.now()).toISOString() };
  await conditionally(() =>
    documents.send(new PutCommand({ TableName: config.tableName, Item: auditItem(entry), ConditionExpression: 'attribute_not_exists(PK)' })),
  );
}
