import { BadRequestException, SendBulkEmailCommand, SESv2Client, TooManyRequestsException } from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { sesMailer } from '../../functions/campaigns/adapters/ses-mailer.ts';
import { Throttled, type OutgoingEmail } from '../../functions/campaigns/domain/ports.ts';

const ses = mockClient(SESv2Client);

/** A campaign email as the send service renders it for one recipient. */
const anEmail = (overrides: Partial<OutgoingEmail> = {}): OutgoingEmail => ({
  to: 'ada@example.com',
  subject: 'Ada, a role for you & your team',
  html: '<p>Hello <b>Ada</b> &amp; "friends"</p>',
  text: 'Hello Ada & "friends"',
  headers: { 'List-Unsubscribe': '<https://api.example.com/u/tok-ada>', 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
  replyTo: 'reply+tok-ada@reply.example.com',
  tags: { campaignId: 'camp_01JAAAAAAAAAAAAAAAAAAAAAAA', candidateId: 'cand_01JAAAAAAAAAAAAAAAAAAAAAAA' },
  ...overrides,
});

const sentInput = () => ses.commandCalls(SendBulkEmailCommand)[0]!.args[0].input;

beforeEach(() => {
  ses.reset();
  vi.stubEnv('MAIL_FROM', 'Talent Relay <jobs@example.com>');
  vi.stubEnv('SES_CONFIGURATION_SET', 'talent-relay-tracking');
});

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('sesMailer.sendBulk', () => {
  it('sends fifty messages in one SendBulkEmail call', async () => {
    ses.on(SendBulkEmailCommand).resolves({ BulkEmailEntryResults: [] });
    const messages = Array.from({ length: 50 }, (_, i) => anEmail({ to: `person${i}@example.com` }));
    await sesMailer.sendBulk(messages);
    expect(ses.commandCalls(SendBulkEmailCommand)).toHaveLength(1);
    expect(sentInput().BulkEmailEntries!.map((entry) => entry.Destination!.ToAddresses)).toEqual(messages.map((m) => [m.to]));
  });

  it('sends from MAIL_FROM through the SES_CONFIGURATION_SET configuration set', async () => {
    ses.on(SendBulkEmailCommand).resolves({ BulkEmailEntryResults: [] });
    await sesMailer.sendBulk([anEmail()]);
    expect(sentInput()).toMatchObject({ FromEmailAddress: 'Talent Relay <jobs@example.com>', ConfigurationSetName: 'talent-relay-tracking' });
  });

  it('uses a default template that only places the rendered parts, unescaped in triple braces', async () => {
    ses.on(SendBulkEmailCommand).resolves({ BulkEmailEntryResults: [] });
    await sesMailer.sendBulk([anEmail()]);
    expect(sentInput().DefaultContent!.Template!.TemplateContent).toEqual({ Subject: '{{{subject}}}', Html: '{{{html}}}', Text: '{{{text}}}' });
  });

  it('gives each entry its destination, its rendered subject, HTML and text, its unsubscribe and reply headers and its tags', async () => {
    ses.on(SendBulkEmailCommand).resolves({ BulkEmailEntryResults: [] });
    const ada = anEmail();
    const grace = anEmail({
      to: 'grace@example.com', subject: 'Grace, a role for you', html: '<p>Hello Grace</p>', text: 'Hello Grace',
      headers: { 'List-Unsubscribe': '<https://api.example.com/u/tok-grace>', 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
      replyTo: 'reply+tok-grace@reply.example.com', tags: { campaignId: 'camp_01JAAAAAAAAAAAAAAAAAAAAAAA', candidateId: 'cand_01JBBBBBBBBBBBBBBBBBBBBBBB', step: '2' },
    });
    await sesMailer.sendBulk([ada, grace]);
    const [first, second] = sentInput().BulkEmailEntries!;
    expect(first!.Destination).toEqual({ ToAddresses: ['ada@example.com'] });
    expect(JSON.parse(first!.ReplacementEmailContent!.ReplacementTemplate!.ReplacementTemplateData!)).toEqual({ subject: ada.subject, html: ada.html, text: ada.text });
    expect(first!.ReplacementHeaders).toEqual([
      { Name: 'List-Unsubscribe', Value: '<https://api.example.com/u/tok-ada>' },
      { Name: 'List-Unsubscribe-Post', Value: 'List-Unsubscribe=One-Click' },
      { Name: 'Reply-To', Value: 'reply+tok-ada@reply.example.com' },
    ]);
    expect(first!.ReplacementTags).toEqual([
      { Name: 'campaignId', Value: 'camp_01JAAAAAAAAAAAAAAAAAAAAAAA' },
      { Name: 'candidateId', Value: 'cand_01JAAAAAAAAAAAAAAAAAAAAAAA' },
    ]);
    expect(second!.Destination).toEqual({ ToAddresses: ['grace@example.com'] });
    expect(JSON.parse(second!.ReplacementEmailContent!.ReplacementTemplate!.ReplacementTemplateData!)).toEqual({ subject: grace.subject, html: grace.html, text: grace.text });
    expect(second!.ReplacementHeaders).toContainEqual({ Name: 'Reply-To', Value: 'reply+tok-grace@reply.example.com' });
    expect(second!.ReplacementTags).toContainEqual({ Name: 'step', Value: '2' });
  });

  it('answers a message id for each accepted entry and the error for each failed one, in order', async () => {
    ses.on(SendBulkEmailCommand).resolves({
      BulkEmailEntryResults: [
        { Status: 'SUCCESS', MessageId: 'msg-1' },
        { Status: 'FAILED', Error: 'Address blacklisted.' },
        { Status: 'SUCCESS', MessageId: 'msg-3' },
      ],
    });
    const results = await sesMailer.sendBulk([anEmail({ to: 'a@example.com' }), anEmail({ to: 'b@example.com' }), anEmail({ to: 'c@example.com' })]);
    expect(results).toEqual([{ messageId: 'msg-1' }, { error: 'Address blacklisted.' }, { messageId: 'msg-3' }]);
  });

  it('answers an error for an entry SES returned no result for', async () => {
    ses.on(SendBulkEmailCommand).resolves({ BulkEmailEntryResults: [{ Status: 'SUCCESS', MessageId: 'msg-1' }] });
    const results = await sesMailer.sendBulk([anEmail({ to: 'a@example.com' }), anEmail({ to: 'b@example.com' })]);
    expect(results).toEqual([{ messageId: 'msg-1' }, { error: 'no result' }]);
  });

  it('throws Throttled when SES answers TooManyRequests, so the workflow retries the batch later', async () => {
    ses.on(SendBulkEmailCommand).rejects(new TooManyRequestsException({ message: 'slow down', $metadata: {} }));
    const sending = sesMailer.sendBulk([anEmail()]);
    await expect(sending).rejects.toBeInstanceOf(Throttled);
    await expect(sending).rejects.toThrow('slow down');
  });

  it('rethrows any other SES error as it is', async () => {
    const refused = new BadRequestException({ message: 'Illegal address', $metadata: {} });
    ses.on(SendBulkEmailCommand).rejects(refused);
    await expect(sesMailer.sendBulk([anEmail()])).rejects.toBe(refused);
  });

  it('refuses to send without MAIL_FROM, and calls SES not at all', async () => {
    vi.stubEnv('MAIL_FROM', '');
    await expect(sesMailer.sendBulk([anEmail()])).rejects.toThrow('Missing environment variable MAIL_FROM');
    expect(ses.commandCalls(SendBulkEmailCommand)).toHaveLength(0);
  });
});
