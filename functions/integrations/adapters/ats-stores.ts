import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { config } from '../../../shared/config.ts';
import { conditionally, partitionPage } from '../../../shared/table/query.ts';
import { documents } from '../../../shared/table/client.ts';
import { requisitionKey } from '../../syndication/adapters/entities.ts';
import type { AtsEventResult } from '../ats-schemas.ts';
import { StaleVersion, type AtsConnectionStore, type AtsEventLog, type AtsLinks, type Requisitions } from '../domain/ats-ports.ts';
import {
  ALL_CONNECTIONS, applicationClaimKey, connectionFrom, connectionItem, connectionKey, eventItem, eventKey, linkItem, linkKey, linkPartition,
} from './ats-entities.ts';

const TableName = () => config.tableName;
// Strongly consistent: a delivery right after another must see what that one wrote.
const get = async (Key: Record<string, string>) => (await documents.send(new GetCommand({ TableName: TableName(), Key, ConsistentRead: true }))).Item;

export const dynamoAtsConnections: AtsConnectionStore = {
  async create(connection) {
    await documents.send(new PutCommand({ TableName: TableName(), Item: connectionItem(connection), ConditionExpression: 'attribute_not_exists(PK)' }));
  },
  async get(id) {
    const item = await get(connectionKey(id));
    return item ? connectionFrom(item) : undefined;
  },
  async list(page) {
    const { items, nextCursor } = await partitionPage({ index: 'GSI1', partition: ALL_CONNECTIONS, newestFirst: true }, page);
    return { items: items.map(connectionFrom), ...(nextCursor ? { nextCursor } : {}) };
  },
  async replace(previous, next) {
    const written = await conditionally(() =>
      documents.send(new PutCommand({ TableName: TableName(), Item: connectionItem(next), ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': previous.version } })),
    );
    if (!written) throw new StaleVersion();
  },
};

export const dynamoAtsEventLog: AtsEventLog = {
  async get(connectionId, eventId) {
    const item = await get(eventKey(connectionId, eventId));
    // TTL deletes lazily: an expired record no longer counts.
    if (!item || (typeof item.expiresAt === 'number' && item.expiresAt * 1000 < Date.now())) return undefined;
    return item.result as AtsEventResult;
  },
  async record(connectionId, result, at) {
    const recorded = await conditionally(() =>
      documents.send(new PutCommand({ TableName: TableName(), Item: eventItem(connectionId, result, at), ConditionExpression: 'attribute_not_exists(PK)' })),
    );
    if (recorded) return result;
    // Two deliveries of one event raced: both answer what the first recorded.
    return ((await get(eventKey(connectionId, result.eventId)))?.result as AtsEventResult | undefined) ?? result;
  },
};

export const dynamoAtsLinks: AtsLinks = {
  async holders(connectionId, externalId) {
    const { Items = [] } = await documents.send(
      new QueryCommand({
        TableName: TableName(),
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :pk',
        ExpressionAttributeValues: { ':pk': linkPartition(connectionId, externalId) },
      }),
    );
    return Items.map((item) => String(item.candidateId));
  },
  async link(candidateId, connectionId, externalId, at) {
    // Linking again keeps the first time it was linked.
    await conditionally(() =>
      documents.send(new PutCommand({ TableName: TableName(), Item: linkItem(candidateId, connectionId, externalId, at), ConditionExpression: 'attribute_not_exists(PK)' })),
    );
  },
  async unlink(candidateId, connectionId, externalId) {
    await documents.send(new DeleteCommand({ TableName: TableName(), Key: linkKey(candidateId, connectionId, externalId) }));
  },
  async claimed(candidateId, connectionId, externalId) {
    const item = await get(applicationClaimKey(candidateId, connectionId, externalId));
    return item?.applicationId as string | undefined;
  },
  async claim(candidateId, connectionId, externalId, proposedId, at) {
    try {
      const { Attributes } = await documents.send(
        new UpdateCommand({
          TableName: TableName(),
          Key: applicationClaimKey(candidateId, connectionId, externalId),
          UpdateExpression: `SET applicationId = if_not_exists(applicationId, :proposed), entity = :entity, connectionId = :connection, externalId = :external${at ? ', syncedAt = :at' : ''}`,
          ...(at ? { ConditionExpression: 'attribute_not_exists(syncedAt) OR syncedAt <= :at' } : {}),
          ExpressionAttributeValues: { ':proposed': proposedId, ':entity': 'ats-application', ':connection': connectionId, ':external': externalId, ...(at ? { ':at': at } : {}) },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return Attributes?.applicationId as string;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return undefined;
      throw error;
    }
  },
};

export const dynamoRequisitions: Requisitions = {
  async jobFor(requisitionId) {
    return (await get(requisitionKey(requisitionId)))?.jobId as string | undefined;
  },
};
