/**
 * Where everything about one person is kept, across the contexts: the single list that both the export (Art. 15,
 * 20) and the erasure (Art. 17) read, so the two can never disagree about what "everything" is. Each source is a
 * key lookup or a Query on a designed index; nothing here scans.
 */
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { config } from '../../../shared/config.ts';
import { bucketName, s3 } from '../../../shared/files/s3.ts';
import { IDEMPOTENCY_PARTITION } from '../../../shared/http/idempotency.ts';
import { batchGet } from '../../../shared/table/batch.ts';
import { documents } from '../../../shared/table/client.ts';
import { queryAll } from '../../../shared/table/query.ts';

export type Item = Record<string, unknown>;

const table = () => config.tableName;
const byPartition = (pk: string) => queryAll({ KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': pk } });
const byIndex = (index: 'GSI1' | 'GSI2', pk: string) =>
  queryAll({ IndexName: index, KeyConditionExpression: `${index}PK = :pk`, ExpressionAttributeValues: { ':pk': pk } });

export async function getItem(Key: { PK: string; SK: string }): Promise<Item | undefined> {
  return (await documents.send(new GetCommand({ TableName: table(), Key, ConsistentRead: true }))).Item;
}

/** Every item in the person's own partition: profile, index entries, timeline, preferences, task references, markers. */
export const partitionOf = (candidateId: string) => byPartition(`CAND#${candidateId}`);
/** Their applications (`APP#…`). */
export const applicationsOf = (candidateId: string) => byIndex('GSI1', `CANDAPPS#${candidateId}`);
/** Their memberships of segments (`SEG#… / MEMBER#…`). */
export const segmentMembershipsOf = (candidateId: string) => byIndex('GSI1', `CANDSEGS#${candidateId}`);
/** The campaign emails sent to them, with their tracking milestones (`CAMP#… / R#…`). */
export const emailsOf = (candidateId: string) => byIndex('GSI2', `MAILS#${candidateId}`);
/** Their drip enrollments (`CAMP#… / ENR#…`). */
export const enrollmentsOf = (candidateId: string) => byIndex('GSI2', `ENROLLED#${candidateId}`);
/** What the audit log says about them (ids only; kept after erasure). */
export const auditOf = (candidateId: string) => byIndex('GSI1', `AUDITC#${candidateId}`);

/** The tasks their partition points at (`TASK#… / TASK` and `BY`). */
export async function tasksOf(partition: Item[]): Promise<Item[]> {
  const ids = partition.filter((item) => String(item.SK).startsWith('TASKREF#')).map((item) => String(item.SK).slice('TASKREF#'.length));
  return batchGet<Item>(ids.flatMap((id) => [{ PK: `TASK#${id}`, SK: 'TASK' }, { PK: `TASK#${id}`, SK: 'BY' }]));
}

/** Suspected-duplicate pairs they are part of, found through the match keys in their partition. */
export async function duplicatePairsOf(candidateId: string, partition: Item[]): Promise<Item[]> {
  const keys = partition.filter((item) => String(item.SK).startsWith('IDX#DUPKEY#')).map((item) => String(item.GSI1PK));
  const others = new Set<string>();
  for (const key of keys) for (const entry of await byIndex('GSI1', key)) if (entry.candidateId !== candidateId) others.add(String(entry.candidateId));
  const pairIds = [...others].map((other) => [candidateId, other].sort().join('~'));
  return batchGet<Item>(pairIds.map((id) => ({ PK: `DUP#${id}`, SK: 'PAIR' })));
}

/** Merge records and merged-away tombstones their timeline names (both profiles sit in a merge record for 30 days). */
export async function mergesOf(partition: Item[]): Promise<{ records: Item[]; mergedIds: string[] }> {
  const merges = partition.filter((item) => item.entity === 'timeline' && (item.data as Item | undefined)?.mergeId);
  const mergeIds = [...new Set(merges.map((item) => String((item.data as Item).mergeId)))];
  const mergedIds = [...new Set(merges.map((item) => (item.data as Item).mergedId).filter((id): id is string => typeof id === 'string'))];
  return { records: await batchGet<Item>(mergeIds.map((id) => ({ PK: `MERGE#${id}`, SK: 'MERGE' }))), mergedIds };
}

/** Stored answers to idempotent requests (24 hours) that carry the person's id or address. */
export async function idempotencyRecordsOf(candidateId: string, email: string | undefined): Promise<Item[]> {
  const records = await byPartition(IDEMPOTENCY_PARTITION);
  return records.filter((record) => {
    // The stored answer is a map (a JSON document), not a string: search its serialised form.
    const data = JSON.stringify(record.data ?? '');
    return data.includes(candidateId) || (email !== undefined && data.includes(email));
  });
}

/** The raw replies they sent, kept in the inbound bucket, as their timeline records them. */
export const replyObjectsOf = (partition: Item[]): string[] =>
  partition.map((item) => (item.data as Item | undefined)?.objectKey).filter((key): key is string => typeof key === 'string' && key.startsWith('replies/'));

/** Outbox entries of their recorded activity (one day): the entry of a write is keyed by its first event id. */
export const outboxEntriesOf = (partition: Item[]): { PK: string; SK: string }[] =>
  partition.filter((item) => String(item.id ?? '').startsWith('act_')).map((item) => ({ PK: `EVENT#${String(item.id).slice('act_'.length)}`, SK: 'EVENT' }));

/** Their files: CVs and exports under their prefix in the documents bucket. */
export async function filesOf(candidateId: string): Promise<{ key: string; size?: number }[]> {
  const files: { key: string; size?: number }[] = [];
  for (const prefix of [`cvs/${candidateId}/`, `exports/${candidateId}/`]) {
    let token: string | undefined;
    do {
      const page = await s3.send(new ListObjectsV2Command({ Bucket: bucketName('documents'), Prefix: prefix, ContinuationToken: token }));
      files.push(...(page.Contents ?? []).map((object) => ({ key: object.Key!, ...(object.Size !== undefined ? { size: object.Size } : {}) })));
      token = page.NextContinuationToken;
    } while (token);
  }
  return files;
}
