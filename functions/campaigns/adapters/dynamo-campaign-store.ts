import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { config } from '../../../shared/config.ts';
import { PreconditionFailed } from '../../../shared/errors.ts';
import { batchWrite } from '../../../shared/table/batch.ts';
import { documents } from '../../../shared/table/client.ts';
import { outboxPuts } from '../../../shared/table/outbox.ts';
import { conditionally, partitionPage, queryAll } from '../../../shared/table/query.ts';
import { transact } from '../../../shared/table/transact.ts';
import type { CampaignStats, Enrollment, RecipientStatus } from '../schemas.ts';
import type { CampaignStore, SendOutcome, TrackingChange } from '../domain/ports.ts';
import {
  ALL_CAMPAIGNS, ENROLLMENT_PREFIX, STATS_PREFIX, campaignFrom, campaignItem, campaignKey, dripsOf, enrolledIn, enrollmentFrom, enrollmentItem,
  enrollmentKey, mailsOf, planKey, recipientFrom, recipientIndex, recipientItem, recipientKey, shardPrefix, statsKey, statusPartition,
} from './entities.ts';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];
const TableName = () => config.tableName;

/** `ADD` of several counters in one update: `ADD #c0 :c0, #c1 :c1`. */
function counterUpdate(key: Record<string, string>, counters: Record<string, number>): TransactItem | undefined {
  const entries = Object.entries(counters).filter(([, n]) => n !== 0);
  if (!entries.length) return undefined;
  return {
    Update: {
      TableName: TableName(),
      Key: key,
      UpdateExpression: `ADD ${entries.map((_, i) => `#c${i} :c${i}`).join(', ')}`,
      ExpressionAttributeNames: Object.fromEntries(entries.map(([name], i) => [`#c${i}`, name])),
      ExpressionAttributeValues: Object.fromEntries(entries.map(([, n], i) => [`:c${i}`, n])),
    },
  };
}

/** The recipient update that records an outcome, guarded by the claim it settles. */
function settleUpdate(campaignId: string, shard: number, token: string, outcome: SendOutcome, withStatus: boolean): TransactItem {
  const status: RecipientStatus = outcome.status;
  const fields: Record<string, unknown> = {
    // Only a sent email keeps the address it went to (and is found again through MAILS#, so erasure finds it);
    // a skipped or failed recipient holds ids only.
    ...(outcome.status === 'sent' && outcome.email ? { email: outcome.email } : {}),
    ...(outcome.status === 'sent' ? { messageId: outcome.messageId, sentAt: outcome.at, ...(outcome.scheduledAt ? { scheduledAt: outcome.scheduledAt } : {}) } : {}),
    ...(outcome.status === 'skipped' ? { skipReason: outcome.skipReason } : {}),
    ...(outcome.status === 'failed' ? { detail: outcome.detail.slice(0, 500), failedAt: outcome.at } : {}),
    ...(withStatus ? { status } : {}),
    ...(withStatus || outcome.status === 'sent'
      ? Object.fromEntries(
          Object.entries(recipientIndex({ campaignId, candidateId: outcome.candidateId, step: outcome.step, status, sentAt: outcome.status === 'sent' ? outcome.at : undefined }))
            .filter(([name]) => withStatus || name.startsWith('GSI2')),
        )
      : {}),
  };
  const names = Object.keys(fields);
  return {
    Update: {
      TableName: TableName(),
      Key: recipientKey(campaignId, shard, outcome.candidateId, outcome.step),
      UpdateExpression: `SET ${names.map((_, i) => `#f${i} = :f${i}`).join(', ')} REMOVE claimToken, claimedAt`,
      ConditionExpression: withStatus ? 'claimToken = :token AND #status = :claimed' : 'claimToken = :token',
      ExpressionAttributeNames: { ...Object.fromEntries(names.map((name, i) => [`#f${i}`, name])), ...(withStatus ? { '#status': 'status' } : {}) },
      ExpressionAttributeValues: { ...Object.fromEntries(names.map((name, i) => [`:f${i}`, fields[name]])), ':token': token, ...(withStatus ? { ':claimed': 'claimed' } : {}) },
    },
  };
}

const countersOf = (outcomes: SendOutcome[]) => {
  const counters: Record<string, number> = {};
  for (const o of outcomes) {
    const name = o.status === 'skipped' ? `skipped_${o.skipReason}` : o.status;
    counters[name] = (counters[name] ?? 0) + 1;
  }
  return counters;
};

const CONFLICT_ATTEMPTS = 6;

/** A transaction: 'condition' when a condition failed; a conflict with another transaction is retried with jitter. */
async function write(items: TransactItem[]): Promise<'ok' | 'condition'> {
  for (let attempt = 1; ; attempt++) {
    try {
      await documents.send(new TransactWriteCommand({ TransactItems: items }));
      return 'ok';
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      if (error.CancellationReasons?.some((r) => r.Code === 'ConditionalCheckFailed')) return 'condition';
      if (attempt >= CONFLICT_ATTEMPTS || !error.CancellationReasons?.some((r) => r.Code === 'TransactionConflict')) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * 2 ** attempt));
    }
  }
}

/** Each shard's counts are spread over a few items: drip steps and tracking events arrive in parallel and would contend. */
const TRACKING_COUNTER_SPREAD = 8;

const emptyStats = (): CampaignStats => ({
  targeted: 0, sent: 0, delivered: 0, bounced: 0, complained: 0, rejected: 0, failed: 0, opened: { human: 0, machine: 0 }, clicked: 0, replied: 0, applied: 0, unsubscribed: 0, skipped: {},
});

export const dynamoCampaignStore: CampaignStore = {
  async get(id) {
    const { Item } = await documents.send(new GetCommand({ TableName: TableName(), Key: campaignKey(id) }));
    return Item ? campaignFrom(Item) : undefined;
  },

  async create(campaign) {
    await documents.send(new PutCommand({ TableName: TableName(), Item: campaignItem(campaign), ConditionExpression: 'attribute_not_exists(PK)' }));
  },

  async save(next, expectedVersion, events = []) {
    await transact([
      {
        item: { Put: { TableName: TableName(), Item: campaignItem(next), ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': expectedVersion } } },
        onConditionFailed: () => new PreconditionFailed('The campaign changed since it was read. Read it again and retry.'),
      },
      ...outboxPuts(events).map((item) => ({ item })),
    ]);
  },

  async list(page) {
    const { items, nextCursor } = await partitionPage({ index: 'GSI1', partition: ALL_CAMPAIGNS, newestFirst: true }, page);
    return { items: items.map(campaignFrom), nextCursor };
  },

  dripsForSegment: async (segmentId) => (await queryAll({ IndexName: 'GSI2', KeyConditionExpression: 'GSI2PK = :pk', ExpressionAttributeValues: { ':pk': dripsOf(segmentId) } })).map(campaignFrom),

  async planState(campaignId) {
    const { Item } = await documents.send(new GetCommand({ TableName: TableName(), Key: planKey(campaignId) }));
    return { ...(Item?.cursor ? { cursor: Item.cursor as string } : {}), done: Item?.done === true, planned: (Item?.planned as number | undefined) ?? 0 };
  },

  async plan(campaignId, recipients, from, to) {
    // Puts of pending recipients are idempotent: sending starts only after planning is done.
    await batchWrite(recipients.map(({ candidateId, shard }) => ({ PutRequest: { Item: recipientItem({ campaignId, candidateId, shard, status: 'pending' }) } })));
    const advance: TransactItem = {
      Update: {
        TableName: TableName(),
        Key: planKey(campaignId),
        UpdateExpression: `${to ? 'SET #cursor = :to, done = :false' : 'SET done = :true REMOVE #cursor'} ADD planned :planned`,
        ConditionExpression: from ? '#cursor = :from' : 'attribute_not_exists(#cursor)',
        ExpressionAttributeNames: { '#cursor': 'cursor' },
        ExpressionAttributeValues: { ...(to ? { ':to': to, ':false': false } : { ':true': true }), ...(from ? { ':from': from } : {}), ':planned': recipients.length },
      },
    };
    const counted = counterUpdate(statsKey(campaignId, 'plan'), { targeted: recipients.length });
    return (await write(counted ? [advance, counted] : [advance])) === 'ok';
  },

  async shardPage(campaignId, shard, after, limit) {
    const pk = `CAMP#${campaignId}`;
    const result = await documents.send(
      new QueryCommand({
        TableName: TableName(),
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: { ':pk': pk, ':prefix': shardPrefix(shard) },
        ExclusiveStartKey: after ? { PK: pk, SK: after } : undefined,
        Limit: limit,
      }),
    );
    return { recipients: (result.Items ?? []).map(recipientFrom), ...(result.LastEvaluatedKey ? { last: result.LastEvaluatedKey.SK as string } : {}) };
  },

  claim: (recipient, token, at) =>
    conditionally(() =>
      documents.send(
        new UpdateCommand({
          TableName: TableName(),
          Key: recipientKey(recipient.campaignId, recipient.shard, recipient.candidateId, recipient.step),
          // The status index keeps it under pending until it settles: a claim is a moment, not worth two index writes.
          // Taking over the claim of an attempt that is over leaves the status alone (tracking may have moved it on);
          // the domain decided from the claim's token and time it read, so the take-over holds only for that token.
          // A claim already ours counts: the SDK retries a write whose answer was lost, and it must not read as lost.
          ...(recipient.claimToken
            ? {
                UpdateExpression: 'SET claimToken = :token, claimedAt = :at',
                ConditionExpression: 'claimToken IN (:stale, :token)',
                ExpressionAttributeValues: { ':token': token, ':stale': recipient.claimToken, ':at': at },
              }
            : {
                UpdateExpression: 'SET #status = :claimed, claimToken = :token, claimedAt = :at',
                ConditionExpression: '#status = :pending OR claimToken = :token',
                ExpressionAttributeNames: { '#status': 'status' },
                ExpressionAttributeValues: { ':claimed': 'claimed', ':token': token, ':pending': 'pending', ':at': at },
              }),
        }),
      ),
    ),

  claimStep: (recipient, token, at) =>
    conditionally(() =>
      documents.send(
        new PutCommand({
          TableName: TableName(), Item: recipientItem({ ...recipient, status: 'claimed', claimToken: token, claimedAt: at }),
          ConditionExpression: 'attribute_not_exists(PK) OR claimToken = :token', ExpressionAttributeValues: { ':token': token },
        }),
      ),
    ),

  async recordSent(campaignId, shard, token, sent) {
    await Promise.all(
      sent.map(({ candidateId, step, messageId }) =>
        conditionally(() =>
          documents.send(
            new UpdateCommand({
              TableName: TableName(), Key: recipientKey(campaignId, shard, candidateId, step),
              UpdateExpression: 'SET messageId = :messageId', ConditionExpression: 'claimToken = :token',
              ExpressionAttributeValues: { ':messageId': messageId, ':token': token },
            }),
          ),
        ),
      ),
    );
  },

  async release(campaignId, shard, token, recipients) {
    await Promise.all(
      recipients.map(({ candidateId, step }) =>
        conditionally(() =>
          documents.send(
            new UpdateCommand({
              TableName: TableName(), Key: recipientKey(campaignId, shard, candidateId, step),
              UpdateExpression: 'REMOVE claimedAt', ConditionExpression: 'claimToken = :token', ExpressionAttributeValues: { ':token': token },
            }),
          ),
        ),
      ),
    );
  },

  async settle(campaignId, shard, token, outcomes) {
    if (!outcomes.length) return;
    const counterKey = () => statsKey(campaignId, `${shard}.${Math.floor(Math.random() * TRACKING_COUNTER_SPREAD)}`);
    const counter = counterUpdate(counterKey(), countersOf(outcomes))!;
    if ((await write([...outcomes.map((o) => settleUpdate(campaignId, shard, token, o, true)), counter])) === 'ok') return;
    // Someone moved one of them (a tracking event that beat us, or another attempt): settle one by one.
    for (const outcome of outcomes) {
      const one = counterUpdate(counterKey(), countersOf([outcome]))!;
      if ((await write([settleUpdate(campaignId, shard, token, outcome, true), one])) === 'ok') continue;
      await write([settleUpdate(campaignId, shard, token, outcome, false), one]);
    }
  },

  async recipient(campaignId, shard, candidateId, step) {
    const { Item } = await documents.send(new GetCommand({ TableName: TableName(), Key: recipientKey(campaignId, shard, candidateId, step) }));
    return Item ? recipientFrom(Item) : undefined;
  },

  async track(recipient, change: TrackingChange) {
    const fields: Record<string, unknown> = {
      [change.firstField]: change.at,
      ...change.extra,
      ...(change.status ? { status: change.status, GSI1PK: statusPartition(recipient.campaignId, change.status) } : {}),
    };
    const names = Object.keys(fields);
    const update: TransactItem = {
      Update: {
        TableName: TableName(),
        Key: recipientKey(recipient.campaignId, recipient.shard, recipient.candidateId, recipient.step),
        UpdateExpression: `SET ${names.map((_, i) => `#f${i} = :f${i}`).join(', ')}`,
        ConditionExpression: 'attribute_not_exists(#first) AND #status = :expected',
        ExpressionAttributeNames: { ...Object.fromEntries(names.map((name, i) => [`#f${i}`, name])), '#first': change.firstField, '#status': 'status' },
        ExpressionAttributeValues: { ...Object.fromEntries(names.map((name, i) => [`:f${i}`, fields[name]])), ':expected': change.expectedStatus },
      },
    };
    const counter = counterUpdate(statsKey(recipient.campaignId, `${recipient.shard}.${Math.floor(Math.random() * TRACKING_COUNTER_SPREAD)}`), change.counters);
    if ((await write([update, ...(counter ? [counter] : []), ...outboxPuts(change.events)])) === 'ok') return 'applied';
    const now = await this.recipient(recipient.campaignId, recipient.shard, recipient.candidateId, recipient.step);
    return !now || now[change.firstField] !== undefined ? 'duplicate' : 'moved';
  },

  async mailsOf(candidateId, since) {
    const items = await queryAll({
      IndexName: 'GSI2',
      KeyConditionExpression: 'GSI2PK = :pk AND GSI2SK >= :since',
      ExpressionAttributeValues: { ':pk': mailsOf(candidateId), ':since': since },
      ScanIndexForward: false,
    });
    return items.map(recipientFrom);
  },

  async stats(campaignId) {
    const stats = emptyStats();
    const rows = await queryAll({ KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)', ExpressionAttributeValues: { ':pk': `CAMP#${campaignId}`, ':prefix': STATS_PREFIX } });
    for (const row of rows) {
      for (const [name, value] of Object.entries(row)) {
        if (typeof value !== 'number') continue;
        if (name.startsWith('skipped_')) stats.skipped[name.slice(8)] = (stats.skipped[name.slice(8)] ?? 0) + value;
        else if (name === 'openedHuman') stats.opened.human += value;
        else if (name === 'openedMachine') stats.opened.machine += value;
        else if (name in stats && name !== 'opened' && name !== 'skipped') {
          const totals = stats as unknown as Record<string, number>;
          totals[name] = (totals[name] ?? 0) + value;
        }
      }
    }
    return stats;
  },

  async recipients(campaignId, status, page) {
    const { items, nextCursor } = status
      ? await partitionPage({ index: 'GSI1', partition: statusPartition(campaignId, status) }, page)
      : await partitionPage({ partition: `CAMP#${campaignId}`, beginsWith: 'R#' }, page);
    return { items: items.map((item) => { const { shard, claimToken, claimedAt, ...recipient } = recipientFrom(item); return recipient; }), nextCursor };
  },

  async publish(events) {
    for (const { Put } of outboxPuts(events)) await documents.send(new PutCommand(Put));
  },

  enroll: (enrollment) =>
    conditionally(() => documents.send(new PutCommand({ TableName: TableName(), Item: enrollmentItem(enrollment), ConditionExpression: 'attribute_not_exists(PK)' }))),

  async enrollment(campaignId, candidateId) {
    const { Item } = await documents.send(new GetCommand({ TableName: TableName(), Key: enrollmentKey(campaignId, candidateId) }));
    return Item ? enrollmentFrom(Item) : undefined;
  },

  saveEnrollment: (next: Enrollment, previous: Enrollment) =>
    conditionally(() =>
      documents.send(
        new PutCommand({
          TableName: TableName(),
          Item: enrollmentItem(next),
          ConditionExpression: '#state = :state AND step = :step',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':state': previous.state, ':step': previous.step },
        }),
      ),
    ),

  async enrollments(campaignId, page) {
    const { items, nextCursor } = await partitionPage({ partition: `CAMP#${campaignId}`, beginsWith: ENROLLMENT_PREFIX }, page);
    return { items: items.map(enrollmentFrom), nextCursor };
  },

  enrollmentsOf: async (candidateId) =>
    (await queryAll({ IndexName: 'GSI2', KeyConditionExpression: 'GSI2PK = :pk', ExpressionAttributeValues: { ':pk': enrolledIn(candidateId) } })).map(enrollmentFrom),
};

