import { batchWrite } from '../../../shared/table/batch.ts';
import type { Candidate } from '../schemas.ts';
import { entryId, indexEntries, indexEntryItem, indexEntryKey } from './entities.ts';

/**
 * Brings a candidate's index entries from what `before` needed to what `after` needs. Puts and deletes of
 * deterministic keys, so replaying a stream record changes nothing; records of one candidate arrive in order.
 */
export async function reindexCandidate(before: Candidate | undefined, after: Candidate | undefined): Promise<void> {
  const id = (after ?? before)!.id;
  const old = new Map((before ? indexEntries(before) : []).map((e) => [entryId(e), e]));
  const wanted = new Map((after ? indexEntries(after) : []).map((e) => [entryId(e), e]));
  await batchWrite([
    ...[...wanted].filter(([key]) => !old.has(key)).map(([, entry]) => ({ PutRequest: { Item: indexEntryItem(id, entry) } })),
    ...[...old].filter(([key]) => !wanted.has(key)).map(([, entry]) => ({ DeleteRequest: { Key: indexEntryKey(id, entry) } })),
  ]);
}
