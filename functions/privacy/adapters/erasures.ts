import { DeleteObjectsCommand } from '@aws-sdk/client-s3';
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { makeEvent } from '../../../events/contract.ts';
import { CandidateErased } from '../../../events/privacy.ts';
import { config } from '../../../shared/config.ts';
import { bucketName, s3 } from '../../../shared/files/s3.ts';
import { newId } from '../../../shared/ids.ts';
import { hashIdentifier } from '../../../shared/signing.ts';
import { batchWrite } from '../../../shared/table/batch.ts';
import { documents } from '../../../shared/table/client.ts';
import { conditionally } from '../../../shared/table/query.ts';
import { outboxPuts } from '../../../shared/table/outbox.ts';
import { transact } from '../../../shared/table/transact.ts';
import { startWorkflow, stopWorkflow } from '../../../shared/workflows.ts';
import { executionName } from '../../campaigns/domain/drip-service.ts';
import { erasureKey } from './erasure-key.ts';
import { erasedKey } from '../../candidates/adapters/erased-people.ts';
import type { Candidate } from '../../candidates/schemas.ts';
import type { ErasureRecord, ErasureRecords, ErasureStep, ErasureSteps, ErasureSubject } from '../domain/erasure.ts';
import type { Erasures } from '../domain/ports.ts';
import type { ErasureStatus } from '../schemas.ts';
import {
  applicationsOf, duplicatePairsOf, emailsOf, enrollmentsOf, filesOf, getItem, idempotencyRecordsOf, mergesOf, outboxEntriesOf, partitionOf, replyObjectsOf,
  segmentMembershipsOf, tasksOf, type Item,
} from './person-items.ts';

export const ERASURE_WORKFLOW = 'privacy-erasure';
const table = () => config.tableName;
const keyOf = (item: Item) => ({ PK: String(item.PK), SK: String(item.SK) });
const deleteAll = (items: Item[]) => batchWrite(items.map((item) => ({ DeleteRequest: { Key: keyOf(item) } })));

/** A conditional delete with a counter moved in the same transaction: repeated, it moves the counter once. */
async function deleteCounted(key: { PK: string; SK: string }, counter: { PK: string; SK: string }, attribute: string): Promise<void> {
  try {
    await transact([
      { item: { Delete: { TableName: table(), Key: key, ConditionExpression: 'attribute_exists(PK)' } }, onConditionFailed: () => new AlreadyDeleted() },
      { item: { Update: { TableName: table(), Key: counter, UpdateExpression: 'ADD #n :minus', ExpressionAttributeNames: { '#n': attribute }, ExpressionAttributeValues: { ':minus': -1 } } } },
    ]);
  } catch (error) {
    if (!(error instanceof AlreadyDeleted)) throw error;
  }
}
/** The item was deleted before: the step ran already. */
class AlreadyDeleted extends Error {}

async function deleteObjects(bucket: string, keys: string[]): Promise<void> {
  for (let i = 0; i < keys.length; i += 1000) {
    await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys.slice(i, i + 1000).map((Key) => ({ Key })), Quiet: true } }));
  }
}

/** Each step of ERASURE_STEPS, against the items person-items.ts finds. */
export const dynamoErasureSteps: ErasureSteps = {
  async run(step: ErasureStep, record) {
    const { candidateId, subject } = record;
    switch (step) {
      case 'duplicates':
        return deleteAll(await duplicatePairsOf(candidateId, await partitionOf(candidateId)));
      case 'profile': {
        // The person disappears from every read at once: profile, address guard and count go together, the
        // tombstone (salted hashes only) and the event with them.
        // Someone the retention rule removed may be found and added again; only an erasure someone asked for leaves a tombstone.
        const hashes = record.reason === 'retention' ? [] : [await hashIdentifier(subject.email), ...(subject.phone ? [await hashIdentifier(subject.phone)] : [])];
        const event = makeEvent(CandidateErased, { eventId: newId('evt'), occurredAt: new Date().toISOString(), actor: record.actor }, { candidateId, reason: record.reason });
        try {
          await transact([
            { item: { Delete: { TableName: table(), Key: { PK: `CAND#${candidateId}`, SK: 'PROFILE' }, ConditionExpression: 'attribute_exists(PK)' } }, onConditionFailed: () => new AlreadyDeleted() },
            { item: { Delete: { TableName: table(), Key: { PK: `EMAIL#${subject.email}`, SK: 'EMAIL' } } } },
            { item: { Update: { TableName: table(), Key: { PK: 'STATS', SK: 'CANDIDATES' }, UpdateExpression: 'ADD #n :minus', ExpressionAttributeNames: { '#n': 'count' }, ExpressionAttributeValues: { ':minus': -1 } } } },
            ...hashes.map((hash) => ({ item: { Put: { TableName: table(), Item: { ...erasedKey(hash), entity: 'erased', erasedAt: event.detail.occurredAt, reason: record.reason } } } })),
            ...outboxPuts([event]).map((item) => ({ item })),
          ]);
        } catch (error) {
          if (!(error instanceof AlreadyDeleted)) throw error;
        }
        return;
      }
      case 'drips': {
        const enrollments = await enrollmentsOf(candidateId);
        for (const enrollment of enrollments) await stopWorkflow('campaigns-drip', executionName(String(enrollment.campaignId), candidateId), 'The person was erased');
        return deleteAll(enrollments);
      }
      case 'emails':
        return deleteAll(await emailsOf(candidateId));
      case 'applications':
        return deleteAll(await applicationsOf(candidateId));
      case 'tasks':
        return deleteAll(await tasksOf(await partitionOf(candidateId)));
      case 'segments':
        for (const member of await segmentMembershipsOf(candidateId)) await deleteCounted(keyOf(member), { PK: String(member.PK), SK: 'SEGMENT' }, 'memberCount');
        return;
      case 'pools':
        for (const poolId of subject.pools) await deleteCounted({ PK: `CAND#${candidateId}`, SK: `IDX#POOL#${poolId}#${candidateId}` }, { PK: `POOL#${poolId}`, SK: 'POOL' }, 'memberCount');
        return;
      case 'merges': {
        const { records, mergedIds } = await mergesOf(await partitionOf(candidateId));
        for (const mergedId of mergedIds) await deleteAll(await partitionOf(mergedId));
        return deleteAll(records);
      }
      case 'replies':
        return deleteObjects(bucketName('inbound'), replyObjectsOf(await partitionOf(candidateId)));
      case 'outbox':
        return batchWrite(outboxEntriesOf(await partitionOf(candidateId)).map((Key) => ({ DeleteRequest: { Key } })));
      case 'files':
        return deleteObjects(bucketName('documents'), (await filesOf(candidateId)).map((file) => file.key));
      case 'suppression':
        await documents.send(new DeleteCommand({ TableName: table(), Key: { PK: `SUPP#${subject.email}`, SK: 'SUPPRESSION' } }));
        return;
      case 'idempotency':
        return deleteAll(await idempotencyRecordsOf(candidateId, subject.email));
      case 'partition':
        return deleteAll(await partitionOf(candidateId));
    }
  },
};

export const dynamoErasureRecords: ErasureRecords = {
  async get(candidateId) {
    const { Item } = await documents.send(new GetCommand({ TableName: table(), Key: erasureKey(candidateId), ConsistentRead: true }));
    if (!Item) return undefined;
    const { PK, SK, entity, ...record } = Item;
    return record as ErasureRecord;
  },
  async stepDone(candidateId, step) {
    await conditionally(() =>
      documents.send(
        new UpdateCommand({
          TableName: table(),
          Key: erasureKey(candidateId),
          UpdateExpression: 'SET steps = list_append(steps, :step)',
          ConditionExpression: 'NOT contains(steps, :name)',
          ExpressionAttributeValues: { ':step': [step], ':name': step },
        }),
      ),
    );
  },
  /** What the steps needed about the person goes with the last of them: the record keeps ids and dates only. */
  async complete(candidateId, at) {
    await documents.send(
      new UpdateCommand({
        TableName: table(),
        Key: erasureKey(candidateId),
        UpdateExpression: 'SET #status = :completed, completedAt = :at REMOVE subject',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':completed': 'completed', ':at': at },
      }),
    );
  },
  async failed(candidateId, at) {
    await conditionally(() =>
      documents.send(
        new UpdateCommand({
          TableName: table(),
          Key: erasureKey(candidateId),
          UpdateExpression: 'SET #status = :failed, failedAt = :at',
          ConditionExpression: '#status = :running',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':failed': 'failed', ':running': 'running', ':at': at },
        }),
      ),
    );
  },
};

const statusOf = ({ candidateId, status, requestedAt, completedAt, steps }: ErasureRecord): ErasureStatus => ({
  candidateId, status, requestedAt, steps, ...(completedAt ? { completedAt } : {}),
});

export const erasures: Erasures = {
  /**
   * Records the erasure with what its steps need and starts the workflow (one execution per attempt). Asking
   * again while it runs or after it completed changes nothing; one that gave up is started again.
   */
  async start(candidateId, reason, actor) {
    const existing = await dynamoErasureRecords.get(candidateId);
    if (existing?.status === 'failed') {
      const restarted = await conditionally(() =>
        documents.send(
          new UpdateCommand({
            TableName: table(),
            Key: erasureKey(candidateId),
            UpdateExpression: 'SET #status = :running, attempt = attempt + :one REMOVE failedAt',
            ConditionExpression: '#status = :failed',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':running': 'running', ':failed': 'failed', ':one': 1 },
          }),
        ),
      );
      if (restarted) await startWorkflow(ERASURE_WORKFLOW, `erase-${candidateId}-${existing.attempt + 1}`, { jobId: candidateId });
      return statusOf({ ...existing, status: 'running' });
    }
    // Asked again while it runs: start its execution again in case the first start was lost (the same name is a no-op).
    if (existing?.status === 'running') await startWorkflow(ERASURE_WORKFLOW, `erase-${candidateId}-${existing.attempt}`, { jobId: candidateId });
    if (existing) return statusOf(existing);
    const profile = (await getItem({ PK: `CAND#${candidateId}`, SK: 'PROFILE' })) as (Candidate & Item) | undefined;
    if (!profile) {
      // Merged into someone else since (a request names the id it was made for): the person lives on there.
      const merged = await getItem({ PK: `CAND#${candidateId}`, SK: 'MERGED' });
      return merged ? this.start(String(merged.mergedInto), reason, actor) : undefined;
    }
    const subject: ErasureSubject = { email: profile.email, ...(profile.phone ? { phone: profile.phone } : {}), pools: profile.pools };
    const record: ErasureRecord = { candidateId, status: 'running', reason, actor, requestedAt: new Date().toISOString(), steps: [], attempt: 1, subject };
    const recorded = await conditionally(() =>
      documents.send(new PutCommand({ TableName: table(), Item: { ...erasureKey(candidateId), entity: 'erasure', ...record }, ConditionExpression: 'attribute_not_exists(PK)' })),
    );
    // Someone asked at the same moment: theirs is the erasure.
    if (!recorded) return statusOf((await dynamoErasureRecords.get(candidateId))!);
    await startWorkflow(ERASURE_WORKFLOW, `erase-${candidateId}-1`, { jobId: candidateId });
    return statusOf(record);
  },
  async status(candidateId) {
    const record = await dynamoErasureRecords.get(candidateId);
    return record && statusOf(record);
  },
  async isErased(email) {
    return (await getItem(erasedKey(await hashIdentifier(email)))) !== undefined;
  },
};
