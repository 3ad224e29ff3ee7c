import { Agent, request } from 'node:http';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { expect, inject } from 'vitest';
import { LOCAL_TABLE } from '../../infra/local/stack.ts';

export interface RawRequest {
  method: string;
  /** Sent as it is: no normalisation of dot segments or percent-encoding, as a hostile client would. */
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

export interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

const agent = new Agent({ keepAlive: true, maxSockets: 8 });

/** One HTTP request over a raw socket (fetch would normalise the path and refuse some bodies). */
export function send(baseUrl: string, raw: RawRequest): Promise<RawAnswer> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const outgoing = request(
      { host: url.hostname, port: url.port, method: raw.method, path: raw.path, headers: { ...raw.headers, ...(raw.body !== undefined ? { 'content-length': String(Buffer.byteLength(raw.body)) } : {}) }, agent },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, text: Buffer.concat(chunks).toString('utf8') }));
        response.on('error', reject);
      },
    );
    outgoing.on('error', reject);
    outgoing.end(raw.body);
  });
}

/**
 * Sends, and when API Gateway's route ceiling (all clients together) answers 429, waits as told and sends again:
 * the ceiling is not what is being fuzzed, and every generated request should reach the function.
 */
export async function sendPaced(baseUrl: string, raw: RawRequest): Promise<RawAnswer> {
  for (;;) {
    const answer = await send(baseUrl, raw);
    if (answer.status !== 429) return answer;
    await new Promise((resolve) => setTimeout(resolve, Number(answer.headers['retry-after'] ?? 1) * 1000));
  }
}

/** API Gateway's own answers (HTTP APIs cannot reshape them): no route, no valid token, body over 10 MB. */
const gatewayAnswers: Record<number, string> = { 404: 'Not Found', 401: 'Unauthorized', 413: 'Request Entity Too Large' };

const contentType = (answer: RawAnswer) => String(answer.headers['content-type'] ?? '');

export interface AnswerRules {
  /** The route answers people with HTML pages (email links, form posts): its 4xx may be such a page. */
  pages?: boolean;
}

/**
 * What every answer to anything must be: never a 5xx; a 4xx is RFC 9457 problem+json (type, title, status equal to the
 * HTTP status, detail; a 400 names the fields in `errors`; a 429 says when to retry), API Gateway's own fixed answers
 * aside, or on page routes a page that is never cached, framed or scripted.
 */
export function expectWellFormed(answer: RawAnswer, what: string, rules: AnswerRules = {}) {
  const context = `${what} → ${answer.status} ${contentType(answer)} ${answer.text.slice(0, 300)}`;
  expect(answer.status, context).toBeGreaterThanOrEqual(200);
  expect(answer.status, context).toBeLessThan(500);
  if (answer.status < 400) return;
  const type = contentType(answer);
  if (type.startsWith('application/json') && answer.status in gatewayAnswers) {
    expect(JSON.parse(answer.text), context).toEqual({ message: gatewayAnswers[answer.status] });
    return;
  }
  if (rules.pages && type.startsWith('text/html')) {
    expect(answer.text, context).toMatch(/^<!doctype html>/i);
    expect(answer.headers['content-security-policy'], context).toContain("default-src 'none'");
    expect(answer.headers['cache-control'], context).toBe('no-store');
    return;
  }
  expect(type, context).toMatch(/^application\/problem\+json/);
  const problem = JSON.parse(answer.text) as Record<string, unknown>;
  expect(problem, context).toMatchObject({ type: expect.any(String), title: expect.any(String), status: answer.status, detail: expect.any(String) });
  if (answer.status === 400) {
    expect(problem.errors, context).toEqual(expect.arrayContaining([{ path: expect.stringMatching(/\S/), message: expect.stringMatching(/\S/) }]));
  }
  if (answer.status === 429) expect(Number(answer.headers['retry-after']), context).toBeGreaterThan(0);
}

/** The marker a generated request carries in every text field, to find anything of it that was stored. */
export const markerOf = (index: number) => `fzq${index}q`;
export const markersIn = (text: string): number[] => [...text.matchAll(/fzq(\d+)q/g)].map((m) => Number(m[1]));

/** The markers anywhere in the table: a Scan, fine in a test, to prove a rejected request left nothing behind. */
export async function storedMarkers(): Promise<Set<number>> {
  // Requests may still be on their way through the stream and the bus: wait for the quiet, then look.
  await new Promise((resolve) => setTimeout(resolve, 3_000));
  const dynamo = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: inject('dynamoEndpoint'), region: 'eu-west-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }));
  const stored = new Set<number>();
  try {
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await dynamo.send(new ScanCommand({ TableName: LOCAL_TABLE, ExclusiveStartKey }));
      for (const item of page.Items ?? []) for (const marker of markersIn(JSON.stringify(item))) stored.add(marker);
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
  } finally {
    dynamo.destroy();
  }
  return stored;
}
