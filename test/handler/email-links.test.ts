import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand, BatchWriteCommand, DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand,
  type BatchGetCommandInput, type PutCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { handler } from '../../functions/campaigns/handlers/email-links.ts';
import type { Candidate } from '../../functions/candidates/schemas.ts';
import { signToken, verifyToken, type TokenClaims } from '../../shared/tokens.ts';
import { aCandidate, aLambdaContext, anHttpEvent } from '../fixtures/builders.ts';

const documents = mockClient(DynamoDBDocumentClient);
const dynamo = mockClient(DynamoDBClient);
const SECRET = 'test-secret';
const TABLE = 'talent-relay-test';
const candidateId = 'cand_01JAAAAAAAAAAAAAAAAAAAAAAA';
const campaignId = 'camp_01JBBBBBBBBBBBBBBBBBBBBBBB';
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const inADay = () => Math.floor(Date.now() / 1000) + 86_400;

/** A link token as the sender signs it into an email. */
const aToken = (overrides: Partial<TokenClaims> = {}, secret = SECRET) => signToken({ use: 'u', candidateId, campaignId, exp: inADay(), ...overrides }, secret);

/** A request from a person's browser or mail client: a public route, no authorizer claims. */
const visit = async (routeKey: string, token: string, body?: string) => {
  const event = anHttpEvent(routeKey, { pathParameters: { token }, role: null, ...(body === undefined ? {} : { body, headers: FORM }) });
  const response = await handler(event, aLambdaContext());
  return { ...response, body: response.body ?? '' };
};

const writeCommands = [PutCommand, UpdateCommand, DeleteCommand, TransactWriteCommand, BatchWriteCommand];
/** Writes to anyone's data: the per-client rate-limit counter of public routes is not one. */
const writes = () =>
  documents.calls().filter((call) => writeCommands.some((command) => call.args[0] instanceof command) && !String((call.args[0].input as { Key?: { PK?: unknown } }).Key?.PK).startsWith('RATE#'));
const puts = (): PutCommandInput[] => documents.commandCalls(PutCommand).map((call) => call.args[0].input);
const preferenceUpdates = () => documents.commandCalls(UpdateCommand).map((call) => call.args[0].input).filter((input) => input.Key?.SK === 'PREFS');
const suppressionPut = () => puts().find((input) => input.Item?.SK === 'SUPPRESSION');
const outboxPut = () => puts().find((input) => input.Item?.SK === 'EVENT');
const publishedTypes = () => ((outboxPut()?.Item?.events ?? []) as { detailType: string }[]).map((event) => event.detailType);

/** The table holds the candidate's profile (and nothing else the batch reads: no preferences, no suppression). */
const storedProfile = (email = 'ada@example.com', consents: Candidate['consents'] = []) => {
  const profile = { PK: `CAND#${candidateId}`, SK: 'PROFILE', entity: 'candidate', ...aCandidate({ id: candidateId, email, consents }) };
  documents.on(GetCommand, { Key: { PK: profile.PK, SK: profile.SK } }).resolves({ Item: profile });
  documents.on(BatchGetCommand).callsFake((input: BatchGetCommandInput) => {
    const keys = input.RequestItems![TABLE]!.Keys!;
    const found = keys.filter((key) => key.PK === profile.PK && key.SK === profile.SK);
    return { Responses: { [TABLE]: found.map(() => profile) } };
  });
};

/** The candidate's profile as the withdrawal wrote it (with its version check), if it did. */
const profileWrite = () =>
  documents
    .commandCalls(TransactWriteCommand)
    .flatMap((call) => call.args[0].input.TransactItems ?? [])
    .find((item) => item.Put?.Item?.SK === 'PROFILE')?.Put;

beforeEach(() => {
  documents.reset();
  dynamo.reset();
  vi.stubEnv('TOKEN_SECRET', SECRET);
  vi.stubEnv('PUBLIC_API_URL', 'https://api.example.com');
  vi.stubEnv('REPLY_DOMAIN', 'reply.example.com');
  documents.on(QueryCommand).resolves({ Items: [] });
});

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('GET /u/{token}', () => {
  it('answers 200 with a page whose form POSTs the one-click unsubscribe back to the same link', async () => {
    const token = aToken();
    const response = await visit('GET /u/{token}', token);
    expect(response.statusCode).toBe(200);
    expect(response.headers?.['content-type']).toBe('text/html; charset=utf-8');
    expect(response.body).toContain(`<form method="post" action="${token}">`);
    expect(response.body).toContain('<input type="hidden" name="List-Unsubscribe" value="One-Click">');
  });

  it('unsubscribes nobody: a link scanner following the link changes nothing in the table', async () => {
    await visit('GET /u/{token}', aToken());
    expect(writes()).toEqual([]);
  });

  it('links to the preferences page with a preferences token for the same candidate and campaign', async () => {
    const response = await visit('GET /u/{token}', aToken());
    const preferencesToken = /href="https:\/\/api\.example\.com\/public\/preferences\/([\w.-]+)"/.exec(response.body)?.[1];
    expect(verifyToken(preferencesToken ?? '', 'p', SECRET, Math.floor(Date.now() / 1000))).toMatchObject({ candidateId, campaignId });
  });

  it('is never cached, indexed or framed, and runs no script', async () => {
    const response = await visit('GET /u/{token}', aToken());
    expect(response.headers).toMatchObject({ 'cache-control': 'no-store', 'x-robots-tag': 'noindex', 'referrer-policy': 'no-referrer' });
    expect(response.headers?.['content-security-policy']).toContain("default-src 'none'");
    expect(response.headers?.['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(response.body).not.toContain('<script');
  });
});

describe('POST /u/{token} (one-click unsubscribe)', () => {
  it('answers 200 and suppresses the candidate\'s address with reason unsubscribe, for the campaign the email came from', async () => {
    storedProfile('ada@example.com');
    const response = await visit('POST /u/{token}', aToken(), 'List-Unsubscribe=One-Click');
    expect(response.statusCode).toBe(200);
    expect(response.headers?.['content-type']).toBe('text/html; charset=utf-8');
    expect(response.body).toContain('You are unsubscribed');
    expect(suppressionPut()).toMatchObject({
      TableName: TABLE,
      Item: { PK: 'SUPP#ada@example.com', email: 'ada@example.com', reason: 'unsubscribe', campaignId },
      ConditionExpression: 'attribute_not_exists(PK)',
    });
  });

  it('publishes CandidateUnsubscribed through the outbox, so drips that stop on it stop', async () => {
    storedProfile();
    await visit('POST /u/{token}', aToken(), 'List-Unsubscribe=One-Click');
    expect(publishedTypes()).toEqual(['CandidateUnsubscribed']);
    expect((outboxPut()!.Item!.events as { detail: unknown }[])[0]!.detail).toMatchObject({ candidateId, campaignId, via: 'unsubscribe', actor: 'public' });
  });

  it('reads the candidate\'s profile by key with one BatchGet, and their campaign emails from GSI2', async () => {
    storedProfile();
    await visit('POST /u/{token}', aToken(), 'List-Unsubscribe=One-Click');
    expect(documents.commandCalls(BatchGetCommand)[0]!.args[0].input.RequestItems![TABLE]!.Keys).toContainEqual({ PK: `CAND#${candidateId}`, SK: 'PROFILE' });
    expect(documents.commandCalls(QueryCommand)[0]!.args[0].input).toMatchObject({ IndexName: 'GSI2', ExpressionAttributeValues: { ':pk': `MAILS#${candidateId}` } });
  });

  it('marks the campaign email it came from as unsubscribed and counts it, in one transaction', async () => {
    storedProfile();
    documents.on(QueryCommand).resolves({
      Items: [{ PK: `CAMP#${campaignId}`, SK: `R#3#${candidateId}`, campaignId, candidateId, status: 'delivered', shard: 3, sentAt: '2026-01-02T09:00:00.000Z' }],
    });
    documents.on(TransactWriteCommand).resolves({});
    await visit('POST /u/{token}', aToken(), 'List-Unsubscribe=One-Click');
    const [mark, count] = documents.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    expect(mark!.Update!.ExpressionAttributeNames).toMatchObject({ '#first': 'unsubscribedAt' });
    expect(mark!.Update!.ConditionExpression).toBe('attribute_not_exists(#first) AND #status = :expected');
    // Tracking counts go to one of the shard's few counter items, so parallel events do not contend.
    expect(count!.Update).toMatchObject({ Key: { PK: `CAMP#${campaignId}`, SK: expect.stringMatching(/^STATS#3\.\d$/) }, ExpressionAttributeNames: { '#c0': 'unsubscribed' } });
  });

  it('records a marketing-email withdrawal through the email link on the candidate\'s consent history, with the version check', async () => {
    storedProfile('ada@example.com', [{ purpose: 'marketing-email', granted: true, recordedAt: '2026-01-01T00:00:00.000Z', expiresAt: '2028-01-01T00:00:00.000Z' }]);
    await visit('POST /u/{token}', aToken(), 'List-Unsubscribe=One-Click');
    const write = profileWrite();
    expect(write?.Item?.consents).toEqual([
      expect.objectContaining({ purpose: 'marketing-email', granted: true }),
      { purpose: 'marketing-email', granted: false, source: 'email-link', lawfulBasis: 'consent', recordedAt: expect.any(String) },
    ]);
    expect(write).toMatchObject({ ConditionExpression: 'version = :expected', ExpressionAttributeValues: { ':expected': 1 } });
  });

  it('records no second withdrawal when the latest marketing-email record already is one', async () => {
    storedProfile('ada@example.com', [{ purpose: 'marketing-email', granted: false, source: 'email-link', recordedAt: '2026-01-02T00:00:00.000Z' }]);
    const response = await visit('POST /u/{token}', aToken(), 'List-Unsubscribe=One-Click');
    expect(response.statusCode).toBe(200);
    expect(profileWrite()).toBeUndefined();
  });

  it('answers 200 again when repeated: the address stays suppressed with its first reason', async () => {
    storedProfile();
    documents.on(PutCommand, { Item: { SK: 'SUPPRESSION' } }).rejects(new ConditionalCheckFailedException({ message: 'exists', $metadata: {} }));
    const response = await visit('POST /u/{token}', aToken(), 'List-Unsubscribe=One-Click');
    expect(response.statusCode).toBe(200);
    expect(publishedTypes()).toEqual(['CandidateUnsubscribed']);
  });

  it('still records the unsubscribe for a candidate who no longer exists, without suppressing any address', async () => {
    documents.on(BatchGetCommand).resolves({ Responses: { [TABLE]: [] } });
    const response = await visit('POST /u/{token}', aToken(), 'List-Unsubscribe=One-Click');
    expect(response.statusCode).toBe(200);
    expect(suppressionPut()).toBeUndefined();
    expect(publishedTypes()).toEqual(['CandidateUnsubscribed']);
  });

  it('answers 200 to a one-click POST from a mail client that sends no body', async () => {
    storedProfile();
    const response = await visit('POST /u/{token}', aToken());
    expect(response.statusCode).toBe(200);
    expect(suppressionPut()?.Item).toMatchObject({ reason: 'unsubscribe' });
  });

  it('is never cached, indexed or framed', async () => {
    storedProfile();
    const response = await visit('POST /u/{token}', aToken(), 'List-Unsubscribe=One-Click');
    expect(response.headers?.['cache-control']).toBe('no-store');
    expect(response.headers?.['content-security-policy']).toContain("frame-ancestors 'none'");
  });
});

describe('links that do not work', () => {
  const tampered = (token: string) => {
    const [payload, signature] = token.split('.') as [string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as unknown[];
    claims[1] = 'cand_01JCCCCCCCCCCCCCCCCCCCCCCC';
    return `${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`;
  };

  it('answers 400 with an HTML page to a tampered token, and writes nothing', async () => {
    storedProfile();
    const response = await visit('POST /u/{token}', tampered(aToken()), 'List-Unsubscribe=One-Click');
    expect(response.statusCode).toBe(400);
    expect(response.headers?.['content-type']).toBe('text/html; charset=utf-8');
    expect(response.body).toContain('This link does not work');
    expect(writes()).toEqual([]);
  });

  it('answers 400 to a token signed with another secret, and writes nothing', async () => {
    const response = await visit('POST /u/{token}', aToken({}, 'another-secret'), 'List-Unsubscribe=One-Click');
    expect(response.statusCode).toBe(400);
    expect(writes()).toEqual([]);
  });

  it('answers 400 to an expired token, and writes nothing', async () => {
    const response = await visit('POST /u/{token}', aToken({ exp: Math.floor(Date.now() / 1000) - 60 }), 'List-Unsubscribe=One-Click');
    expect(response.statusCode).toBe(400);
    expect(writes()).toEqual([]);
  });

  it('answers 400 to a preferences token on the unsubscribe link, and writes nothing', async () => {
    const response = await visit('POST /u/{token}', aToken({ use: 'p' }), 'List-Unsubscribe=One-Click');
    expect(response.statusCode).toBe(400);
    expect(writes()).toEqual([]);
  });

  it('answers 400 to an unsubscribe token on the preferences page', async () => {
    const response = await visit('GET /public/preferences/{token}', aToken({ use: 'u' }));
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('This link does not work');
  });

  it('keeps the invalid-link page out of caches too', async () => {
    const response = await visit('GET /u/{token}', tampered(aToken()));
    expect(response.statusCode).toBe(400);
    expect(response.headers?.['cache-control']).toBe('no-store');
    expect(response.headers?.['content-security-policy']).toContain("default-src 'none'");
  });
});

describe('GET /public/preferences/{token}', () => {
  it('shows a checkbox per topic, checked unless turned off, and the chosen frequency', async () => {
    documents.on(GetCommand).resolves({ Item: { PK: `CAND#${candidateId}`, SK: 'PREFS', topics: { newsletter: false, events: true }, frequency: 'monthly' } });
    const response = await visit('GET /public/preferences/{token}', aToken({ use: 'p' }));
    expect(response.statusCode).toBe(200);
    expect(response.headers?.['content-type']).toBe('text/html; charset=utf-8');
    expect(response.body).toContain('<input type="checkbox" name="topics" value="newsletter">');
    expect(response.body).toContain('<input type="checkbox" name="topics" value="events" checked>');
    expect(response.body).toContain('<input type="checkbox" name="topics" value="job-alerts" checked>');
    expect(response.body).toContain('<option value="monthly" selected>');
    expect(documents.commandCalls(GetCommand)[0]!.args[0].input.Key).toEqual({ PK: `CAND#${candidateId}`, SK: 'PREFS' });
  });

  it('shows every topic checked and any frequency for a candidate who never chose', async () => {
    documents.on(GetCommand).resolves({});
    const response = await visit('GET /public/preferences/{token}', aToken({ use: 'p' }));
    for (const topic of ['newsletter', 'job-alerts', 'events', 'nurture']) expect(response.body).toContain(`value="${topic}" checked>`);
    expect(response.body).toContain('<option value="any" selected>');
  });

  it('is never cached, indexed or framed', async () => {
    documents.on(GetCommand).resolves({});
    const response = await visit('GET /public/preferences/{token}', aToken({ use: 'p' }));
    expect(response.headers?.['cache-control']).toBe('no-store');
    expect(response.headers?.['content-security-policy']).toContain("form-action 'self'");
  });
});

describe('POST /public/preferences/{token}', () => {
  it('saves the checked topics as on, every other topic as off, and the frequency', async () => {
    const response = await visit('POST /public/preferences/{token}', aToken({ use: 'p' }), 'topics=newsletter&frequency=weekly');
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('Your preferences are saved.');
    expect(puts()).toHaveLength(0);
    // An update, so the last-emailed time behind a frequency limit survives.
    expect(preferenceUpdates()).toHaveLength(1);
    expect(preferenceUpdates()[0]).toMatchObject({
      Key: { PK: `CAND#${candidateId}`, SK: 'PREFS' },
      ExpressionAttributeValues: { ':id': candidateId, ':topics': { newsletter: true, 'job-alerts': false, events: false, nurture: false }, ':frequency': 'weekly' },
    });
    expect(preferenceUpdates()[0]!.UpdateExpression).not.toContain('lastEmailedAt');
  });

  it('saves several checked topics, sent as repeated form fields', async () => {
    await visit('POST /public/preferences/{token}', aToken({ use: 'p' }), 'topics=newsletter&topics=events&frequency=monthly');
    expect(preferenceUpdates()[0]!.ExpressionAttributeValues).toMatchObject({ ':topics': { newsletter: true, 'job-alerts': false, events: true, nurture: false }, ':frequency': 'monthly' });
  });

  it('unsubscribes from everything when that box is checked, instead of saving preferences', async () => {
    storedProfile();
    const response = await visit('POST /public/preferences/{token}', aToken({ use: 'p' }), 'topics=newsletter&unsubscribeAll=on');
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('You are unsubscribed');
    expect(suppressionPut()?.Item).toMatchObject({ email: 'ada@example.com', reason: 'unsubscribe' });
    expect(publishedTypes()).toEqual(['CandidateUnsubscribed']);
    expect(puts().find((input) => input.Item?.SK === 'PREFS')).toBeUndefined();
    expect(profileWrite()?.Item?.consents).toEqual([expect.objectContaining({ purpose: 'marketing-email', granted: false, source: 'email-link' })]);
  });

  it('answers 400 to an unsubscribe token, and saves nothing', async () => {
    const response = await visit('POST /public/preferences/{token}', aToken({ use: 'u' }), 'topics=newsletter&frequency=weekly');
    expect(response.statusCode).toBe(400);
    expect(writes()).toEqual([]);
  });
});
