import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { expect, inject } from 'vitest';
import type { Fault } from '../../infra/local/faults.ts';
import { workflows } from '../../infra/manifest.ts';
import { LOCAL_TABLE } from '../../infra/local/stack.ts';
import { api, eventually } from './helpers.ts';

/** What the fault tests share: people, audiences, the mailbox, faults scoped to one test's data, and partition reads. */

export const marker = () => `f${randomUUID().slice(0, 8)}`;
export const consent = [{ purpose: 'marketing-email', granted: true }];

const documents = DynamoDBDocumentClient.from(
  new DynamoDBClient({ endpoint: inject('dynamoEndpoint'), region: 'eu-west-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }),
);

/** Every item of one partition (the table's own, or an index's): how a test looks for what a fault left behind. */
export async function partition(pk: string, index?: 'GSI1' | 'GSI2'): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await documents.send(
      new QueryCommand({
        TableName: LOCAL_TABLE, IndexName: index, KeyConditionExpression: `${index ? `${index}PK` : 'PK'} = :pk`, ExpressionAttributeValues: { ':pk': pk }, ExclusiveStartKey: start,
      }),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

type Mail = { messageId: string; to: string[]; subject: string; headers: Record<string, string>; text: string };
export async function mailbox(to: string): Promise<Mail[]> {
  return ((await (await fetch(`${inject('apiUrl')}/_local/mail?to=${encodeURIComponent(to)}`)).json()) as { items: Mail[] }).items;
}
/** How many emails each address got, from the mailbox of a test's marker. */
export async function mailCounts(tag: string, emails: string[]) {
  const all = await mailbox(tag);
  return Object.fromEntries(emails.map((email) => [email, all.filter((m) => m.to.some((to) => to.toLowerCase() === email)).length]));
}

/** People with marketing consent, created through the API a few at a time; their emails carry the marker. */
export async function people(tag: string, count: number, extra: Record<string, unknown> = {}) {
  const created: { id: string; email: string }[] = [];
  for (let i = 0; i < count; i += 4) {
    created.push(
      ...(await Promise.all(
        Array.from({ length: Math.min(4, count - i) }, async (_, j) => {
          const email = `${tag}-${i + j}@example.com`;
          const response = await api('/candidates', { method: 'POST', body: { email, firstName: `Ada${i + j}`, consents: consent, ...extra } });
          expect(response.status, JSON.stringify(response.body)).toBe(201);
          return { id: (response.body as { id: string }).id, email };
        }),
      )),
    );
  }
  return created;
}

export async function poolOf(ids: string[]) {
  const pool = (await api('/pools', { method: 'POST', body: { name: `Faults ${marker()}` } })).body as { id: string };
  for (let i = 0; i < ids.length; i += 100) expect((await api(`/pools/${pool.id}/members`, { method: 'POST', body: { candidateIds: ids.slice(i, i + 100) } })).status).toBe(200);
  return pool.id;
}

export async function template(subject = 'News for {{firstName}}') {
  const created = await api('/templates', { method: 'POST', body: { name: 'Faults', subject, html: '<p>Hi {{firstName}}</p><p><a href="{{unsubscribeUrl}}">Unsubscribe</a></p>' } });
  expect(created.status).toBe(201);
  return (created.body as { id: string }).id;
}

/** Arms a fault; `when` keeps it to invocations about this test's own data (other files share the stack). */
export async function arm(fault: Partial<Fault> & { function: string; when: string }) {
  const response = await fetch(`${inject('apiUrl')}/_local/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(fault) });
  expect(response.status, await response.text()).toBe(204);
}

/** The faults armed with this scope and how often each fired. */
export async function fired(when: string) {
  return ((await (await fetch(`${inject('apiUrl')}/_local/faults?when=${encodeURIComponent(when)}`)).json()) as { items: (Fault & { failed: number })[] }).items;
}

/** Disarms the faults armed for one scope. */
export async function disarm(when: string) {
  expect((await fetch(`${inject('apiUrl')}/_local/faults?when=${encodeURIComponent(when)}`, { method: 'DELETE' })).status).toBe(204);
}

/** The Task states of a workflow in the manifest, with the function each invokes (Map states' inner ones included). */
export function taskStates(workflow: string): { state: string; fn: string }[] {
  const spec = workflows.find((w) => w.name === workflow);
  if (!spec) throw new Error(`No workflow ${workflow} in the manifest`);
  type States = Record<string, Record<string, unknown>>;
  const walk = (states: States): { state: string; fn: string }[] =>
    Object.entries(states).flatMap(([state, body]) => {
      const inner = (body.ItemProcessor ?? body.Iterator) as { States: States } | undefined;
      return [...(body.Type === 'Task' ? [{ state, fn: String(body.Resource) }] : []), ...(inner ? walk(inner.States) : [])];
    });
  return walk(spec.definition((name) => name).States);
}

/**
 * Loads the handlers a test file uses before its scenarios run: a cold start on a loaded machine can take most of the
 * local 10 s timeout, and the scenarios' setup should not fail for that.
 */
export async function warmUp(...paths: string[]) {
  for (const path of paths) expect((await api(path)).status, path).toBeLessThan(500);
}

export { api, eventually };

/** Where a test kills a function: a crash as it starts, or right after one of its calls succeeded. */
export type Point = Partial<Fault> & { why: string };
export const onEntry: Point = { kind: 'crash', at: 'request', why: 'dies as it starts' };
export const after = (command: string, why: string, extra: Partial<Fault> = {}): Point => ({ kind: 'crash', at: 'response', command, why, ...extra });
