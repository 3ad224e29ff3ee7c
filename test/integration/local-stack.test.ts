import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { describe, expect, inject, it } from 'vitest';
import { PortInUse } from '../../infra/local/net.ts';
import { startLocalStack } from '../../infra/local/stack.ts';
import { api } from './helpers.ts';

const run = promisify(execFile);

describe('the local stack', () => {
  it('refuses a forged token like the JWT authorizer, with API Gateway\'s own 401', async () => {
    const forged = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4IiwiY29nbml0bzpncm91cHMiOlsiYWRtaW4iXX0.c2lnbmF0dXJl';
    const response = await api('/candidates', { token: forged });
    expect(response).toMatchObject({ status: 401, body: { message: 'Unauthorized' } });
  });

  it('mints tokens only for known roles', async () => {
    const response = await api('/_local/token', { method: 'POST', token: null, body: { role: 'superuser' } });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
  });

  it('serves the OpenAPI document without a token, equal to the checked-in docs/openapi.json', async () => {
    const response = await api('/openapi.json', { token: null });
    expect(response.status).toBe(200);
    expect(response.body).toEqual(JSON.parse(readFileSync('docs/openapi.json', 'utf8')));
  });

  it('rate-limits a public route per client, answering 429 problem+json with Retry-After', async () => {
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    // A client of its own, so other tests' requests from this machine do not count.
    const client = `198.51.100.${Date.now() % 250}`;
    for (let i = 0; i < 80 && !retryAfter; i++) {
      const response = await api('/public/privacy/requests', {
        method: 'POST', body: { email: 'nobody@example.com', type: 'access', website: 'bot' }, token: null, headers: { 'x-forwarded-for': client },
      });
      statuses.push(response.status);
      if (response.status === 429) retryAfter = response.headers.get('retry-after');
    }
    expect(statuses[0]).toBe(202);
    expect(statuses.at(-1)).toBe(429);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
  });

  it('keeps every message sent through SES v2 in a mailbox readable with lower-case header names', async () => {
    const ses = new SESv2Client({ endpoint: inject('sesEndpoint'), region: 'eu-west-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    const to = `mailbox.${Date.now()}@example.com`;
    await ses.send(
      new SendEmailCommand({
        FromEmailAddress: 'team@talent-relay.local',
        Destination: { ToAddresses: [to] },
        Content: { Simple: { Subject: { Data: 'Hello' }, Body: { Text: { Data: 'Hi there' } }, Headers: [{ Name: 'List-Unsubscribe', Value: '<https://example.com/u/t>' }] } },
      }),
    );
    const mail = await api(`/_local/mail?to=${encodeURIComponent(to)}`, { token: null });
    expect(mail.body).toMatchObject({ items: [{ to: [to], subject: 'Hello', text: 'Hi there', headers: { 'list-unsubscribe': '<https://example.com/u/t>' } }] });
  });

  it('says clearly when the API port is taken, and leaves nothing running', async () => {
    const port = Number(new URL(inject('apiUrl')).port);
    const emulators = () => run('pgrep', ['-fc', 'DynamoDBLocal']).then(({ stdout }) => Number(stdout.trim()), () => 0);
    const before = await emulators();
    await expect(startLocalStack({ apiPort: port, sitesPort: 0, memory: true, quiet: true })).rejects.toThrow(PortInUse);
    expect(await emulators()).toBe(before);
  });

  it('refuses a second start on the same data directory, naming the running one', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'talent-relay-lock-'));
    writeFileSync(join(dataDir, 'stack.pid'), String(process.pid));
    const start = run(process.execPath, ['--import', 'tsx', 'infra/local/start.ts', '--data-dir', dataDir]);
    await expect(start).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining(`already running (pid ${process.pid})`) });
  });
});
