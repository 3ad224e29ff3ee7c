import { NEEDS_NOTICE } from '../../candidates/adapters/candidate-index.ts';
import { PROFILE_SK, candidateFrom, candidateKey, type Item } from '../../candidates/adapters/entities.ts';
import { batchGet, batchWrite } from '../../../shared/table/batch.ts';
import { queryPages } from '../../../shared/table/query.ts';
import type { NoticeQueue } from '../domain/notice.ts';
import type { RetentionPeople } from '../domain/retention-service.ts';

/**
 * The privacy schedules' reads of people: the candidates indexer's `LASTACTIVE#<yyyy>` and `NOTICE#pending` entries
 * in GSI1 (Queries, never a Scan), then the profiles by key. Profiles are only read here; they change through the
 * candidates service.
 */
export const lastActivePartition = (year: number) => `LASTACTIVE#${year}`;

// The team was warned that the person will be erased: CAND#<id> / RETENTION-WARNED, so erasing them removes it
// too; TTL forgets a warning two warning periods on, when it no longer counts anyway.
const WARNED_SK = 'RETENTION-WARNED';
export const retentionWarningKey = (candidateId: string) => ({ PK: `CAND#${candidateId}`, SK: WARNED_SK });

const idsIn = (entries: Item[]) => [...new Set(entries.map((entry) => String(entry.candidateId)))];

async function* indexed(partition: string, before?: string): AsyncGenerator<string[]> {
  for await (const entries of queryPages({
    IndexName: 'GSI1',
    KeyConditionExpression: before === undefined ? 'GSI1PK = :pk' : 'GSI1PK = :pk AND GSI1SK < :before',
    ExpressionAttributeValues: { ':pk': partition, ...(before === undefined ? {} : { ':before': before }) },
    ProjectionExpression: 'candidateId',
  })) {
    if (entries.length) yield idsIn(entries);
  }
}

export const dynamoRetentionPeople: RetentionPeople = {
  async *inactiveBefore(before, fromYear) {
    for (let year = fromYear; year <= Number(before.slice(0, 4)); year++) {
      for await (const ids of indexed(lastActivePartition(year), before)) {
        const items = await batchGet<Item>(ids.flatMap((id) => [candidateKey(id), retentionWarningKey(id)]));
        const warnings = new Map(items.filter((item) => item.SK === WARNED_SK).map((item) => [item.candidateId as string, item.warnedAt as string]));
        yield items
          .filter((item) => item.SK === PROFILE_SK)
          .map(candidateFrom)
          .map((person) => ({ person, ...(warnings.has(person.id) ? { warnedAt: warnings.get(person.id)! } : {}) }));
      }
    }
  },

  async markWarned(candidateIds, warnedAt, until) {
    const expiresAt = Math.floor(Date.parse(until) / 1000);
    await batchWrite(candidateIds.map((candidateId) => ({
      PutRequest: { Item: { ...retentionWarningKey(candidateId), entity: 'retention-warning', candidateId, warnedAt, expiresAt } },
    })));
  },
};

export const dynamoNoticeQueue: NoticeQueue = {
  async *pending() {
    // Oldest first: whoever waited longest for their notice gets it first.
    for await (const ids of indexed(NEEDS_NOTICE)) yield (await batchGet<Item>(ids.map(candidateKey))).map(candidateFrom);
  },
};
