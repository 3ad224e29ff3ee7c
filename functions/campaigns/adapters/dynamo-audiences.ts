import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { config } from '../../../shared/config.ts';
import { batchGet } from '../../../shared/table/batch.ts';
import { documents } from '../../../shared/table/client.ts';
import { candidateFrom, candidateKey, emailGuardKey, indexEntryKey, memberKey, MEMBER_PREFIX, poolEntry } from '../../candidates/adapters/entities.ts';
import { PUBLIC_CHANGES_KEY } from '../../syndication/adapters/entities.ts';
import { openJobs } from '../../syndication/adapters/open-jobs.ts';
import type { Audiences, Contact, JobBoard, OpenJob } from '../domain/ports.ts';
import type { Preferences, Suppression } from '../schemas.ts';
import { preferencesKey, suppressionKey, type Item } from './entities.ts';

/**
 * The campaigns context reads the talent pool (profiles, segment and pool members) straight from the table, read
 * only, through the candidates context's own key builders: a send needs fresh data, not a copy kept by events.
 */
export const dynamoAudiences: Audiences = {
  async page(audience, after, limit) {
    if ('segmentId' in audience) {
      const pk = `SEG#${audience.segmentId}`;
      const result = await documents.send(
        new QueryCommand({
          TableName: config.tableName,
          KeyConditionExpression: 'PK = :pk AND begins_with(SK, :member)',
          ExpressionAttributeValues: { ':pk': pk, ':member': MEMBER_PREFIX },
          ExclusiveStartKey: after ? memberKey(audience.segmentId, after) : undefined,
          Limit: limit,
        }),
      );
      const candidateIds = (result.Items ?? []).map((item) => (item.SK as string).slice(MEMBER_PREFIX.length));
      return { candidateIds, ...(result.LastEvaluatedKey ? { last: candidateIds.at(-1) } : {}) };
    }
    const entry = (candidateId: string) => poolEntry(candidateId, audience.poolId);
    const result = await documents.send(
      new QueryCommand({
        TableName: config.tableName,
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :pk',
        ExpressionAttributeValues: { ':pk': entry('').GSI1PK },
        ExclusiveStartKey: after ? { ...indexEntryKey(after, entry(after)), ...entry(after) } : undefined,
        Limit: limit,
      }),
    );
    const candidateIds = (result.Items ?? []).map((item) => item.GSI1SK as string);
    return { candidateIds, ...(result.LastEvaluatedKey ? { last: candidateIds.at(-1) } : {}) };
  },

  async isMember(audience, candidateId) {
    const Key = 'segmentId' in audience ? memberKey(audience.segmentId, candidateId) : indexEntryKey(candidateId, poolEntry(candidateId, audience.poolId));
    return (await documents.send(new GetCommand({ TableName: config.tableName, Key, ProjectionExpression: 'PK' }))).Item !== undefined;
  },

  async candidateByEmail(email) {
    const { Item } = await documents.send(new GetCommand({ TableName: config.tableName, Key: emailGuardKey(email.toLowerCase()) }));
    return Item?.candidateId as string | undefined;
  },

  /** Profiles and preferences in one BatchGet, then the suppression list by address in another. */
  async contacts(candidateIds) {
    const items = await batchGet<Item>(candidateIds.flatMap((id) => [candidateKey(id), preferencesKey(id)]));
    const contacts = new Map<string, Contact>(candidateIds.map((id) => [id, { candidateId: id }]));
    for (const item of items) {
      const id = (item.PK as string).slice('CAND#'.length);
      const contact = contacts.get(id)!;
      if (item.SK === 'PREFS') {
        contact.preferences = { topics: (item.topics ?? {}) as Preferences['topics'], frequency: (item.frequency ?? 'any') as Preferences['frequency'] };
        if (item.lastEmailedAt) contact.lastEmailedAt = item.lastEmailedAt as string;
        continue;
      }
      const c = candidateFrom(item);
      contact.profile = {
        email: c.email, firstName: c.firstName, lastName: c.lastName, headline: c.headline, company: c.company, city: c.location?.city, country: c.location?.country,
        timezone: c.timezone, status: c.status, skills: c.skills, consents: c.consents,
        ...(c.experienceYears === undefined ? {} : { experienceYears: c.experienceYears }),
      };
    }
    const withEmail = [...contacts.values()].filter((c) => c.profile?.email);
    const suppressed = await batchGet<Item>(withEmail.map((c) => suppressionKey(c.profile!.email)));
    const reasons = new Map(suppressed.map((item) => [item.email as string, item.reason as Suppression['reason']]));
    for (const contact of withEmail) {
      const reason = reasons.get(contact.profile!.email);
      if (reason) contact.suppressed = reason;
    }
    return contacts;
  },
};

/**
 * Open jobs, as the syndication context lists them under JOBS#open in GSI1 (its Job shape). Kept while the
 * syndication change counter (moved by every job write) stands still: one small read instead of the list, and a job
 * published a moment ago is suggested in the next batch.
 */
let cached: { changes: number; jobs: OpenJob[] } | undefined;
export const dynamoJobBoard: JobBoard = {
  async openJobs() {
    const { Item } = await documents.send(new GetCommand({ TableName: config.tableName, Key: PUBLIC_CHANGES_KEY }));
    const changes = Number(Item?.count ?? 0);
    if (cached && cached.changes === changes) return cached.jobs;
    const jobs = (await openJobs()).map(({ id, title, url, skills, description, location }): OpenJob => ({
      id, title, url, skills, description, country: location.address?.country, city: location.address?.city, remote: location.type !== 'onsite', locationType: location.type,
      ...(location.applicantCountries ? { applicantCountries: location.applicantCountries } : {}),
    }));
    cached = { changes, jobs };
    return jobs;
  },
};
