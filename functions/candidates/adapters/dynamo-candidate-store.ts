import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { config } from '../../../shared/config.ts';
import { Conflict, NotFound } from '../../../shared/errors.ts';
import { decodeCursor, encodeCursor, type Page } from '../../../shared/http/pagination.ts';
import { batchGet } from '../../../shared/table/batch.ts';
import { conditionally } from '../../../shared/table/query.ts';
import { documents } from '../../../shared/table/client.ts';
import { outboxPuts } from '../../../shared/table/outbox.ts';
import { transact, type TransactAction } from '../../../shared/table/transact.ts';
import { matchesFilter } from '../domain/candidate.ts';
import { StaleVersion, type CandidateStore } from '../domain/ports.ts';
import type { Candidate } from '../schemas.ts';
import {
  candidateCountKey, tombstoneKey, candidateFrom, candidateItem, candidateKey, emailGuardKey, indexEntryItem, indexEntryKey, narrowestIndex, poolEntry, poolKey, type Item,
} from './entities.ts';

/** Filtered lists read at most this many index pages per request, then hand back a cursor. */
const MAX_ROUNDS = 8;

const put = (Item: Item, ConditionExpression?: string, values?: Item): TransactAction['item'] => ({
  Put: { TableName: config.tableName, Item, ConditionExpression, ExpressionAttributeValues: values },
});

const emailTaken = (email: string) => (existing: Item | undefined) =>
  new Conflict(`A candidate with the email ${email} already exists.`, { existingId: existing?.candidateId });

function guardPut(candidate: Candidate): TransactAction {
  return {
    item: put({ ...emailGuardKey(candidate.email), candidateId: candidate.id }, 'attribute_not_exists(PK)'),
    onConditionFailed: emailTaken(candidate.email),
  };
}

/** Moves the candidate count (STATS item) in the transaction that creates candidates. */
const countBy = (delta: number): TransactAction => ({
  item: { Update: { TableName: config.tableName, Key: candidateCountKey(), UpdateExpression: 'ADD #count :delta', ExpressionAttributeNames: { '#count': 'count' }, ExpressionAttributeValues: { ':delta': delta } } },
});

/** A new profile and its email guard. */
function profileAndGuard(candidate: Candidate): TransactAction[] {
  return [
    {
      item: put(candidateItem(candidate), 'attribute_not_exists(PK)'),
      onConditionFailed: () => new Conflict(`The candidate ${candidate.id} already exists.`, { existingId: candidate.id }),
    },
    guardPut(candidate),
  ];
}

/**
 * Joining or leaving a pool writes the membership entry and moves the pool's member count in the same
 * transaction as the profile, so a pool's list and count are exact at once.
 */
function membership(candidateId: string, poolId: string, delta: 1 | -1): TransactAction[] {
  const entry = poolEntry(candidateId, poolId);
  const write: TransactAction['item'] =
    delta > 0
      ? { Put: { TableName: config.tableName, Item: indexEntryItem(candidateId, entry) } }
      : { Delete: { TableName: config.tableName, Key: indexEntryKey(candidateId, entry) } };
  return [memberCount(poolId, delta), { item: write }];
}

function memberCount(poolId: string, delta: number): TransactAction {
  return {
    item: {
      Update: {
        TableName: config.tableName,
        Key: poolKey(poolId),
        UpdateExpression: 'ADD memberCount :delta',
        ConditionExpression: 'attribute_exists(PK)',
        ExpressionAttributeValues: { ':delta': delta },
      },
    },
    onConditionFailed: () => new NotFound(`There is no pool ${poolId}.`),
  };
}

/** A profile written only if its stored version is still the one read. */
const versioned = (previous: Candidate, next: Candidate): TransactAction => ({
  item: put(candidateItem(next), 'version = :expected', { ':expected': previous.version }),
  onConditionFailed: () => new StaleVersion(previous.id),
});

/** Per transaction (100 items): 49 profiles with their membership entries, the pool's count and one outbox entry. */
const JOINS_PER_WRITE = 49;

export const dynamoCandidateStore: CandidateStore = {
  async get(id) {
    const { Item } = await documents.send(new GetCommand({ TableName: config.tableName, Key: candidateKey(id) }));
    return Item ? candidateFrom(Item) : undefined;
  },

  async create(candidate, events) {
    await transact([...profileAndGuard(candidate), countBy(1), ...outboxPuts(events).map((item) => ({ item }))]);
  },

  async createAll(batch) {
    // A transaction takes 100 items: 49 profiles with their guards, the count and one outbox entry with all their events.
    // Each transaction is all-or-nothing; a retry after a crash between them recognises the ids it wrote.
    for (let start = 0; start < batch.length; start += 49) {
      const group = batch.slice(start, start + 49);
      await transact([
        ...group.flatMap(({ candidate }) => profileAndGuard(candidate)),
        countBy(group.length),
        ...outboxPuts(group.flatMap(({ events }) => events)).map((item) => ({ item })),
      ]);
    }
  },

  async touch(id, at) {
    await conditionally(() =>
      documents.send(
        new UpdateCommand({
          TableName: config.tableName,
          Key: candidateKey(id),
          UpdateExpression: 'SET lastActivityAt = :at',
          ConditionExpression: 'attribute_exists(PK) AND (attribute_not_exists(lastActivityAt) OR lastActivityAt < :at)',
          ExpressionAttributeValues: { ':at': at },
        }),
      ),
    );
  },

  async tombstone(id) {
    const { Item } = await documents.send(new GetCommand({ TableName: config.tableName, Key: tombstoneKey(id) }));
    return Item ? { mergedInto: Item.mergedInto as string, mergeId: Item.mergeId as string } : undefined;
  },

  async idsByEmail(emails) {
    const guards = await batchGet<Item>(emails.map(emailGuardKey));
    return new Map(guards.map((guard) => [String(guard.PK).slice('EMAIL#'.length), guard.candidateId as string]));
  },

  async replace(previous, next, events) {
    const joined = next.pools.filter((p) => !previous.pools.includes(p));
    const left = previous.pools.filter((p) => !next.pools.includes(p));
    await transact([
      versioned(previous, next),
      ...(next.email !== previous.email
        ? [guardPut(next), { item: { Delete: { TableName: config.tableName, Key: emailGuardKey(previous.email) } } }]
        : []),
      ...joined.flatMap((poolId) => membership(next.id, poolId, 1)),
      ...left.flatMap((poolId) => membership(next.id, poolId, -1)),
      ...outboxPuts(events).map((item) => ({ item })),
    ]);
  },

  getMany: (ids) => batchGet<Item>(ids.map(candidateKey)).then((items) => items.map(candidateFrom)),

  async joinPool(poolId, joins) {
    const stale: string[] = [];
    for (let start = 0; start < joins.length; start += JOINS_PER_WRITE) {
      // One moved version cancels the whole transaction: it is left out, and the others are written again.
      for (let group = joins.slice(start, start + JOINS_PER_WRITE); group.length; ) {
        try {
          await transact([
            ...group.map(({ previous, next }) => versioned(previous, next)),
            ...group.map(({ next }) => ({ item: { Put: { TableName: config.tableName, Item: indexEntryItem(next.id, poolEntry(next.id, poolId)) } } })),
            memberCount(poolId, group.length),
            ...outboxPuts(group.flatMap(({ events }) => events)).map((item) => ({ item })),
          ]);
          break;
        } catch (error) {
          if (!(error instanceof StaleVersion)) throw error;
          stale.push(error.id);
          group = group.filter(({ previous }) => previous.id !== error.id);
        }
      }
    }
    return stale;
  },

  async list(filter, page) {
    const index = narrowestIndex(filter);
    let startKey = decodeCursor(page.cursor, { GSI1PK: index.GSI1PK });
    const items: Candidate[] = [];
    for (let round = 0; round < MAX_ROUNDS && items.length < page.limit; round++) {
      const result = await documents.send(
        new QueryCommand({
          TableName: config.tableName,
          IndexName: 'GSI1',
          KeyConditionExpression: index.prefix ? 'GSI1PK = :pk AND begins_with(GSI1SK, :prefix)' : 'GSI1PK = :pk',
          ExpressionAttributeValues: { ':pk': index.GSI1PK, ...(index.prefix ? { ':prefix': index.prefix } : {}) },
          ScanIndexForward: !index.newestFirst,
          // Never read past what this page returns, so the cursor is exact.
          Limit: page.limit - items.length,
          ExclusiveStartKey: startKey,
        }),
      );
      items.push(...(await candidatesOf(result.Items ?? [])).filter((c) => matchesFilter(c, filter)));
      startKey = result.LastEvaluatedKey as typeof startKey;
      if (!startKey) break;
    }
    return { items, nextCursor: encodeCursor(startKey) } satisfies Page<Candidate>;
  },
};

/** Profiles come straight from the all-candidates index; index entries point at profiles to fetch. */
async function candidatesOf(items: Item[]): Promise<Candidate[]> {
  if (items.every((item) => item.entity === 'candidate')) return items.map(candidateFrom);
  const keys = [...new Set(items.map((item) => item.candidateId as string))].map(candidateKey);
  return (await batchGet<Item>(keys)).map(candidateFrom);
}
