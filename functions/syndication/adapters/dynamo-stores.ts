import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { config } from '../../../shared/config.ts';
import { hashIdentifier } from '../../../shared/signing.ts';
import { Conflict } from '../../../shared/errors.ts';
import { documents } from '../../../shared/table/client.ts';
import { outboxPuts } from '../../../shared/table/outbox.ts';
import { partitionPage, queryAll } from '../../../shared/table/query.ts';
import { transact, type TransactAction } from '../../../shared/table/transact.ts';
import { poolKey } from '../../candidates/adapters/entities.ts';
import { StaleVersion, type JobStore, type SignupStore, type SiteStore } from '../domain/ports.ts';
import type { Site } from '../schemas.ts';
import {
  ALL_JOBS, ALL_SITES, PUBLIC_CHANGES_KEY, PUBLISHED_SITES, jobFrom, jobItem, jobKey, jobSlugKey, jobsWithStatus, requisitionKey,
  signupFrom, signupItem, signupKey, siteFrom, siteItem, siteKey, siteSlugKey,
} from './entities.ts';

const TableName = () => config.tableName;
// Strongly consistent: a render decides from what was just written, never from a lagging copy.
const get = async (Key: Record<string, string>) => (await documents.send(new GetCommand({ TableName: TableName(), Key, ConsistentRead: true }))).Item;
const events = (list: Parameters<typeof outboxPuts>[0]): TransactAction[] => outboxPuts(list).map((item) => ({ item }));

/** A guard item that only one owner may hold: claiming a taken one fails with 409 naming the field. */
const claim = (Key: Record<string, string>, owner: Record<string, string>, field: string, value: string): TransactAction => ({
  item: { Put: { TableName: TableName(), Item: { ...Key, entity: 'guard', ...owner }, ConditionExpression: 'attribute_not_exists(PK)' } },
  onConditionFailed: () => new Conflict(`The ${field} ${value} is already taken.`, { errors: [{ path: `body.${field}`, message: 'already taken' }] }),
});
const release = (Key: Record<string, string>): TransactAction => ({ item: { Delete: { TableName: TableName(), Key } } });

const versioned = (item: Record<string, unknown>, previousVersion: number): TransactAction => ({
  item: { Put: { TableName: TableName(), Item: item, ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': previousVersion } } },
  onConditionFailed: () => new StaleVersion(),
});

const countChange: TransactAction = {
  item: { Update: { TableName: TableName(), Key: PUBLIC_CHANGES_KEY, UpdateExpression: 'ADD #n :one', ExpressionAttributeNames: { '#n': 'count' }, ExpressionAttributeValues: { ':one': 1 } } },
};

export const dynamoJobStore: JobStore = {
  async get(id) {
    const item = await get(jobKey(id));
    return item ? jobFrom(item) : undefined;
  },
  async create(job, list) {
    await transact([
      { item: { Put: { TableName: TableName(), Item: jobItem(job), ConditionExpression: 'attribute_not_exists(PK)' } }, onConditionFailed: () => new Conflict(`The job ${job.id} already exists.`) },
      claim(jobSlugKey(job.slug), { jobId: job.id }, 'slug', job.slug),
      ...(job.requisitionId ? [claim(requisitionKey(job.requisitionId), { jobId: job.id }, 'requisitionId', job.requisitionId)] : []),
      countChange,
      ...events(list),
    ]);
  },
  async replace(previous, next, list) {
    const moved = previous.requisitionId !== next.requisitionId;
    await transact([
      versioned(jobItem(next), previous.version),
      ...(moved && previous.requisitionId ? [release(requisitionKey(previous.requisitionId))] : []),
      ...(moved && next.requisitionId ? [claim(requisitionKey(next.requisitionId), { jobId: next.id }, 'requisitionId', next.requisitionId)] : []),
      countChange,
      ...events(list),
    ]);
  },
  async list(status, page) {
    const { items, nextCursor } = await partitionPage(status ? { index: 'GSI1', partition: jobsWithStatus(status), newestFirst: true } : { index: 'GSI2', partition: ALL_JOBS, newestFirst: true }, page);
    return { items: items.map(jobFrom), nextCursor };
  },
  async open() {
    const items = await queryAll({ IndexName: 'GSI1', KeyConditionExpression: 'GSI1PK = :pk', ExpressionAttributeValues: { ':pk': jobsWithStatus('open') } });
    return items.map(jobFrom);
  },
  async changes() {
    return Number((await get(PUBLIC_CHANGES_KEY))?.count ?? 0);
  },
};

export const dynamoSiteStore: SiteStore = {
  async get(id) {
    const item = await get(siteKey(id));
    return item ? siteFrom(item) : undefined;
  },
  async bySlug(slug) {
    const guard = await get(siteSlugKey(slug));
    return guard ? this.get(String(guard.siteId)) : undefined;
  },
  async create(site, list) {
    await transact([
      { item: { Put: { TableName: TableName(), Item: siteItem(site), ConditionExpression: 'attribute_not_exists(PK)' } }, onConditionFailed: () => new Conflict(`The site ${site.id} already exists.`) },
      claim(siteSlugKey(site.slug), { siteId: site.id }, 'slug', site.slug),
      countChange,
      ...events(list),
    ]);
  },
  async replace(previous: Site, next: Site, list) {
    const moved = previous.slug !== next.slug;
    await transact([
      versioned(siteItem(next), previous.version),
      ...(moved ? [release(siteSlugKey(previous.slug)), claim(siteSlugKey(next.slug), { siteId: next.id }, 'slug', next.slug)] : []),
      countChange,
      ...events(list),
    ]);
  },
  async list(page) {
    const { items, nextCursor } = await partitionPage({ index: 'GSI1', partition: ALL_SITES, newestFirst: true }, page);
    return { items: items.map(siteFrom), nextCursor };
  },
  async published() {
    const items = await queryAll({ IndexName: 'GSI2', KeyConditionExpression: 'GSI2PK = :pk', ExpressionAttributeValues: { ':pk': PUBLISHED_SITES } });
    return items.map(siteFrom);
  },
};

export const dynamoSignupStore: SignupStore = {
  async save(signup, expiresAt) {
    // A lock per site and address (a salted hash: it holds no address) for an hour, written with the sign-up.
    const lock = { PK: `SIGNUPLOCK#${await hashIdentifier(`${signup.siteId}:${signup.email}`)}`, SK: 'LOCK' };
    try {
      await transact([
        {
          item: {
            Put: {
              TableName: TableName(),
              Item: { ...lock, entity: 'signup-lock', expiresAt: Math.floor(Date.now() / 1000) + 3600 },
              ConditionExpression: 'attribute_not_exists(PK) OR expiresAt < :now',
              ExpressionAttributeValues: { ':now': Math.floor(Date.now() / 1000) },
            },
          },
          onConditionFailed: () => new AlreadyFinished(),
        },
        { item: { Put: { TableName: TableName(), Item: signupItem(signup, expiresAt) } } },
      ]);
      return true;
    } catch (error) {
      if (error instanceof AlreadyFinished) return false;
      throw error;
    }
  },
  /** Marks the sign-up as being confirmed; a crash after this is finished by following the link again. */
  async claim(id) {
    const item = await get(signupKey(id));
    // TTL deletes lazily: an expired item may still be there.
    if (!item || (typeof item.expiresAt === 'number' && item.expiresAt * 1000 < Date.now())) return undefined;
    if (item.doneAt) return { done: true };
    return { signup: signupFrom(item) };
  },
  async finish(id, candidateId, list) {
    // Kept for a day as a used link (a second click says so), then TTL removes it. Of two clicks racing, one
    // records the confirmation and its event; the other's join changed nothing new.
    try {
      await transact([
        {
          item: {
            Update: {
              TableName: TableName(),
              Key: signupKey(id),
              // What the person typed is on their candidate record now: the used link keeps ids only.
              UpdateExpression: 'SET doneAt = :now, candidateId = :c, expiresAt = :ttl REMOVE email, firstName, lastName, profile, utm',
              ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(doneAt)',
              ExpressionAttributeValues: { ':now': new Date().toISOString(), ':c': candidateId, ':ttl': Math.floor(Date.now() / 1000) + 86_400 },
            },
          },
          onConditionFailed: () => new AlreadyFinished(),
        },
        ...events(list),
      ]);
    } catch (error) {
      if (!(error instanceof AlreadyFinished)) throw error;
    }
  },
};

/** A condition that means the work was done before: not an error for the caller. */
class AlreadyFinished extends Error {}

/** Whether the candidates context has this pool. */
export async function poolExists(id: string): Promise<boolean> {
  return (await get(poolKey(id))) !== undefined;
}
