import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { config } from '../../../shared/config.ts';
import { documents } from '../../../shared/table/client.ts';
import { conditionally, partitionPage } from '../../../shared/table/query.ts';
import { emailGuardKey } from '../../candidates/adapters/entities.ts';
import type { CandidateEmails, PrivacyRequestStore, StoredStatus } from '../domain/request-service.ts';
import type { PrivacyRequest } from '../schemas.ts';

type Item = Record<string, unknown>;

// Privacy request: PRQ#<id> / REQUEST; GSI1 lists all of them newest first under PRIVACY-REQUESTS, GSI2 those with
// one status. Both sort on `<receivedAt>#<id>`, so "received before or since" is a key condition.
const ALL_REQUESTS = 'PRIVACY-REQUESTS';
const requestsWithStatus = (status: StoredStatus) => `${ALL_REQUESTS}#${status}`;
const requestKey = (id: string) => ({ PK: `PRQ#${id}`, SK: 'REQUEST' });
const sortKey = (request: Pick<PrivacyRequest, 'id' | 'receivedAt'>) => `${request.receivedAt}#${request.id}`;
const requestItem = (request: PrivacyRequest): Item => ({
  ...requestKey(request.id),
  GSI1PK: ALL_REQUESTS,
  GSI1SK: sortKey(request),
  GSI2PK: requestsWithStatus(request.status as StoredStatus),
  GSI2SK: sortKey(request),
  entity: 'privacy-request',
  ...request,
});
const requestFrom = (item: Item): PrivacyRequest => {
  const { PK, SK, GSI1PK, GSI1SK, GSI2PK, GSI2SK, entity, claimedAt, ...request } = item;
  return request as PrivacyRequest;
};

const TableName = () => config.tableName;

export const dynamoRequestStore: PrivacyRequestStore = {
  async save(request) {
    await documents.send(new PutCommand({ TableName: TableName(), Item: requestItem(request) }));
  },
  async get(id) {
    const { Item } = await documents.send(new GetCommand({ TableName: TableName(), Key: requestKey(id) }));
    return Item ? requestFrom(Item) : undefined;
  },
  // One conditional write decides which of two racing confirmations carries the request out.
  claim: (id, at, staleBefore) =>
    conditionally(() =>
      documents.send(
        new UpdateCommand({
          TableName: TableName(),
          Key: requestKey(id),
          UpdateExpression: 'SET claimedAt = :at',
          ConditionExpression: '#status = :awaiting AND (attribute_not_exists(claimedAt) OR claimedAt < :stale)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':at': at, ':awaiting': 'awaiting-confirmation', ':stale': staleBefore },
        }),
      ),
    ),
  async complete(id, at) {
    await documents.send(
      new UpdateCommand({
        TableName: TableName(),
        Key: requestKey(id),
        UpdateExpression: 'SET #status = :completed, completedAt = :at, GSI2PK = :listed REMOVE claimedAt',
        ConditionExpression: 'attribute_exists(PK)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':completed': 'completed', ':at': at, ':listed': requestsWithStatus('completed') },
      }),
    );
  },
  async list({ status, receivedBefore, receivedSince }, page) {
    const { items, nextCursor } = await partitionPage(
      { index: status ? 'GSI2' : 'GSI1', partition: status ? requestsWithStatus(status) : ALL_REQUESTS, newestFirst: true, ...(receivedBefore ? { before: receivedBefore } : {}) },
      page,
    );
    const requests = items.map(requestFrom);
    if (!receivedSince) return { items: requests, nextCursor };
    // Newest first: once one was received before the bound, so were all that follow, and the list ends there.
    const kept = requests.filter((request) => request.receivedAt >= receivedSince);
    return { items: kept, ...(kept.length === requests.length && nextCursor ? { nextCursor } : {}) };
  },
};

/** The candidates context's guard item for an address names the candidate who holds it. */
export const dynamoCandidateEmails: CandidateEmails = {
  async candidateIdOf(email) {
    const { Item } = await documents.send(new GetCommand({ TableName: TableName(), Key: emailGuardKey(email), ProjectionExpression: 'candidateId' }));
    return typeof Item?.candidateId === 'string' ? Item.candidateId : undefined;
  },
};
