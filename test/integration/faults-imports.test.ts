import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { localBucket } from '../../infra/local/sites.ts';
import { after, api, arm, disarm, eventually, fired, marker, partition, onEntry, taskStates, warmUp, type Point } from './faults-support.ts';
import { listTagged } from './helpers.ts';

/**
 * A CSV import killed at every Task state of the import workflow (from the manifest): on entry and right after each
 * kind of write. The retries must end with every row imported once, the failed rows listed once, the counts exact,
 * and the uploaded file gone (data minimisation), or, when retries run out, the job failed and saying why.
 */
const IMPORT = 'candidates-import';

const crashPoints: Record<string, Point[]> = {
  Work: [
    onEntry,
    after('UpdateItemCommand', 'dies after marking the job running, before importing'),
    after('TransactWriteItemsCommand', 'dies after creating some of a batch\'s candidates'),
    after('BatchWriteItemCommand', 'dies after listing a batch\'s failed rows, before moving the checkpoint'),
    after('UpdateItemCommand', 'dies after moving the checkpoint, before answering', { after: 1 }),
    { kind: 'crash', at: 'request', service: 's3', command: 'DeleteObjectCommand', why: 'dies after completing the job, before removing the file' },
  ],
  RecordFailure: [onEntry, after('UpdateItemCommand', 'dies after marking the job failed, before answering')],
};

const ROWS = 130;
/** Rows (0-based) without a valid email, in both batches of 100; each is line i + 2 of the file. */
const BAD = [50, 120];
const BAD_ROWS = BAD.length;
const s3 = new S3Client({ endpoint: inject('s3Endpoint'), forcePathStyle: true, region: 'eu-west-1', credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
afterAll(() => s3.destroy());

async function fileKept(importId: string) {
  try {
    await s3.send(new HeadObjectCommand({ Bucket: localBucket('imports'), Key: `uploads/${importId}` }));
    return true;
  } catch {
    return false;
  }
}

async function importWith(state: string, point: Point) {
  const tag = marker();
  // Uploaded rather than posted: the faults are armed before the file lands and the workflow starts.
  const accepted = await api('/imports', { method: 'POST', body: { upload: true, format: 'csv', mode: 'upsert' } });
  expect(accepted.status).toBe(202);
  const job = accepted.body as { id: string; upload: { url: string; headers: Record<string, string> } };
  const fn = taskStates(IMPORT).find((s) => s.state === state)!.fn;
  const { why, ...fault } = point;
  await arm({ ...fault, function: fn, state, when: job.id });
  if (state === 'RecordFailure') await arm({ function: fn, state: 'Work', when: job.id, command: 'GetItemCommand', times: 50 });
  const rows = Array.from({ length: ROWS }, (_, i) => (BAD.includes(i) ? `not-an-email-${i},Bad,${tag}` : `p${i}.${tag}@example.com,Person ${i},${tag}`));
  try {
    const put = await fetch(job.upload.url, { method: 'PUT', headers: job.upload.headers, body: `email,name,tags\n${rows.join('\n')}\n` });
    expect(put.status).toBe(200);
    await eventually(async () => expect(['completed', 'failed']).toContain(((await api(`/imports/${job.id}`)).body as { status: string }).status), 60_000);
    for (const f of await fired(job.id)) expect(f.failed, `${f.state} ${f.command ?? ''} fired`).toBeGreaterThan(0);
  } finally {
    await disarm(job.id);
  }
  return { id: job.id, tag };
}

describe('an import killed at each step', () => {
  beforeAll(() => warmUp('/imports/imp_01JZZZZZZZZZZZZZZZZZZZZZZZ', '/candidates?limit=1'), 120_000);

  it('has crash points for every Task state of the import workflow in the manifest', () => {
    expect(Object.keys(crashPoints).sort()).toEqual(taskStates(IMPORT).map((s) => s.state).sort());
  });

  it.each(crashPoints.Work!.map((point) => [point.why, point] as const))('Work: %s — every row once, exact counts, failed rows once, no file left', async (_why, point) => {
    const { id, tag } = await importWith('Work', point);
    expect((await api(`/imports/${id}`)).body).toMatchObject({ status: 'completed', total: ROWS, processed: ROWS, created: ROWS - BAD_ROWS, updated: 0, failed: BAD_ROWS, progress: 100 });
    const errors = (await partition(`IMPORT#${id}`)).filter((item) => String(item.SK).startsWith('ERR#'));
    expect(errors.map((e) => e.line)).toEqual(BAD.map((i) => i + 2));
    await eventually(async () => {
      const people = await listTagged(tag);
      expect(people).toHaveLength(ROWS - BAD_ROWS);
      expect(new Set(people.map((p) => p.email)).size).toBe(ROWS - BAD_ROWS);
    }, 60_000);
    expect(await fileKept(id)).toBe(false);
  }, 150_000);

  it.each(crashPoints.RecordFailure!.map((point) => [point.why, point] as const))('RecordFailure: %s — the job ends failed, saying why', async (_why, point) => {
    const { id } = await importWith('RecordFailure', point);
    expect((await api(`/imports/${id}`)).body).toMatchObject({ status: 'failed', error: expect.stringContaining('repeated failures') });
  }, 90_000);
});
