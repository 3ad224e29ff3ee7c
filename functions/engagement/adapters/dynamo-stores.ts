import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { config } from '../../../shared/config.ts';
import { Conflict } from '../../../shared/errors.ts';
import { decodeCursor, encodeCursor } from '../../../shared/http/pagination.ts';
import { documents } from '../../../shared/table/client.ts';
import { outboxPuts } from '../../../shared/table/outbox.ts';
import { conditionally, partitionPage, queryPages } from '../../../shared/table/query.ts';
import { transact, type TransactAction } from '../../../shared/table/transact.ts';
import { StaleVersion, type EventStore, type RsvpRecord, type RsvpStore } from '../domain/ports.ts';
import {
  ALL_HIRING_EVENTS, editableEventFields, eventByStart, eventRsvps, hiringEventFrom, hiringEventItem, hiringEventKey, mailClaim, reminderClaim, rsvpById, rsvpByStatus, rsvpStatusPrefix,
  rsvpFrom, rsvpItem, rsvpKey, UPDATE_CLAIM,
} from './entities.ts';

const TableName = () => config.tableName;
const get = async (Key: Record<string, string>) => (await documents.send(new GetCommand({ TableName: TableName(), Key, ConsistentRead: true }))).Item;
const events = (list: Parameters<typeof outboxPuts>[0]): TransactAction[] => outboxPuts(list).map((item) => ({ item }));

/** A condition of a seat write that did not hold: which one says what the caller answers. */
class Unavailable extends Error {}
class Exists extends Error {}
class Stale extends Error {}

const ROUNDS = 3;
/**
 * Many people RSVP at once when an invitation lands: their transactions all touch the event's counters, and
 * DynamoDB cancels those that overlap (TransactionConflict). `transact` retries ten times within a second or so; a
 * popular event needs a few rounds more, spread out with jitter so they do not collide again.
 */
async function contended(actions: TransactAction[]): Promise<void> {
  for (let round = 1; ; round++) {
    try {
      await transact(actions);
      return;
    } catch (error) {
      const conflict = error instanceof TransactionCanceledException && (error.CancellationReasons ?? []).some((reason) => reason.Code === 'TransactionConflict');
      if (!conflict) throw error;
      if (round >= ROUNDS) throw new Conflict('Many people are registering right now. Retry in a moment.');
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 100 * round));
    }
  }
}

/** Runs a seat write; a failed condition becomes what it means for the caller. */
async function outcomeOf<T extends string>(actions: TransactAction[], done: T): Promise<T | 'exists' | 'unavailable' | 'stale'> {
  try {
    await contended(actions);
    return done;
  } catch (error) {
    if (error instanceof Exists) return 'exists';
    if (error instanceof Unavailable) return 'unavailable';
    if (error instanceof Stale) return 'stale';
    throw error;
  }
}

/**
 * The event still takes people at `now`; a confirmed seat also needs one free. A new RSVP takes it only while nobody
 * waits (the waitlist comes first); a seat handed on to the waitlist only before the event starts.
 */
const seatCondition = (now: string, seat: 'none' | 'new' | 'handed-on') => {
  const free = ' AND (attribute_not_exists(#capacity) OR #confirmed < #capacity)';
  const extra = seat === 'new' ? `${free} AND (attribute_not_exists(#waitlisted) OR #waitlisted <= :zero)` : seat === 'handed-on' ? `${free} AND startsAt > :now` : '';
  return {
    ConditionExpression: `#status = :scheduled AND endsAt > :now${extra}`,
    names: { '#status': 'status', ...(seat === 'none' ? {} : { '#capacity': 'capacity', '#confirmed': 'confirmed' }), ...(seat === 'new' ? { '#waitlisted': 'waitlisted' } : {}) },
    values: { ':scheduled': 'scheduled', ':now': now, ...(seat === 'new' ? { ':zero': 0 } : {}) },
  };
};

const counting = (eventId: string, change: Partial<Record<'confirmed' | 'waitlisted' | 'attended', number>>, condition?: ReturnType<typeof seatCondition>): TransactAction => {
  const fields = Object.keys(change) as (keyof typeof change)[];
  return {
    item: {
      Update: {
        TableName: TableName(),
        Key: hiringEventKey(eventId),
        UpdateExpression: `ADD ${fields.map((field) => `#${field} :${field}`).join(', ')}`,
        ...(condition ? { ConditionExpression: condition.ConditionExpression } : { ConditionExpression: 'attribute_exists(PK)' }),
        ExpressionAttributeNames: { ...Object.fromEntries(fields.map((field) => [`#${field}`, field])), ...condition?.names },
        ExpressionAttributeValues: { ...Object.fromEntries(fields.map((field) => [`:${field}`, change[field]])), ...condition?.values },
      },
    },
    onConditionFailed: () => new Unavailable(),
  };
};

/** Moves an RSVP from the status it was read in to another, or fails as stale. */
const moving = (rsvp: RsvpRecord, to: RsvpRecord['status'], now: string, stamp: 'confirmedAt' | 'cancelledAt'): TransactAction => ({
  item: {
    Update: {
      TableName: TableName(),
      Key: rsvpKey(rsvp.candidateId, rsvp.eventId),
      UpdateExpression: `SET #status = :to, ${stamp} = :now, updatedAt = :now, GSI1SK = :sk`,
      ConditionExpression: '#status = :from',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':to': to, ':from': rsvp.status, ':now': now, ':sk': rsvpByStatus(to, now, rsvp.id) },
    },
  },
  onConditionFailed: () => new Stale(),
});

export const dynamoEventStore: EventStore = {
  async get(id) {
    const item = await get(hiringEventKey(id));
    return item ? hiringEventFrom(item) : undefined;
  },

  async create(event, list) {
    await transact([
      {
        item: { Put: { TableName: TableName(), Item: hiringEventItem(event), ConditionExpression: 'attribute_not_exists(PK)' } },
        onConditionFailed: () => new Conflict(`The event ${event.id} already exists.`),
      },
      ...events(list),
    ]);
  },

  async replace(previous, next, list) {
    const present = editableEventFields.filter((field) => next[field] !== undefined);
    const removed = editableEventFields.filter((field) => next[field] === undefined && previous[field] !== undefined);
    const names = Object.fromEntries([...present, ...removed].map((field) => [`#${field}`, field]));
    const values: Record<string, unknown> = { ...Object.fromEntries(present.map((field) => [`:${field}`, next[field]])), ':previous': previous.version, ':sk': eventByStart(next) };
    // The seats taken must still fit a smaller capacity: an RSVP may have taken one since the event was read.
    const fits = next.capacity !== undefined && next.capacity !== previous.capacity ? ' AND #confirmed <= :capacity' : '';
    await transact([
      {
        item: {
          Update: {
            TableName: TableName(),
            Key: hiringEventKey(next.id),
            UpdateExpression: `SET ${[...present.map((field) => `#${field} = :${field}`), 'GSI1SK = :sk'].join(', ')}${removed.length ? ` REMOVE ${removed.map((field) => `#${field}`).join(', ')}` : ''}`,
            ConditionExpression: `#version = :previous${fits}`,
            ExpressionAttributeNames: { ...names, '#version': 'version', ...(fits ? { '#confirmed': 'confirmed' } : {}) },
            ExpressionAttributeValues: values,
          },
        },
        onConditionFailed: () => new StaleVersion(),
      },
      ...events(list),
    ]);
  },

  async list(range, page) {
    const condition = range.from && range.to ? ' AND GSI1SK BETWEEN :from AND :to' : range.from ? ' AND GSI1SK >= :from' : range.to ? ' AND GSI1SK < :to' : '';
    const result = await documents.send(
      new QueryCommand({
        TableName: TableName(),
        IndexName: 'GSI1',
        KeyConditionExpression: `GSI1PK = :pk${condition}`,
        ExpressionAttributeValues: { ':pk': ALL_HIRING_EVENTS, ...(range.from ? { ':from': range.from } : {}), ...(range.to ? { ':to': range.to } : {}) },
        Limit: page.limit,
        ExclusiveStartKey: decodeCursor(page.cursor, { GSI1PK: ALL_HIRING_EVENTS }),
      }),
    );
    return { items: (result.Items ?? []).map(hiringEventFrom), nextCursor: encodeCursor(result.LastEvaluatedKey) };
  },

  async addInvitation(eventId, invitation) {
    await documents.send(
      new UpdateCommand({
        TableName: TableName(),
        Key: hiringEventKey(eventId),
        UpdateExpression: 'SET invitations = list_append(if_not_exists(invitations, :none), :one)',
        ConditionExpression: 'attribute_exists(PK)',
        ExpressionAttributeValues: { ':none': [], ':one': [invitation] },
      }),
    );
  },
};

export const dynamoRsvpStore: RsvpStore = {
  async find(eventId, candidateId) {
    const item = await get(rsvpKey(candidateId, eventId));
    return item ? rsvpFrom(item) : undefined;
  },

  async byId(id) {
    const { Items = [] } = await documents.send(
      new QueryCommand({ TableName: TableName(), IndexName: 'GSI2', KeyConditionExpression: 'GSI2PK = :pk', ExpressionAttributeValues: { ':pk': rsvpById(id) }, Limit: 1 }),
    );
    // The index lags the table: the item itself says how the RSVP stands now.
    const found = Items[0] ? await get(rsvpKey(String(Items[0].candidateId), String(Items[0].eventId))) : undefined;
    return found ? rsvpFrom(found) : undefined;
  },

  async reserve(rsvp, now, list, renews = false) {
    const seat = rsvp.status === 'confirmed';
    const write: TransactAction = renews
      ? {
          item: {
            Update: {
              TableName: TableName(),
              Key: rsvpKey(rsvp.candidateId, rsvp.eventId),
              // Emails about the RSVP go out again for the renewed one; reminders already sent for this start do not.
              UpdateExpression: `SET #status = :to, updatedAt = :now, GSI1SK = :sk${seat ? ', confirmedAt = :now' : ''} REMOVE cancelledAt, #mailedConfirmed, #mailedWaitlisted`,
              ConditionExpression: '#status = :cancelled',
              ExpressionAttributeNames: { '#status': 'status', '#mailedConfirmed': mailClaim('confirmed'), '#mailedWaitlisted': mailClaim('waitlisted') },
              ExpressionAttributeValues: { ':to': rsvp.status, ':now': now, ':sk': rsvpByStatus(rsvp.status, now, rsvp.id), ':cancelled': 'cancelled' },
            },
          },
          onConditionFailed: () => new Exists(),
        }
      : { item: { Put: { TableName: TableName(), Item: rsvpItem(rsvp), ConditionExpression: 'attribute_not_exists(PK)' } }, onConditionFailed: () => new Exists() };
    const outcome = await outcomeOf([counting(rsvp.eventId, seat ? { confirmed: 1 } : { waitlisted: 1 }, seatCondition(now, seat ? 'new' : 'none')), write, ...events(list)], 'reserved');
    return outcome === 'stale' ? 'unavailable' : outcome;
  },

  async repeat(rsvp, now, since, list) {
    const noted: TransactAction = {
      item: {
        Update: {
          TableName: TableName(),
          Key: rsvpKey(rsvp.candidateId, rsvp.eventId),
          UpdateExpression: 'SET repeatedAt = :now REMOVE #claim',
          ConditionExpression: '#status = :status AND (attribute_not_exists(repeatedAt) OR repeatedAt < :since)',
          ExpressionAttributeNames: { '#status': 'status', '#claim': mailClaim('repeat') },
          ExpressionAttributeValues: { ':now': now, ':status': rsvp.status, ':since': since },
        },
      },
      onConditionFailed: () => new Stale(),
    };
    return (await outcomeOf([noted, ...events(list)], 'noted')) === 'noted';
  },

  async cancel(rsvp, promote, now, list) {
    const wasConfirmed = rsvp.status === 'confirmed';
    // A seat handed on keeps `confirmed` as it is; the waitlist loses its first person instead.
    const change = wasConfirmed && !promote ? { confirmed: -1 } : { waitlisted: -1 };
    const outcome = await outcomeOf(
      [
        moving(rsvp, 'cancelled', now, 'cancelledAt'),
        ...(promote ? [moving(promote, 'confirmed', now, 'confirmedAt')] : []),
        counting(rsvp.eventId, change),
        ...events(list),
      ],
      'cancelled',
    );
    return outcome === 'cancelled' ? 'cancelled' : 'stale';
  },

  async promote(rsvp, now, list) {
    const outcome = await outcomeOf(
      [counting(rsvp.eventId, { confirmed: 1, waitlisted: -1 }, seatCondition(now, 'handed-on')), moving(rsvp, 'confirmed', now, 'confirmedAt'), ...events(list)],
      'promoted',
    );
    return outcome === 'promoted';
  },

  async firstWaitlisted(eventId) {
    const { Items = [] } = await documents.send(
      new QueryCommand({
        TableName: TableName(),
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :pk AND begins_with(GSI1SK, :waiting)',
        ExpressionAttributeValues: { ':pk': eventRsvps(eventId), ':waiting': rsvpStatusPrefix('waitlisted') },
        Limit: 1,
      }),
    );
    return Items[0] ? rsvpFrom(Items[0]) : undefined;
  },

  async checkIn(rsvp, from, now, list) {
    const moves = from !== undefined && from !== rsvp.status;
    const record = from === undefined
      ? { Put: { TableName: TableName(), Item: rsvpItem({ ...rsvp, attendedAt: now, updatedAt: now }), ConditionExpression: 'attribute_not_exists(PK)' } }
      : {
          Update: {
            TableName: TableName(),
            Key: rsvpKey(rsvp.candidateId, rsvp.eventId),
            UpdateExpression: `SET attendedAt = :now, updatedAt = :now${moves ? ', #status = :to, GSI1SK = :sk' : ''}`,
            ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(attendedAt) AND #status = :from',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':now': now, ':from': from, ...(moves ? { ':to': rsvp.status, ':sk': rsvpByStatus(rsvp.status, now, rsvp.id) } : {}) },
          },
        };
    const change = moves && from === 'waitlisted' ? { attended: 1, waitlisted: -1 } : { attended: 1 };
    const outcome = await outcomeOf([{ item: record, onConditionFailed: () => new Stale() }, counting(rsvp.eventId, change), ...events(list)], 'checked-in');
    return outcome === 'checked-in';
  },

  async list(eventId, status, page) {
    const { items, nextCursor } = await partitionPage({ index: 'GSI1', partition: eventRsvps(eventId), ...(status ? { beginsWith: rsvpStatusPrefix(status) } : {}) }, page);
    return { items: items.map(rsvpFrom), ...(nextCursor ? { nextCursor } : {}) };
  },

  async *each(eventId, statuses) {
    for (const status of statuses) {
      for await (const page of queryPages({
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :pk AND begins_with(GSI1SK, :status)',
        ExpressionAttributeValues: { ':pk': eventRsvps(eventId), ':status': rsvpStatusPrefix(status) },
      })) {
        if (page.length) yield page.map(rsvpFrom);
      }
    }
  },

  claimReminder: (rsvp, reminder, startsAt) =>
    conditionally(() =>
      documents.send(
        new UpdateCommand({
          TableName: TableName(),
          Key: rsvpKey(rsvp.candidateId, rsvp.eventId),
          UpdateExpression: 'SET #claim = :startsAt',
          ConditionExpression: '#status = :confirmed AND (attribute_not_exists(#claim) OR #claim <> :startsAt)',
          ExpressionAttributeNames: { '#claim': reminderClaim(reminder), '#status': 'status' },
          ExpressionAttributeValues: { ':startsAt': startsAt, ':confirmed': 'confirmed' },
        }),
      ),
    ),

  releaseReminder: (rsvp, reminder, startsAt) => release(rsvp, reminderClaim(reminder), startsAt),

  claimMail: (rsvp, kind, claim) =>
    conditionally(() =>
      documents.send(
        new UpdateCommand({
          TableName: TableName(),
          Key: rsvpKey(rsvp.candidateId, rsvp.eventId),
          UpdateExpression: 'SET #claim = :claim',
          ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(#claim)',
          ExpressionAttributeNames: { '#claim': mailClaim(kind) },
          ExpressionAttributeValues: { ':claim': claim },
        }),
      ),
    ),

  releaseMail: (rsvp, kind, claim) => release(rsvp, mailClaim(kind), claim),

  claimUpdate: (rsvp, version) =>
    conditionally(() =>
      documents.send(
        new UpdateCommand({
          TableName: TableName(),
          Key: rsvpKey(rsvp.candidateId, rsvp.eventId),
          UpdateExpression: 'SET #claim = :version',
          ConditionExpression: '#status = :confirmed AND (attribute_not_exists(#claim) OR #claim < :version)',
          ExpressionAttributeNames: { '#claim': UPDATE_CLAIM, '#status': 'status' },
          ExpressionAttributeValues: { ':version': version, ':confirmed': 'confirmed' },
        }),
      ),
    ),

  releaseUpdate: (rsvp, version) => release(rsvp, UPDATE_CLAIM, version),
};

/** Removes a claim only while it holds the value this send wrote: a later claim (a renewed RSVP's) stays. */
async function release(rsvp: RsvpRecord, attribute: string, value: string | number): Promise<void> {
  await conditionally(() =>
    documents.send(
      new UpdateCommand({
        TableName: TableName(),
        Key: rsvpKey(rsvp.candidateId, rsvp.eventId),
        UpdateExpression: 'REMOVE #claim',
        ConditionExpression: '#claim = :value',
        ExpressionAttributeNames: { '#claim': attribute },
        ExpressionAttributeValues: { ':value': value },
      }),
    ),
  );
}
