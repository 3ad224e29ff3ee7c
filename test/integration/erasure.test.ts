import { randomUUID } from 'node:crypto';
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { buckets } from '../../infra/manifest.ts';
import { LOCAL_TABLE } from '../../infra/local/stack.ts';
import { localBucket } from '../../infra/local/sites.ts';
import { api, eventually, firedFaults, local } from './helpers.ts';

/**
 * Art. 15/20 and 17 end to end: a person written through every feature there is, exported whole, then erased
 * without a trace. Their identifiers are made unusual, so finding them anywhere is never a coincidence.
 */
const run = randomUUID().slice(0, 8);
let counter = 0;
const person = () => {
  const n = `${run}${++counter}`;
  const digits = String(Date.now() + counter).slice(-7);
  return { email: `zq${n}@example.com`, firstName: `Zorblax${n}`, lastName: `Quintavius${n}`, phone: `+49 30 ${digits}`, phoneDigits: `4930${digits}` };
};
type Person = ReturnType<typeof person>;

const dynamo = new DynamoDBClient({ endpoint: inject('dynamoEndpoint'), region: 'eu-west-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
const s3 = new S3Client({ endpoint: inject('s3Endpoint'), forcePathStyle: true, region: 'eu-west-1', credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
afterAll(() => {
  dynamo.destroy();
  s3.destroy();
});

const mailTo = async (to: string) =>
  ((await (await fetch(`${inject('apiUrl')}/_local/mail?to=${encodeURIComponent(to)}`)).json()) as { items: { subject: string; text: string; headers: Record<string, string> }[] }).items;

/** Every item of the local table and every object of every bucket, as text: what a zero-trace check searches (a test may scan). */
async function everythingStored(): Promise<string[]> {
  const texts: string[] = [];
  let start: Record<string, never> | undefined;
  do {
    const page = await dynamo.send(new ScanCommand({ TableName: LOCAL_TABLE, ExclusiveStartKey: start }));
    texts.push(...(page.Items ?? []).map((item) => JSON.stringify(item)));
    start = page.LastEvaluatedKey as Record<string, never> | undefined;
  } while (start);
  for (const bucket of buckets.map(localBucket)) {
    let token: string | undefined;
    do {
      const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
      for (const object of page.Contents ?? []) {
        const body = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: object.Key! }));
        texts.push(`${bucket}/${object.Key}: ${Buffer.from(await body.Body!.transformToByteArray()).toString('latin1')}`);
      }
      token = page.NextContinuationToken;
    } while (token);
  }
  return texts;
}
const tracesOf = (texts: string[], who: Person) =>
  texts.filter((text) => [who.email, who.firstName, who.lastName, who.phone, who.phoneDigits].some((identifier) => text.toLowerCase().includes(identifier.toLowerCase())));

/** The person through every feature: career-site application with a CV, tags, a pool, a segment, a touchpoint, a task,
 * consents, a campaign email with its tracking, a reply, preferences, a suppression, an idempotent write, an import. */
async function everywhere(who: Person) {
  const job = (await api('/jobs', {
    method: 'POST',
    body: { title: 'Erasure Engineer', description: '<p>Forget well.</p>', location: { type: 'remote', applicantCountries: ['DE'] }, validThrough: new Date(Date.now() + 86_400_000 * 90).toISOString() },
  })).body as { id: string };
  await api(`/jobs/${job.id}/publish`, { method: 'POST' });
  const cv = new FormData();
  for (const [name, value] of Object.entries({ email: who.email, firstName: who.firstName, lastName: who.lastName, phone: who.phone, utm_source: 'linkedin' })) cv.set(name, value);
  cv.set('cv', new Blob([`%PDF-1.4 CV of ${who.firstName} ${who.lastName}, ${who.phone}`], { type: 'application/pdf' }), `${who.lastName}.pdf`);
  expect((await fetch(`${inject('apiUrl')}/public/jobs/${job.id}/applications`, { method: 'POST', body: cv })).status).toBe(202);
  let id = '';
  await eventually(async () => {
    const found = (await api(`/candidates?q=${encodeURIComponent(who.email)}`)).body as { items: { id: string }[] };
    expect(found.items).toHaveLength(1);
    id = found.items[0]!.id;
  });

  const tag = `erase-${run}-${counter}`;
  const segment = (await api('/segments', { method: 'POST', body: { name: `Erasure ${tag}`, rule: { field: 'tags', op: 'contains', value: tag } } })).body as { id: string };
  await api(`/candidates/${id}/tags/${tag}`, { method: 'PUT' });
  const pool = (await api('/pools', { method: 'POST', body: { name: `Erasure ${tag}` } })).body as { id: string };
  await api(`/pools/${pool.id}/members`, { method: 'POST', body: { candidateIds: [id] } });
  await api(`/candidates/${id}/touchpoints`, { method: 'POST', body: { type: 'call', summary: `Called ${who.firstName} ${who.lastName} on ${who.phone}` }, headers: { 'idempotency-key': randomUUID() } });
  expect((await api(`/candidates/${id}/tasks`, { method: 'POST', body: { title: `Send ${who.firstName} the offer`, dueAt: new Date(Date.now() + 86_400_000).toISOString(), assignee: 'recruiter@example.com' } })).status).toBe(201);
  await api(`/candidates/${id}/consents`, { method: 'POST', body: { purpose: 'marketing-email', granted: true, textVersion: 'v1' } });
  await eventually(async () => expect((await api(`/segments/${segment.id}`)).body).toMatchObject({ memberCount: 1 }), 20_000);

  const template = (await api('/templates', { method: 'POST', body: { name: 'Hello', subject: 'Hello {{firstName}}', html: '<p>Hi {{firstName}} {{lastName}}</p><p><a href="{{unsubscribeUrl}}">Unsubscribe</a></p>' } })).body as { id: string };
  const campaign = (await api('/campaigns', { method: 'POST', body: { name: `Erasure ${tag}`, kind: 'one-shot', audience: { poolId: pool.id }, templateId: template.id } })).body as { id: string };
  await api(`/campaigns/${campaign.id}/launch`, { method: 'POST' });
  let mail: { subject: string; headers: Record<string, string> } | undefined;
  await eventually(async () => {
    mail = (await mailTo(who.email)).find((m) => m.subject === `Hello ${who.firstName}`);
    expect(mail).toBeDefined();
  }, 30_000);
  const messageId = mail!.headers['message-id']?.replace(/[<>]/g, '').split('@')[0];
  if (messageId) await local('/_local/ses-events', { messageId, eventType: 'Open', open: { timestamp: new Date().toISOString(), userAgent: 'Mozilla/5.0', ipAddress: '203.0.113.9' } }).catch(() => undefined);
  const reply = [`From: ${who.firstName} <${who.email}>`, `To: ${mail!.headers['reply-to']}`, 'Subject: Re: Hello', '', `Yes please, call me on ${who.phone}. ${who.firstName} ${who.lastName}`].join('\r\n');
  expect((await fetch(`${inject('apiUrl')}/_local/inbound`, { method: 'POST', body: reply })).status).toBe(202);
  // The unsubscribe page links to the preference page (with a token of its own).
  const unsubscribePage = await (await fetch(mail!.headers['list-unsubscribe']!.slice(1, -1))).text();
  const preferences = new URL(/href="([^"]*\/public\/preferences\/[^"]+)"/.exec(unsubscribePage)![1]!.replace(/&amp;/g, '&')).pathname;
  await api(preferences, { method: 'POST', token: null, rawBody: 'topics=newsletter&frequency=weekly', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  await api('/suppressions', { method: 'POST', body: { email: who.email, reason: 'manual' } });
  const imported = (await api('/imports', { method: 'POST', body: [{ email: who.email, headline: `${who.firstName} the importer` }] })).body as { id: string };
  await eventually(async () => expect((await api(`/imports/${imported.id}`)).body).toMatchObject({ status: 'completed' }), 30_000);
  await eventually(async () => {
    const timeline = (await api(`/candidates/${id}/timeline?limit=200`)).body as { items: { type?: string }[] };
    expect(timeline.items.map((entry) => entry.type)).toEqual(expect.arrayContaining(['email-reply']));
  }, 20_000);
  return { id, pool: pool.id, segment: segment.id };
}

describe('access: the export', () => {
  it('holds every kind of item written for the person, the candidate part as JSON Resume, with a working link to their CV', async () => {
    const who = person();
    const { id, pool, segment } = await everywhere(who);
    const response = await api(`/candidates/${id}/export`, { role: 'admin' });
    expect(response.status).toBe(200);
    const exported = response.body as Record<string, any>;
    expect(exported.resume.basics).toMatchObject({ name: `${who.firstName} ${who.lastName}`, email: who.email, phone: who.phone });
    expect(exported.applications).toHaveLength(1);
    expect(exported.consents.map((c: { purpose: string }) => c.purpose)).toContain('marketing-email');
    expect(exported.timeline.map((e: { type?: string }) => e.type)).toEqual(expect.arrayContaining(['email-reply']));
    expect(exported.emails.length).toBeGreaterThanOrEqual(1);
    expect(exported.tasks).toHaveLength(1);
    expect(exported.pools.map((p: { id: string }) => p.id)).toContain(pool);
    expect(exported.segments.map((s: { id: string }) => s.id)).toContain(segment);
    expect(exported.preferences).toMatchObject({ frequency: 'weekly' });
    expect(exported.suppression).toMatchObject({ reason: 'manual' });
    expect(exported.audit.length).toBeGreaterThanOrEqual(1);
    // Every item in the person's partition is named by a section: nothing held goes unexplained.
    expect(exported.other).toEqual([]);
    expect(exported.files).toHaveLength(1);
    const file = await fetch(exported.files[0].url);
    expect(await file.text()).toContain('%PDF-1.4');
    expect((await api(`/candidates/cand_01JZZZZZZZZZZZZZZZZZZZZZZZ/export`, { role: 'admin' })).status).toBe(404);
    expect((await api(`/candidates/${id}/export`, { role: 'recruiter' })).status).toBe(403);
  }, 120_000);
});

describe('erasure', () => {
  it('leaves no trace of the person in any table item or file — only a salted hash — even when a step crashes and is retried', async () => {
    const who = person();
    const { id } = await everywhere(who);
    expect(tracesOf(await everythingStored(), who).length).toBeGreaterThan(0);

    expect((await api(`/candidates/${id}`, { method: 'DELETE', role: 'recruiter' })).status).toBe(403);
    // A crash half-way: the third batch delete of the eraser fails; the workflow retries from the checkpoint.
    await local('/_local/faults', { function: 'privacy-eraser', command: 'BatchWriteItemCommand', after: 2, times: 1 });
    expect((await api(`/candidates/${id}`, { method: 'DELETE', role: 'admin' })).status).toBe(204);
    await eventually(async () => expect((await api(`/privacy/erasures/${id}`, { role: 'admin' })).body).toMatchObject({ status: 'completed' }), 60_000);
    expect((await firedFaults()).find((fault) => fault.function === 'privacy-eraser')?.failed).toBe(1);
    await local('/_local/faults?function=privacy-eraser', undefined, 'DELETE');

    expect((await api(`/candidates/${id}`)).status).toBe(404);
    expect((await api(`/candidates/${id}`, { method: 'DELETE', role: 'admin' })).status).toBe(204);
    expect(tracesOf(await everythingStored(), who)).toEqual([]);
  }, 180_000);

  it('keeps imports and recruiters from adding the person back, while they may come back of their own accord', async () => {
    const who = person();
    const created = (await api('/candidates', { method: 'POST', body: { email: who.email, firstName: who.firstName, phone: who.phone } })).body as { id: string };
    expect((await api(`/candidates/${created.id}`, { method: 'DELETE', role: 'admin' })).status).toBe(204);
    await eventually(async () => expect((await api(`/privacy/erasures/${created.id}`, { role: 'admin' })).body).toMatchObject({ status: 'completed' }), 30_000);

    const again = await api('/candidates', { method: 'POST', body: { email: who.email } });
    expect(again.status).toBe(422);
    const imported = (await api('/imports', { method: 'POST', body: [{ email: who.email, firstName: who.firstName }] })).body as { id: string };
    await eventually(async () => expect((await api(`/imports/${imported.id}`)).body).toMatchObject({ status: 'completed', failed: 1, created: 0 }), 30_000);
    const errors = await api(`/imports/${imported.id}/errors`);
    expect(JSON.stringify(errors.body)).toContain("erased at the person's request");
    expect(JSON.stringify(errors.body)).not.toContain(who.email);

    const job = (await api('/jobs', { method: 'POST', body: { title: 'Comeback', description: '<p>Welcome back.</p>', location: { type: 'remote', applicantCountries: ['DE'] } } })).body as { id: string };
    await api(`/jobs/${job.id}/publish`, { method: 'POST' });
    const apply = await api(`/public/jobs/${job.id}/applications`, { method: 'POST', token: null, body: { email: who.email, firstName: who.firstName, lastName: who.lastName } });
    expect(apply.status).toBe(202);
    await eventually(async () => expect(((await api(`/candidates?q=${encodeURIComponent(who.email)}`)).body as { items: unknown[] }).items).toHaveLength(1));
  }, 120_000);

  it('erases the person an id was merged into, when asked with the merged-away id', async () => {
    const who = person();
    const kept = (await api('/candidates', { method: 'POST', body: { email: who.email, firstName: who.firstName } })).body as { id: string };
    const merged = (await api('/candidates', { method: 'POST', body: { email: `other.${who.email}`, firstName: who.firstName } })).body as { id: string };
    expect((await api(`/candidates/${kept.id}/merge`, { method: 'POST', body: { duplicateId: merged.id } })).status).toBe(200);
    expect((await api(`/candidates/${merged.id}`, { method: 'DELETE', role: 'admin' })).status).toBe(204);
    await eventually(async () => expect((await api(`/privacy/erasures/${kept.id}`, { role: 'admin' })).body).toMatchObject({ status: 'completed' }));
    expect((await api(`/candidates/${kept.id}`)).status).toBe(404);
  });

  it('answers 404 for an id that never existed', async () => {
    expect((await api('/candidates/cand_01JZZZZZZZZZZZZZZZZZZZZZZZ', { method: 'DELETE', role: 'admin' })).status).toBe(404);
  });
});
