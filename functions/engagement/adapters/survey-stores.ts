import { DeleteCommand, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { config } from '../../../shared/config.ts';
import { Conflict } from '../../../shared/errors.ts';
import { batchGet } from '../../../shared/table/batch.ts';
import { documents } from '../../../shared/table/client.ts';
import { outboxPuts } from '../../../shared/table/outbox.ts';
import { conditionally, partitionPage, queryAll } from '../../../shared/table/query.ts';
import { transact, type TransactAction } from '../../../shared/table/transact.ts';
import { candidateFrom, candidateKey } from '../../candidates/adapters/entities.ts';
import { StaleVersion, type Invitation, type InvitationStore, type People, type SurveyStore } from '../domain/survey-ports.ts';
import {
  ALL_SURVEYS, COUNTERS, invitationFrom, invitationItem, invitationKey, invitationLink, responseFrom, responseIndex, skippedCounter, surveyFrom,
  surveyItem, surveyKey, surveyResponses, surveysTriggeredBy, triggerIndex,
} from './survey-entities.ts';

const TableName = () => config.tableName;
const get = async (Key: Record<string, string>) => (await documents.send(new GetCommand({ TableName: TableName(), Key, ConsistentRead: true }))).Item;

/** A condition that failed because the work was done before, or the person is gone: nothing to write. */
class NotWritten extends Error {}

/** Writes all of these or none; false when a condition did not hold. */
async function allOrNothing(actions: TransactAction[]): Promise<boolean> {
  try {
    await transact(actions);
    return true;
  } catch (error) {
    if (error instanceof NotWritten) return false;
    throw error;
  }
}

/** Nothing goes into the partition of someone erased (or merged away) since the send began. */
const profileStillThere = (candidateId: string): TransactAction => ({
  item: { ConditionCheck: { TableName: TableName(), Key: candidateKey(candidateId), ConditionExpression: 'attribute_exists(PK)' } },
  onConditionFailed: () => new NotWritten(),
});

/** One more on a survey counter, in the transaction whose conditional write it counts (so it counts once). */
const count = (surveyId: string, counter: string): TransactAction => ({
  item: {
    Update: {
      TableName: TableName(), Key: surveyKey(surveyId), UpdateExpression: 'ADD #c :one', ConditionExpression: 'attribute_exists(PK)',
      ExpressionAttributeNames: { '#c': counter }, ExpressionAttributeValues: { ':one': 1 },
    },
  },
  onConditionFailed: () => new NotWritten(),
});

const newInvitation = (invitation: Invitation): TransactAction => ({
  item: { Put: { TableName: TableName(), Item: invitationItem(invitation), ConditionExpression: 'attribute_not_exists(PK)' } },
  onConditionFailed: () => new NotWritten(),
});

export const dynamoSurveyStore: SurveyStore = {
  async create(survey) {
    const created = await conditionally(() => documents.send(new PutCommand({ TableName: TableName(), Item: surveyItem(survey), ConditionExpression: 'attribute_not_exists(PK)' })));
    if (!created) throw new Conflict(`The survey ${survey.id} already exists.`);
  },
  async get(id) {
    const item = await get(surveyKey(id));
    return item ? surveyFrom(item) : undefined;
  },
  async list(page) {
    const { items, nextCursor } = await partitionPage({ index: 'GSI1', partition: ALL_SURVEYS, newestFirst: true }, page);
    return { items: items.map(surveyFrom), ...(nextCursor ? { nextCursor } : {}) };
  },
  // Only the editable fields are set: the counters on the same item keep moving under their own ADDs.
  async replace(previous, next, events) {
    const index = triggerIndex(next);
    const set: Record<string, unknown> = { name: next.name, status: next.status, updatedAt: next.updatedAt, version: next.version, ...(next.title ? { title: next.title } : {}), ...(next.intro ? { intro: next.intro } : {}), ...index };
    const remove = [...(next.title ? [] : ['title']), ...(next.intro ? [] : ['intro']), ...(index ? [] : ['GSI2PK', 'GSI2SK'])];
    const names = Object.keys(set);
    await transact([
      {
        item: {
          Update: {
            TableName: TableName(),
            Key: surveyKey(next.id),
            UpdateExpression: `SET ${names.map((_, i) => `#s${i} = :s${i}`).join(', ')}${remove.length ? ` REMOVE ${remove.map((_, i) => `#r${i}`).join(', ')}` : ''}`,
            ConditionExpression: 'version = :previous',
            ExpressionAttributeNames: { ...Object.fromEntries(names.map((name, i) => [`#s${i}`, name])), ...Object.fromEntries(remove.map((name, i) => [`#r${i}`, name])) },
            ExpressionAttributeValues: { ...Object.fromEntries(names.map((name, i) => [`:s${i}`, set[name]])), ':previous': previous.version },
          },
        },
        onConditionFailed: () => new StaleVersion(),
      },
      ...outboxPuts(events).map((item) => ({ item })),
    ]);
  },
  async triggeredBy(kind) {
    const items = await queryAll({ IndexName: 'GSI2', KeyConditionExpression: 'GSI2PK = :pk', ExpressionAttributeValues: { ':pk': surveysTriggeredBy(kind) } });
    return items.map((item) => surveyFrom(item).survey);
  },
};

export const dynamoInvitationStore: InvitationStore = {
  async get(key) {
    const item = await get(invitationKey(key));
    return item ? invitationFrom(item) : undefined;
  },
  async byId(id) {
    const { Items } = await documents.send(
      new QueryCommand({ TableName: TableName(), IndexName: 'GSI1', KeyConditionExpression: 'GSI1PK = :pk', ExpressionAttributeValues: { ':pk': invitationLink(id) }, Limit: 1 }),
    );
    const found = Items?.[0];
    // The index lags the table: the answer state is read from the item itself.
    const item = found ? await get({ PK: String(found.PK), SK: String(found.SK) }) : undefined;
    return item ? invitationFrom(item) : undefined;
  },
  async invited(surveyId, subject, candidateIds) {
    const items = await batchGet<Record<string, unknown>>(candidateIds.map((candidateId) => invitationKey({ surveyId, candidateId, subject })));
    return new Set(items.map((item) => String(item.candidateId)));
  },
  skip: (invitation) =>
    allOrNothing([profileStillThere(invitation.candidateId), newInvitation(invitation), count(invitation.surveyId, skippedCounter(invitation.skipReason!))]),
  claim: (invitation) => allOrNothing([profileStillThere(invitation.candidateId), newInvitation(invitation)]),
  async release(key, attempt) {
    await conditionally(() =>
      documents.send(
        new DeleteCommand({
          TableName: TableName(),
          Key: invitationKey(key),
          ConditionExpression: '#status = :claimed AND claimToken = :attempt',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':claimed': 'claimed', ':attempt': attempt },
        }),
      ),
    );
  },
  async sent(key, attempt, at) {
    await allOrNothing([
      {
        item: {
          Update: {
            TableName: TableName(),
            Key: invitationKey(key),
            UpdateExpression: 'SET #status = :sent, sentAt = :at REMOVE claimToken',
            ConditionExpression: 'claimToken = :attempt',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':sent': 'sent', ':at': at, ':attempt': attempt },
          },
        },
        onConditionFailed: () => new NotWritten(),
      },
      count(key.surveyId, COUNTERS.sent),
    ]);
  },
  async failed(invitation) {
    // Creates the invitation when the failure came before the claim; a sent or skipped one stays as it is.
    const item = invitationItem(invitation);
    const identity = ['id', 'surveyId', 'candidateId', 'subject', 'trigger', 'createdAt', 'entity', 'GSI1PK', 'GSI1SK'];
    await allOrNothing([
      profileStillThere(invitation.candidateId),
      {
        item: {
          Update: {
            TableName: TableName(),
            Key: invitationKey(invitation),
            UpdateExpression: `SET #status = :failed, detail = :detail, failedAt = :at, ${identity.map((_, i) => `#k${i} = if_not_exists(#k${i}, :k${i})`).join(', ')} REMOVE claimToken`,
            ConditionExpression: 'attribute_not_exists(PK) OR #status = :claimed',
            ExpressionAttributeNames: { '#status': 'status', ...Object.fromEntries(identity.map((name, i) => [`#k${i}`, name])) },
            ExpressionAttributeValues: {
              ':failed': 'failed', ':detail': invitation.detail ?? '', ':at': invitation.failedAt, ':claimed': 'claimed',
              ...Object.fromEntries(identity.map((name, i) => [`:k${i}`, item[name]])),
            },
          },
        },
        onConditionFailed: () => new NotWritten(),
      },
      count(invitation.surveyId, COUNTERS.failed),
    ]);
  },
  answer: (invitation, answers, at, events) =>
    allOrNothing([
      profileStillThere(invitation.candidateId),
      {
        item: {
          Update: {
            TableName: TableName(),
            Key: invitationKey(invitation),
            UpdateExpression: 'SET answers = :answers, answeredAt = :at, GSI2PK = :pk, GSI2SK = :sk',
            ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(answeredAt)',
            ExpressionAttributeValues: { ':answers': answers, ':at': at, ':pk': responseIndex(invitation, at).GSI2PK, ':sk': responseIndex(invitation, at).GSI2SK },
          },
        },
        onConditionFailed: () => new NotWritten(),
      },
      count(invitation.surveyId, COUNTERS.responses),
      ...outboxPuts(events).map((item) => ({ item })),
    ]),
  async responses(surveyId) {
    const items = await queryAll({ IndexName: 'GSI2', KeyConditionExpression: 'GSI2PK = :pk', ExpressionAttributeValues: { ':pk': surveyResponses(surveyId) } });
    return items.map(responseFrom);
  },
};

/** People as the candidates context stores them, read by key. */
export const dynamoSurveyPeople: People = {
  async get(candidateId) {
    const item = await get(candidateKey(candidateId));
    if (!item) return undefined;
    const { id, email, firstName, status, consents } = candidateFrom(item);
    return { id, email, firstName, status, consents };
  },
  async existing(candidateIds) {
    const items = await batchGet<Record<string, unknown>>(candidateIds.map(candidateKey));
    return new Set(items.map((item) => String(item.id)));
  },
};
