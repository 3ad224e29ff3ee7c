import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { config } from '../../../shared/config.ts';
import { documents } from '../../../shared/table/client.ts';
import { queryAll } from '../../../shared/table/query.ts';
import { transact, type TransactAction } from '../../../shared/table/transact.ts';
import type { RollupRow } from '../domain/kpis.ts';
import type { AnalyticsStore } from '../domain/ports.ts';
import { emptyPerson, type Increment } from '../domain/rollups.ts';
import { FLAG_PREFIX, SEEN_DAYS, groupPartition, personKey, rollupKey, seenKey } from './entities.ts';

const TableName = () => config.tableName;
class Duplicate extends Error {}
class Conflict extends Error {}

/** ADD for the counters, if_not_exists for the set-once attributes: one Update of one rollup row. */
function incrementUpdate(inc: Increment): TransactAction {
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
  return { item: { Update: { TableName: TableName(), Key: rollupKey(inc.group, inc.row), UpdateExpression: expression, ExpressionAttributeNames: names, ExpressionAttributeValues: values } } };
}

export const dynamoAnalyticsStore: AnalyticsStore = {
  async person(candidateId) {
    const { Item } = await documents.send(new GetCommand({ TableName: TableName(), Key: personKey(candidateId), ConsistentRead: true }));
    if (!Item) return emptyPerson();
    return {
      flags: new Set(Object.keys(Item).filter((name) => name.startsWith(FLAG_PREFIX)).map((name) => name.slice(FLAG_PREFIX.length))),
      ...(typeof Item.source === 'string' ? { source: Item.source } : {}),
      campaigns: [...((Item.campaigns as Set<string> | undefined) ?? [])],
      events: [...((Item.events as Set<string> | undefined) ?? [])],
    };
  },

  async apply(eventId, candidateId, plan) {
    const expiresAt = Math.floor(Date.now() / 1000) + SEEN_DAYS * 86_400;
    const actions: TransactAction[] = [
      {
        item: { Put: { TableName: TableName(), Item: { ...seenKey(eventId), expiresAt }, ConditionExpression: 'attribute_not_exists(PK)' } },
        onConditionFailed: () => new Duplicate(),
      },
    ];
    const { newFlags, remember } = plan;
    if (newFlags.length || Object.keys(remember).length) {
      const names: Record<string, string> = {};
      const values: Record<string, unknown> = {};
      const sets = newFlags.map((flag, i) => {
        names[`#f${i}`] = `${FLAG_PREFIX}${flag}`;
        return `#f${i} = :one`;
      });
      if (newFlags.length) values[':one'] = 1;
      if (remember.source) {
        sets.push('#source = if_not_exists(#source, :source)');
        names['#source'] = 'source';
        values[':source'] = remember.source;
      }
      const adds: string[] = [];
      if (remember.campaign) {
        adds.push('#campaigns :campaign');
        names['#campaigns'] = 'campaigns';
        values[':campaign'] = new Set([remember.campaign]);
      }
      if (remember.event) {
        adds.push('#events :event');
        names['#events'] = 'events';
        values[':event'] = new Set([remember.event]);
      }
      const expression = [sets.length ? `SET ${sets.join(', ')}` : '', adds.length ? `ADD ${adds.join(', ')}` : ''].filter(Boolean).join(' ');
      actions.push({
        item: {
          Update: {
            TableName: TableName(), Key: personKey(candidateId), UpdateExpression: expression, ExpressionAttributeNames: names, ExpressionAttributeValues: values,
            ...(newFlags.length ? { ConditionExpression: newFlags.map((_, i) => `attribute_not_exists(#f${i})`).join(' AND ') } : {}),
          },
        },
        onConditionFailed: () => new Conflict(),
      });
    }
    actions.push(...plan.increments.map(incrementUpdate));
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
    const items = await queryAll({
      KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': groupPartition(group), ':from': `${range.from}#`, ':to': `${range.to}#\uffff` },
    });
    return items.map((item): RollupRow => {
      const sk = item.SK as string;
      return { day: sk.slice(0, 10), dimension: sk.slice(11), counters: Object.fromEntries(Object.entries(item).filter(([, v]) => typeof v === 'number')) as Record<string, number> };
    });
  },

  async pool() {
    const items = await queryAll({ KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)', ExpressionAttributeValues: { ':pk': groupPartition('pool'), ':prefix': 'STATUS#' } });
    return Object.fromEntries(items.map((item) => [(item.SK as string).slice('STATUS#'.length), Number(item.count ?? 0)]));
  },

  async jobMeta(jobId) {
    const { Item } = await documents.send(new GetCommand({ TableName: TableName(), Key: rollupKey(`job#${jobId}`, 'META') }));
    return { ...(typeof Item?.firstApplicationAt === 'string' ? { firstApplicationAt: Item.firstApplicationAt } : {}), ...(typeof Item?.filledAt === 'string' ? { filledAt: Item.filledAt } : {}) };
  },
};
