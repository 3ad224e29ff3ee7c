import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { DomainEvent } from '../../../events/contract.ts';
import { config } from '../../../shared/config.ts';
import { Conflict, NotFound } from '../../../shared/errors.ts';
import { decodeCursor, encodeCursor, type Page } from '../../../shared/http/pagination.ts';
import { batchGet, batchWrite } from '../../../shared/table/batch.ts';
import { documents } from '../../../shared/table/client.ts';
import { outboxPuts } from '../../../shared/table/outbox.ts';
import { MAX_TRANSACTION_ACTIONS, transact, type TransactAction } from '../../../shared/table/transact.ts';
import { matchesFilter } from '../domain/candidate.ts';
import { StaleVersion, type CandidateStore } from '../domain/ports.ts';
import type { Candidate } from '../schemas.ts';
import {
  candidateFrom, candidateItem, candidateKey, emailGuardKey, entryId, indexEntries, indexEntryItem, indexEntryKey, narrowestIndex,
  poolKey,
  type IndexEntry, type Item,
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

/** Pool membership counts move with the membership entries, in the same transaction. */
function memberCount(entry: IndexEntry, delta: 1 | -1): TransactAction | undefined {
  if (!entry.GSI1PK.startsWith('POOL#')) return undefined;
  const poolId = entry.GSI1PK.slice('POOL#'.length);
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

export const dynamoCandidateStore: CandidateStore = {
  async get(id) {
    const { Item } = await documents.send(new GetCommand({ TableName: config.tableName, Key: candidateKey(id) }));
    return Item ? candidateFrom(Item) : undefined;
  },

  async create(candidate, events) {
    await transact([
      { item: put(candidateItem(candidate), 'attribute_not_exists(PK)') },
      guardPut(candidate),
      ...indexEntries(candidate).map((entry) => ({ item: put(indexEntryItem(candidate.id, entry)) })),
      ...outboxPuts(events).map((item) => ({ item })),
    ]);
  },

  async replace(previous, next, events) {
    const before = new Map(indexEntries(previous).map((e) => [entryId(e), e]));
    const after = new Map(indexEntries(next).map((e) => [entryId(e), e]));
    const added = [...after].filter(([id]) => !before.has(id)).map(([, e]) => e);
    const removed = [...before].filter(([id]) => !after.has(id)).map(([, e]) => e);

    const actions: TransactAction[] = [
      {
        item: put(candidateItem(next), 'version = :expected', { ':expected': previous.version }),
        onConditionFailed: () => new StaleVersion(previous.id),
      },
      ...(next.email !== previous.email
        ? [
            guardPut(next),
            { item: { Delete: { TableName: config.tableName, Key: emailGuardKey(previous.email) } } },
          ]
        : []),
      ...added.map((entry) => ({ item: put(indexEntryItem(next.id, entry)) })),
      ...added.flatMap((entry) => memberCount(entry, 1) ?? []),
      ...removed.flatMap((entry) => memberCount(entry, -1) ?? []),
      ...outboxPuts(events).map((item) => ({ item })),
    ];
    // Stale entries are harmless (every list re-checks the filter on the profile), so when a change replaces
    // many tags and skills at once, the deletions that do not fit in the transaction follow it.
    const room = MAX_TRANSACTION_ACTIONS - actions.length;
    const inTransaction = removed.slice(0, Math.max(room, 0));
    const afterwards = removed.slice(inTransaction.length);
    await transact([
      ...actions,
      ...inTransaction.map((entry) => ({ item: { Delete: { TableName: config.tableName, Key: indexEntryKey(previous.id, entry) } } })),
    ]);
    if (afterwards.length) await batchWrite(afterwards.map((entry) => ({ DeleteRequest: { Key: indexEntryKey(previous.id, entry) } })));
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
