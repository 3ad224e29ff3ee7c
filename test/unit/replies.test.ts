import { describe, expect, it } from 'vitest';
import { parseReply, replyTokenFrom } from '../../functions/campaigns/domain/replies.ts';

// A signed reply token (shared/tokens.ts): base64url payload, a dot, base64url signature.
const token = 'WyJyIiwiY2FuZF8wMUpEWDVROVMzUDVXN1Y5WDFaM0I1RDdGOSJd.Qk9mX2Z0c3ZwQjQ5aGxMMg';
const replyAddress = `reply+${token}@reply.acme-recruiting.com`;
const sesMessageId = '0102019365a1b2c3-5e0f7a21-9c4d-4b8e-a1f2-3d4c5b6a7e8f-000000@eu-west-1.amazonses.com';

/** A raw RFC 822 reply as SES receiving stores it; a header set to '' is left out. */
const aReply = (body: string, headers: Record<string, string> = {}) => {
  const all: Record<string, string> = {
    'Return-Path': '<Ada.Lovelace@example.com>',
    Received: `from mail-wm1-f41.google.com (mail-wm1-f41.google.com [209.85.128.41]) by inbound-smtp.eu-west-1.amazonaws.com with SMTP id 8c2f1e7a\r\n for ${replyAddress}; Tue, 24 Nov 2026 10:15:07 +0000 (UTC)`,
    'MIME-Version': '1.0',
    Date: 'Tue, 24 Nov 2026 10:15:02 +0000',
    'Message-ID': '<CAF3x9+Yq2mT7bLwQz@mail.gmail.com>',
    'In-Reply-To': `<${sesMessageId}>`,
    References: `<${sesMessageId}>`,
    Subject: 'Re: A staff engineer role in London',
    From: 'Ada Lovelace <Ada.Lovelace@Example.com>',
    To: `Acme Talent <${replyAddress}>`,
    'Content-Type': 'text/plain; charset="UTF-8"',
    'Content-Transfer-Encoding': '8bit',
    ...headers,
  };
  const lines = Object.entries(all).flatMap(([name, value]) => (value === '' ? [] : [`${name}: ${value}`]));
  return `${lines.join('\r\n')}\r\n\r\n${body.replace(/\r?\n/g, '\r\n')}`;
};

const written = `Hi Jane,

Thanks for reaching out. I'd be happy to talk on Thursday afternoon.

Ada`;

describe('replies', () => {
  it('reads a Gmail reply: the sender, the addresses, the ids, the time it arrived and only the new text', async () => {
    const raw = aReply(`${written}

On Tue, 24 Nov 2026 at 09:00, Acme Talent <
talent@mail.acme-recruiting.com> wrote:

> Hi Ada,
>
> We have a staff engineer role in London that fits your TypeScript work.
>
`);
    expect(await parseReply(raw)).toEqual({
      from: 'ada.lovelace@example.com',
      to: [replyAddress],
      subject: 'Re: A staff engineer role in London',
      messageId: 'CAF3x9+Yq2mT7bLwQz@mail.gmail.com',
      inReplyTo: sesMessageId,
      text: written,
      automatic: false,
      receivedAt: '2026-11-24T10:15:07.000Z',
      // No SES verdict headers in this sample: see the verdict tests below.
      authenticated: false,
    });
  });

  it.each([
    ['an Outlook original-message line', '-----Original Message-----\nFrom: Acme Talent <talent@mail.acme-recruiting.com>\nSent: Tuesday, November 24, 2026 9:00 AM'],
    ['an Outlook rule and header block', '________________________________\nFrom: Acme Talent <talent@mail.acme-recruiting.com>\nSent: Tuesday, November 24, 2026 9:00 AM\nTo: Ada Lovelace'],
    ['an Outlook header block alone', 'From: Acme Talent <talent@mail.acme-recruiting.com>\nDate: Tuesday, 24 November 2026 at 09:00\nTo: Ada Lovelace\nSubject: A staff engineer role'],
    ['a French attribution', 'Le mar. 24 nov. 2026 à 09:00, Acme Talent <talent@mail.acme-recruiting.com> a écrit :'],
    ['a German attribution wrapped over two lines', 'Am Di., 24. Nov. 2026 um 09:00 Uhr schrieb Acme Talent <\ntalent@mail.acme-recruiting.com>:'],
  ])('drops the quoted history from %s on', async (_, separator) => {
    const reply = await parseReply(aReply(`${written}\n\n${separator}\n\nHi Ada,\nWe have a staff engineer role in London.\n`));
    expect(reply.text).toBe(written);
  });

  it('reads an Outlook reply and does not take X-Auto-Response-Suppress for an automatic reply', async () => {
    const reply = await parseReply(
      aReply(
        `Hello Jane,

Thank you, but I am not looking for a new role at the moment.

Kind regards,
Ada

-----Original Message-----
From: Acme Talent <talent@mail.acme-recruiting.com>
Sent: Tuesday, November 24, 2026 9:00 AM
To: Ada Lovelace <ada.lovelace@example.com>
Subject: A staff engineer role in London

Hi Ada,
`,
        { 'X-Auto-Response-Suppress': 'All', 'Thread-Index': 'AQHbPq3xY2mT7bLwQz', 'X-MS-Has-Attach': '', 'Content-Language': 'en-GB' },
      ),
    );
    expect(reply).toMatchObject({ automatic: false, text: 'Hello Jane,\n\nThank you, but I am not looking for a new role at the moment.\n\nKind regards,\nAda' });
  });

  it('drops quoted lines between answers and the signature after "-- "', async () => {
    const reply = await parseReply(aReply('> Would Thursday at 2 pm work for a call?\nYes, Thursday works.\n\n> And could you share an up-to-date CV?\nAttached.\n\n-- \nAda Lovelace\nStaff Engineer\n'));
    expect(reply.text).toBe('Yes, Thursday works.\n\nAttached.');
  });

  it('turns an HTML-only Gmail reply into text without its gmail_quote', async () => {
    const html =
      '<div dir="ltr">Hi Jane,<div><br></div><div>Yes &amp; I&#39;m free on Thursday,&nbsp;2 pm suits me.</div><div><br></div><div>Ada</div></div><br>' +
      '<div class="gmail_quote gmail_quote_container"><div dir="ltr" class="gmail_attr">On Tue, 24 Nov 2026 at 09:00, Acme Talent &lt;<a href="mailto:talent@mail.acme-recruiting.com">talent@mail.acme-recruiting.com</a>&gt; wrote:<br></div>' +
      '<blockquote class="gmail_quote" style="margin:0px 0px 0px 0.8ex;border-left:1px solid rgb(204,204,204);padding-left:1ex"><div dir="ltr">Hi Ada,<br>We have a staff engineer role in London.</div></blockquote></div>\n';
    const reply = await parseReply(aReply(html, { 'Content-Type': 'text/html; charset="UTF-8"' }));
    expect(reply.text).toBe("Hi Jane,\n\nYes & I'm free on Thursday, 2 pm suits me.\n\nAda");
  });

  it('drops nested blockquotes and the attribution above them from an HTML-only Apple Mail reply', async () => {
    const html =
      '<html><head><style>p { margin: 0 }</style></head><body>\n  <div>\n    Sounds good &#8212; talk soon.\n  </div>\n  <div><br><blockquote type="cite"><div>On 24 Nov 2026, at 09:00, Acme Talent &lt;talent@mail.acme-recruiting.com&gt; wrote:</div>' +
      '<blockquote type="cite"><div>Hi Ada,</div></blockquote><div>Thursday?</div></blockquote></div></body></html>';
    const reply = await parseReply(aReply(html, { 'Content-Type': 'text/html; charset="UTF-8"' }));
    expect(reply.text).toBe('Sounds good — talk soon.');
  });

  it('decodes a quoted-printable body and a UTF-8 sender name', async () => {
    const body = `Hallo Jane,

gerne! Donnerstag passt mir gut. Viele Gr=C3=BC=C3=9Fe aus M=C3=BCnchen, =
und bis bald.

Zo=C3=AB Br=C3=BCckner

Am Di., 24. Nov. 2026 um 09:00 Uhr schrieb Acme Talent <talent@mail.acme-rec=
ruiting.com>:
> Hallo Zo=C3=AB,
`;
    const raw = aReply(body, { From: '=?UTF-8?Q?Zo=C3=AB_Br=C3=BCckner?= <Zoe.Brueckner@example.de>', 'Content-Transfer-Encoding': 'quoted-printable' });
    const reply = await parseReply(new TextEncoder().encode(raw));
    expect(reply).toMatchObject({
      from: 'zoe.brueckner@example.de',
      text: 'Hallo Jane,\n\ngerne! Donnerstag passt mir gut. Viele Grüße aus München, und bis bald.\n\nZoë Brückner',
    });
  });

  it('lists To, Cc, Delivered-To and X-Original-To once each, domains lower-cased, so the reply token survives', async () => {
    const reply = await parseReply(
      aReply(written, {
        To: `"Acme Talent" <reply+${token}@Reply.Acme-Recruiting.com>, Jane Recruiter <jane@acme-recruiting.com>`,
        Cc: 'Grace Hopper <Grace.Hopper@Example.org>',
        'Delivered-To': replyAddress,
        'X-Original-To': 'talent@reply.acme-recruiting.com',
      }),
    );
    expect(reply.to).toEqual([replyAddress, 'jane@acme-recruiting.com', 'Grace.Hopper@example.org', 'talent@reply.acme-recruiting.com']);
    expect(replyTokenFrom(reply.to)).toBe(token);
  });

  it('takes the Date header for the arrival time when no Received line has one, and leaves out missing ids', async () => {
    const reply = await parseReply(aReply(written, { Received: '', 'In-Reply-To': '', 'Message-ID': '' }));
    expect(reply.receivedAt).toBe('2026-11-24T10:15:02.000Z');
    expect(reply).not.toHaveProperty('messageId');
    expect(reply).not.toHaveProperty('inReplyTo');
  });
});

describe('automatic replies', () => {
  it('recognises an out-of-office by its Auto-Submitted header', async () => {
    const reply = await parseReply(
      aReply('I am out of the office until 1 December with limited access to email.\n', {
        Subject: 'Automatic reply: A staff engineer role in London',
        'Auto-Submitted': 'auto-replied',
        'In-Reply-To': '',
      }),
    );
    expect(reply).toMatchObject({ automatic: true, automaticReason: 'Auto-Submitted: auto-replied' });
  });

  it('recognises bulk mail by its Precedence header', async () => {
    const reply = await parseReply(aReply('Your ticket #48213 has been received.\n', { Precedence: 'bulk', Subject: 'Re: A staff engineer role in London' }));
    expect(reply).toMatchObject({ automatic: true, automaticReason: 'Precedence: bulk' });
  });

  it.each([
    [{ 'X-Autoreply': 'yes' }, 'X-Autoreply: yes'],
    [{ 'X-Autorespond': 'Out of office' }, 'X-Autorespond: Out of office'],
    [{ 'X-Autogenerated': 'Reply' }, 'X-Autogenerated: Reply'],
    [{ Precedence: 'auto_reply' }, 'Precedence: auto_reply'],
    [{ 'Return-Path': '<>' }, 'Return-Path: <>'],
    [{ From: 'Mail Delivery Subsystem <MAILER-DAEMON@googlemail.com>' }, 'from mailer-daemon@googlemail.com'],
    [{ From: 'Acme HR <no-reply@acme-hr.example>' }, 'from no-reply@acme-hr.example'],
    [{ Subject: 'Out of Office: A staff engineer role in London' }, 'subject "Out of Office: A staff engineer role in London"'],
    [{ Subject: 'Abwesenheitsnotiz: A staff engineer role in London' }, 'subject "Abwesenheitsnotiz: A staff engineer role in London"'],
    [{ Subject: '=?UTF-8?Q?R=C3=A9ponse_automatique_:_A_staff_engineer_role?=' }, 'subject "Réponse automatique : A staff engineer role"'],
    [{ Subject: 'Auto: A staff engineer role in London' }, 'subject "Auto: A staff engineer role in London"'],
  ])('recognises %j as automatic', async (headers, reason) => {
    expect(await parseReply(aReply('I am away.\n', headers))).toMatchObject({ automatic: true, automaticReason: reason });
  });

  it('takes Auto-Submitted: no for a person', async () => {
    const reply = await parseReply(aReply(written, { 'Auto-Submitted': 'no' }));
    expect(reply.automatic).toBe(false);
    expect(reply).not.toHaveProperty('automaticReason');
  });
});

describe('reply tokens', () => {
  it('finds the token of a plus-addressed reply address, keeping its case', () => {
    expect(replyTokenFrom(['jane@acme-recruiting.com', `Reply+${token}@reply.acme-recruiting.com`])).toBe(token);
    expect(replyTokenFrom(['jobs+Ab_c-9@replies.example'], 'jobs')).toBe('Ab_c-9');
  });

  it('finds nothing without a plus address for the local part, or with characters a token never has', () => {
    expect(replyTokenFrom(['reply@reply.acme-recruiting.com', 'talent+abc@reply.acme-recruiting.com'])).toBeUndefined();
    expect(replyTokenFrom(['reply+ab!c@reply.acme-recruiting.com', 'reply+abc', 'reply+a..b@reply.acme-recruiting.com'])).toBeUndefined();
    expect(replyTokenFrom([])).toBeUndefined();
  });
});

describe('the verdicts of SES receiving', () => {
  const verdicts = { 'X-SES-Spam-Verdict': 'PASS', 'X-SES-Virus-Verdict': 'PASS', 'Authentication-Results': 'amazonses.com; spf=pass smtp.mailfrom=example.com; dkim=pass header.i=@example.com' };

  it('trusts a reply whose sender passed SPF or DKIM and that is neither spam nor a virus', async () => {
    expect((await parseReply(aReply('Sounds good.', verdicts))).authenticated).toBe(true);
    expect((await parseReply(aReply('Sounds good.', { ...verdicts, 'Authentication-Results': 'amazonses.com; spf=fail; dkim=pass header.i=@example.com' }))).authenticated).toBe(true);
  });

  it('does not trust a spoofed sender, spam, a virus, or a message without verdicts', async () => {
    expect((await parseReply(aReply('x', { ...verdicts, 'Authentication-Results': 'amazonses.com; spf=fail; dkim=none' }))).authenticated).toBe(false);
    expect((await parseReply(aReply('x', { ...verdicts, 'X-SES-Spam-Verdict': 'FAIL' }))).authenticated).toBe(false);
    expect((await parseReply(aReply('x', { ...verdicts, 'X-SES-Virus-Verdict': 'FAIL' }))).authenticated).toBe(false);
    expect((await parseReply(aReply('x'))).authenticated).toBe(false);
  });
});
