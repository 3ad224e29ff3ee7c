import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { config } from '../../../shared/config.ts';
import { documents } from '../../../shared/table/client.ts';
import { queryAll } from '../../../shared/table/query.ts';
import { transact, type TransactAction } from '../../../shared/table/transact.ts';
import { candidateKey, tombstoneKey } from '../../candidates/adapters/entities.ts';
import { erasureKey } from '../../privacy/adapters/erasure-key.ts';
import type { RollupRow } from '../domain/kpis.ts';
import { consentUntil, emptyPerson, type MemberState, type PersonState, type ProfileFacts } from '../domain/people.ts';
import type { AnalyticsStore } from '../domain/ports.ts';
import type { Increment } from '../domain/rollups.ts';
import { FLAG_PREFIX, SEEN_DAYS, memberKey, personKey, rollupKey, rollupPartition, seenKey, shardOf, shards } from './entities.ts';

const TableName = () => config.tableName;
class Duplicate extends Error {}
class Conflict extends Error {}

/** ADD for the counters, if_not_exists for the set-once attributes: one Update of one rollup row. */
function incrementUpdate(inc: Increment, shard: number): TransactAction {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const adds = Object.entries(inc.add).map(([name, value], i) => {
    names[`#a${i}`] = name;
    values[`:a${i}`] = value;
    return `#a${i} :a${i}`;
  });
  const sets = Object.entries(inc.setOnce ?? {}).map(([name, value], i) => {
    names[`#s${i}`] = name;
    values[`:s${i}`] = value;
    return `#s${i} = if_not_exists(#s${i}, :s${i})`;
  });
  const expression = [sets.length ? `SET ${sets.join(', ')}` : '', adds.length ? `ADD ${adds.join(', ')}` : ''].filter(Boolean).join(' ');
  return { item: { Update: { TableName: TableName(), Key: rollupKey(inc.group, shard, inc.row), UpdateExpression: expression, ExpressionAttributeNames: names, ExpressionAttributeValues: values } } };
}

/** The condition that the item is still at the version read (0: absent, or written before items had versions). */
const atVersion = (version: number) =>
  version === 0
    ? { ConditionExpression: 'attribute_not_exists(#version)', ExpressionAttributeNames: { '#version': 'version' } }
    : { ConditionExpression: '#version = :read', ExpressionAttributeNames: { '#version': 'version' }, ExpressionAttributeValues: { ':read': version } };

const get = async (Key: { PK: string; SK: string }, ProjectionExpression?: string, ExpressionAttributeNames?: Record<string, string>) =>
  (await documents.send(new GetCommand({ TableName: TableName(), Key, ConsistentRead: true, ProjectionExpression, ExpressionAttributeNames }))).Item;

const sumBySk = (items: Record<string, unknown>[]) => {
  const rows: Record<string, Record<string, number>> = {};
  for (const item of items) {
    const sum = (rows[item.SK as string] ??= {});
    for (const [name, value] of Object.entries(item)) if (typeof value === 'number' && name !== 'expiresAt') sum[name] = (sum[name] ?? 0) + value;
  }
  return rows;
};

export const dynamoAnalyticsStore: AnalyticsStore = {
  async subject(candidateId) {
    const [profile, person, member] = await Promise.all([
      get(candidateKey(candidateId), '#status, #source, createdAt, consents', { '#status': 'status', '#source': 'source' }),
      get(personKey(candidateId)),
      get(memberKey(candidateId)),
    ]);
    const facts: ProfileFacts | undefined = profile && {
      status: String(profile.status),
      ...(typeof (profile.source as { type?: unknown } | undefined)?.type === 'string' ? { sourceType: (profile.source as { type: string }).type } : {}),
      createdAt: String(profile.createdAt),
      ...((until) => (until ? { consentUntil: until } : {}))(consentUntil((profile.consents ?? []) as Parameters<typeof consentUntil>[0], new Date().toISOString())),
    };
    const state: PersonState = person
      ? {
          flags: new Set(Object.keys(person).filter((name) => name.startsWith(FLAG_PREFIX)).map((name) => name.slice(FLAG_PREFIX.length))),
          reached: (person.reached ?? {}) as PersonState['reached'],
          segments: (person.segments ?? {}) as PersonState['segments'],
          attended: (person.attended ?? {}) as PersonState['attended'],
          stageAt: (person.stageAt ?? {}) as PersonState['stageAt'],
          version: Number(person.version ?? 0),
        }
      : emptyPerson();
    const counted: MemberState | undefined = member && {
      status: String(member.status),
      ...(typeof member.consentUntil === 'string' ? { consentUntil: member.consentUntil } : {}),
      createdAt: String(member.createdAt),
      lastTouchAt: String(member.lastTouchAt),
      community: member.community === true,
      version: Number(member.version),
    };
    return { ...(facts ? { profile: facts } : {}), person: state, ...(counted ? { member: counted } : {}) };
  },

  async apply(marker, shardKey, plan, state) {
    const shard = shardOf(shardKey);
    const conflict = () => new Conflict();
    const actions: TransactAction[] = [
      {
        item: { Put: { TableName: TableName(), Item: { ...seenKey(marker), expiresAt: Math.floor(Date.now() / 1000) + SEEN_DAYS * 86_400 }, ConditionExpression: 'attribute_not_exists(PK)' } },
        onConditionFailed: () => new Duplicate(),
      },
    ];
    const writesPerson = state && (plan.newFlags.length > 0 || plan.memory !== undefined);
    if (state && writesPerson) {
      const names: Record<string, string> = { '#version': 'version' };
      const values: Record<string, unknown> = { ':next': state.person.version + 1 };
      const sets = plan.newFlags.map((flag, i) => {
        names[`#f${i}`] = `${FLAG_PREFIX}${flag}`;
        values[':one'] = 1;
        return `#f${i} = :one`;
      });
      for (const name of plan.memory ? (['reached', 'segments', 'attended', 'stageAt'] as const) : []) {
        names[`#${name}`] = name;
        values[`:${name}`] = plan.memory![name];
        sets.push(`#${name} = :${name}`);
      }
      const check = atVersion(state.person.version);
      actions.push({
        item: {
          Update: {
            TableName: TableName(), Key: personKey(state.candidateId), UpdateExpression: `SET ${[...sets, '#version = :next'].join(', ')}`,
            ExpressionAttributeNames: { ...names, ...check.ExpressionAttributeNames }, ExpressionAttributeValues: { ...values, ...check.ExpressionAttributeValues },
            ConditionExpression: check.ConditionExpression,
          },
        },
        onConditionFailed: conflict,
      });
    }
    if (state && plan.member !== undefined) {
      const version = state.member?.version ?? 0;
      const check = atVersion(version);
      actions.push(
        plan.member === null
          ? { item: { Delete: { TableName: TableName(), Key: memberKey(state.candidateId), ...check } }, onConditionFailed: conflict }
          : {
              item: {
                Put: {
                  TableName: TableName(), Item: { ...memberKey(state.candidateId), entity: 'analytics-member', ...plan.member, version: version + 1 },
                  ...check,
                },
              },
              onConditionFailed: conflict,
            },
      );
    }
    // Nothing is written into the person's partition, nor counted for them, once they are being erased or were merged
    // away since we read their profile. Checked on the erasure record and the merge tombstone, not on the profile, so
    // this never makes the candidates context's own writes of the profile conflict.
    if (state && (writesPerson || (plan.member !== undefined && plan.member !== null))) {
      for (const Key of [erasureKey(state.candidateId), tombstoneKey(state.candidateId)]) {
        actions.push({ item: { ConditionCheck: { TableName: TableName(), Key, ConditionExpression: 'attribute_not_exists(PK)' } }, onConditionFailed: conflict });
      }
    }
    actions.push(...plan.increments.map((inc) => incrementUpdate(inc, shard)));
    try {
      await transact(actions);
      return 'applied';
    } catch (error) {
      if (error instanceof Duplicate) return 'duplicate';
      if (error instanceof Conflict) return 'conflict';
      throw error;
    }
  },

  async rows(group, range) {
    const pages = await Promise.all(
      shards.map((shard) =>
        queryAll({
          KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to',
          ExpressionAttributeValues: { ':pk': rollupPartition(group, shard), ':from': `${range.from}#`, ':to': `${range.to}#\uffff` },
        }),
      ),
    );
    return pages.flat().map((item): RollupRow => {
      const sk = item.SK as string;
      return { day: sk.slice(0, 10), dimension: sk.slice(11), counters: Object.fromEntries(Object.entries(item).filter(([, v]) => typeof v === 'number')) as Record<string, number> };
    });
  },

  async pool() {
    const pages = await Promise.all(shards.map((shard) => queryAll({ KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': rollupPartition('pool', shard) } })));
    return sumBySk(pages.flat());
  },

  async jobMeta(jobId) {
    const metas = await Promise.all(shards.map((shard) => get(rollupKey(`job#${jobId}`, shard, 'META'))));
    const earliest = (name: string) => metas.map((m) => m?.[name]).filter((v): v is string => typeof v === 'string').sort()[0];
    const [firstApplicationAt, filledAt] = [earliest('firstApplicationAt'), earliest('filledAt')];
    return { ...(firstApplicationAt ? { firstApplicationAt } : {}), ...(filledAt ? { filledAt } : {}) };
  },
};
