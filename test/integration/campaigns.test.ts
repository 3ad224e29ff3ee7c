import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { api, eventually, firedFaults, local } from './helpers.ts';
import { inject } from 'vitest';

type Mail = { messageId: string; to: string[]; subject: string; headers: Record<string, string>; text: string; html: string };
type Stats = { targeted: number; sent: number; delivered: number; bounced: number; complained: number; opened: { human: number; machine: number }; clicked: number; replied: number; applied: number; unsubscribed: number; skipped: Record<string, number> };

const marker = () => `c${randomUUID().slice(0, 8)}`;
const consent = [{ purpose: 'marketing-email', granted: true }];

async function mailbox(to: string): Promise<Mail[]> {
  const response = await fetch(`${inject('apiUrl')}/_local/mail?to=${encodeURIComponent(to)}`);
  return ((await response.json()) as { items: Mail[] }).items;
}
const mailTo = async (address: string) => (await mailbox(address)).filter((m) => m.to.some((to) => to.toLowerCase() === address));

async function importPeople(people: Record<string, unknown>[]) {
  const started = await api('/imports', { method: 'POST', body: people });
  expect(started.status).toBe(202);
  const importId = (started.body as { id: string }).id;
  await eventually(async () => expect((await api(`/imports/${importId}`)).body).toMatchObject({ status: 'completed', created: people.length }), 30_000);
}

async function segmentOf(tag: string, expected: number) {
  const created = await api('/segments', { method: 'POST', body: { name: `Tagged ${tag}`, rule: { field: 'tags', op: 'contains', value: tag } } });
  expect(created.status).toBe(201);
  const segment = created.body as { id: string };
  await eventually(async () => expect((await api(`/segments/${segment.id}`)).body).toMatchObject({ memberCount: expected, backfill: { status: 'completed' } }), 30_000);
  return segment.id;
}

async function template(subject = 'Hello {{firstName|default:"there"}}') {
  const created = await api('/templates', {
    method: 'POST',
    body: { name: 'Nurture', subject, html: '<p>Hi {{firstName|default:"there"}}, new roles at {{company|default:"our team"}}.</p><p><a href="{{unsubscribeUrl}}">Unsubscribe</a></p>' },
  });
  expect(created.status).toBe(201);
  return (created.body as { id: string }).id;
}

const stats = async (id: string) => (await api(`/campaigns/${id}/stats`)).body as Stats;

async function oneShot(segmentId: string, templateId: string) {
  const created = await api('/campaigns', { method: 'POST', body: { name: 'Spring newsletter', kind: 'one-shot', audience: { segmentId }, templateId } });
  expect(created.status).toBe(201);
  const id = (created.body as { id: string }).id;
  const launched = await api(`/campaigns/${id}/launch`, { method: 'POST' });
  expect(launched.status).toBe(200);
  return id;
}

const sesEvent = (messageId: string, eventType: string, extra: Record<string, unknown> = {}) => local('/_local/ses-events', { messageId, eventType, ...extra });

describe('templates', () => {
  it('refuses unknown and malformed placeholders at save time, naming the part they are in', async () => {
    const response = await api('/templates', { method: 'POST', body: { name: 'Bad', subject: 'Hi {{nickname}}', html: '<p>{{firstName|upper}}</p>' } });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    const paths = (response.body as { errors: { path: string }[] }).errors.map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['body.subject', 'body.html']));
  });

  it('compiles MJML to HTML, generates the text part, and previews exactly what a candidate would receive, escaped', async () => {
    const mjml = '<mjml><mj-body><mj-section><mj-column><mj-text>Hello {{firstName|default:"there"}} from {{company|default:"us"}}</mj-text><mj-button href="{{preferencesUrl}}">Preferences</mj-button></mj-column></mj-section></mj-body></mjml>';
    const saved = await api('/templates', { method: 'POST', body: { name: 'MJML', subject: 'News for {{firstName}}', mjml } });
    expect(saved.status).toBe(201);
    const template = saved.body as { id: string; html: string; placeholders: string[] };
    expect(template.html).toContain('<!doctype html>');
    expect(template.placeholders).toEqual(expect.arrayContaining(['firstName', 'company', 'preferencesUrl']));
    const candidate = await api('/candidates', { method: 'POST', body: { email: `${marker()}@example.com`, firstName: '<img src=x onerror=alert(1)>', consents: consent } });
    const preview = await api(`/templates/${template.id}/preview`, { method: 'POST', body: { candidateId: (candidate.body as { id: string }).id } });
    expect(preview.status).toBe(200);
    const rendered = preview.body as { subject: string; html: string; text: string; headers: Record<string, string> };
    expect(rendered.subject).toBe('News for <img src=x onerror=alert(1)>');
    expect(rendered.html).not.toContain('<img src=x');
    expect(rendered.html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(rendered.text).toContain('Hello <img src=x onerror=alert(1)> from us');
    expect(rendered.html).toContain('Unsubscribe');
    expect(rendered.headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
  });

  it('answers 400 with the MJML problem for MJML that does not compile', async () => {
    const response = await api('/templates', { method: 'POST', body: { name: 'Broken', subject: 'x', mjml: '<mjml><mj-body><mj-section><mj-text>not in a column</mj-text></mj-section></mj-body></mjml>' } });
    expect(response.status).toBe(400);
    expect((response.body as { errors: { path: string }[] }).errors[0]!.path).toBe('body.mjml');
  });
});

describe('one-shot campaigns on the local stack', () => {
  it('sends exactly one email with one-click unsubscribe headers to each of 200 eligible segment members, and skips the rest with reasons', async () => {
    const tag = marker();
    const people = Array.from({ length: 200 }, (_, i) => ({ email: `${tag}-${i}@example.com`, firstName: `Ada${i}`, tags: [tag], consents: consent }));
    await importPeople([...people, { email: `${tag}-noconsent@example.com`, tags: [tag] }, { email: `${tag}-suppressed@example.com`, tags: [tag], consents: consent }]);
    await api('/suppressions', { method: 'POST', body: { email: `${tag}-suppressed@example.com`, reason: 'manual' } });
    const segmentId = await segmentOf(tag, 202);
    const id = await oneShot(segmentId, await template());

    await eventually(async () => expect((await api(`/campaigns/${id}`)).body).toMatchObject({ status: 'sent' }), 30_000);
    expect(await stats(id)).toMatchObject({ targeted: 202, sent: 200, skipped: { 'no-consent': 1, suppressed: 1 } });
    const all = await mailbox(tag);
    const mails = people.map((p) => all.filter((m) => m.to[0] === p.email));
    expect(mails.every((m) => m.length === 1)).toBe(true);
    expect(all).toHaveLength(200);
    expect(await mailTo(`${tag}-noconsent@example.com`)).toEqual([]);
    const first = mails[0]![0]!;
    expect(first.subject).toBe('Hello Ada0');
    expect(first.headers['list-unsubscribe']).toMatch(/^<http:\/\/localhost:\d+\/u\/[\w-]+\.[\w-]+>$/);
    expect(first.headers['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');
    expect(first.headers['reply-to']).toMatch(/^reply\+[\w-]{51}@reply\.talent-relay\.local$/);
    expect(first.text).toContain('Hi Ada0');
    await eventually(async () => expect((await stats(id)).delivered).toBe(200));
    const sent = (await api(`/campaigns/${id}/recipients?status=delivered&limit=200`)).body as { items: unknown[] };
    expect(sent.items).toHaveLength(200);
  }, 120_000); // an import, a segment backfill and a send of 200, while every other file runs on the same local stack

  it('counts an open, a click, a bounce and a complaint once even when SES delivers each twice, tells machine opens apart, and suppresses the complainer', async () => {
    const tag = marker();
    const people = ['open', 'bounce', 'complain'].map((who) => ({ email: `${tag}-${who}@example.com`, tags: [tag], consents: consent }));
    await importPeople(people);
    const segmentId = await segmentOf(tag, 3);
    const templateId = await template();
    const id = await oneShot(segmentId, templateId);
    await eventually(async () => expect((await stats(id)).delivered).toBe(3));
    const [opener, bouncer, complainer] = await Promise.all(people.map(async (p) => (await mailTo(p.email))[0]!));
    const later = new Date(Date.now() + 60_000).toISOString();

    for (let twice = 0; twice < 2; twice++) {
      await sesEvent(opener!.messageId, 'Open', { open: { timestamp: later } });
      await sesEvent(opener!.messageId, 'Open', { open: { timestamp: later, userAgent: 'Mozilla/5.0', ipAddress: '17.58.63.12' } });
      await sesEvent(opener!.messageId, 'Click', { click: { timestamp: later, link: 'https://careers.example.com/jobs/1' } });
      await sesEvent(bouncer!.messageId, 'Bounce');
      await sesEvent(complainer!.messageId, 'Complaint');
    }
    await eventually(async () =>
      expect(await stats(id)).toMatchObject({ delivered: 3, opened: { human: 1, machine: 1 }, clicked: 1, bounced: 1, complained: 1 }),
    );
    const clicked = (await api(`/campaigns/${id}/recipients?status=clicked`)).body as { items: { email: string; clickedUrl: string }[] };
    expect(clicked.items).toEqual([expect.objectContaining({ email: opener!.to[0], clickedUrl: 'https://careers.example.com/jobs/1' })]);
    await eventually(async () => expect(((await api('/suppressions?limit=200')).body as { items: { email: string }[] }).items.map((s) => s.email)).toEqual(expect.arrayContaining([`${tag}-bounce@example.com`, `${tag}-complain@example.com`])));

    const next = await oneShot(segmentId, templateId);
    await eventually(async () => expect((await api(`/campaigns/${next}`)).body).toMatchObject({ status: 'sent' }));
    expect(await stats(next)).toMatchObject({ sent: 1, skipped: { suppressed: 2 } });
    expect((await mailTo(`${tag}-complain@example.com`))).toHaveLength(1);
  });

  it('sends exactly once per recipient when a send task crashes between claiming and sending and is retried', async () => {
    const tag = marker();
    const people = Array.from({ length: 60 }, (_, i) => ({ email: `${tag}-${i}@example.com`, tags: [tag], consents: consent }));
    await importPeople(people);
    const segmentId = await segmentOf(tag, 60);
    // The contacts read comes after the claims and before SES: failing it is a crash between claim and send.
    await local('/_local/faults', { function: 'campaigns-send-worker', command: 'BatchGetItemCommand', times: 3 });
    try {
      const id = await oneShot(segmentId, await template());
      await eventually(async () => expect((await api(`/campaigns/${id}`)).body).toMatchObject({ status: 'sent' }), 30_000);
      expect((await firedFaults()).find((f) => f.function === 'campaigns-send-worker')?.failed).toBe(3);
      expect(await stats(id)).toMatchObject({ targeted: 60, sent: 60 });
      const all = await mailbox(tag);
      expect(people.every((p) => all.filter((m) => m.to[0] === p.email).length === 1)).toBe(true);
      expect(all).toHaveLength(60);
    } finally {
      await local('/_local/faults?function=campaigns-send-worker', undefined, 'DELETE');
    }
  });

  it('sends at a local time inside the send window in each recipient\'s own time zone', async () => {
    const tag = marker();
    const zones = ['Asia/Tokyo', 'America/Los_Angeles', 'Europe/Berlin'];
    await importPeople(zones.map((timezone, i) => ({ email: `${tag}-${i}@example.com`, timezone, tags: [tag], consents: consent })));
    const segmentId = await segmentOf(tag, 3);
    const sendAt = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 11) + '07:30:00.000Z';
    const created = await api('/campaigns', {
      method: 'POST',
      body: { name: 'Local morning', kind: 'one-shot', audience: { segmentId }, templateId: await template(), sendAt, timeZone: 'UTC', recipientTimeZone: true, sendWindow: { start: '09:00', end: '11:00' } },
    });
    const id = (created.body as { id: string }).id;
    expect((await api(`/campaigns/${id}/launch`, { method: 'POST' })).status).toBe(200);
    await eventually(async () => expect((await api(`/campaigns/${id}`)).body).toMatchObject({ status: 'sent' }), 30_000);
    const sent = ((await api(`/campaigns/${id}/recipients?limit=10`)).body as { items: { email: string; scheduledAt: string }[] }).items;
    expect(sent).toHaveLength(3);
    for (const recipient of sent) {
      const zone = zones[Number(recipient.email.split('@')[0]!.split('-').at(-1))]!;
      const local = new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(recipient.scheduledAt));
      expect(local, zone).toBe('09:00');
    }
  });

  it('refuses to launch an empty audience, a campaign already launched, or one whose template is missing', async () => {
    const emptyTag = marker();
    const segmentId = await segmentOf(emptyTag, 0);
    const templateId = await template();
    const created = await api('/campaigns', { method: 'POST', body: { name: 'Nobody', kind: 'one-shot', audience: { segmentId }, templateId } });
    const id = (created.body as { id: string }).id;
    const empty = await api(`/campaigns/${id}/launch`, { method: 'POST' });
    expect(empty.status).toBe(422);
    expect(empty.headers.get('content-type')).toContain('application/problem+json');
    const missing = await api('/campaigns', { method: 'POST', body: { name: 'x', kind: 'one-shot', audience: { segmentId }, templateId: 'tpl_01JAAAAAAAAAAAAAAAAAAAAAAA' } });
    expect(missing.status).toBe(422);
  });
});

describe('pausing, resuming and cancelling', () => {
  it('a paused send holds, a resumed one finishes without sending anyone twice, and a sent campaign can no longer be cancelled', async () => {
    const tag = marker();
    const people = Array.from({ length: 40 }, (_, i) => ({ email: `${tag}-${i}@example.com`, tags: [tag], consents: consent }));
    await importPeople(people);
    const segmentId = await segmentOf(tag, 40);
    const id = await oneShot(segmentId, await template());
    const paused = await api(`/campaigns/${id}/pause`, { method: 'POST' });
    expect([200, 409]).toContain(paused.status);
    if (paused.status === 200) {
      expect((await api(`/campaigns/${id}/launch`, { method: 'POST' })).status).toBe(409);
      expect((await api(`/campaigns/${id}/resume`, { method: 'POST' })).status).toBe(200);
    }
    await eventually(async () => expect((await api(`/campaigns/${id}`)).body).toMatchObject({ status: 'sent' }), 30_000);
    const all = await mailbox(tag);
    expect(people.every((p) => all.filter((m) => m.to[0] === p.email).length === 1)).toBe(true);
    expect((await api(`/campaigns/${id}/cancel`, { method: 'POST' })).status).toBe(409);
  });
});

describe('replies', () => {
  it('an out-of-office answer is not a reply: only what the person wrote is counted', async () => {
    const tag = marker();
    const email = `${tag}-away@example.com`;
    await importPeople([{ email, tags: [tag], consents: consent }]);
    const segmentId = await segmentOf(tag, 1);
    const id = await oneShot(segmentId, await template());
    await eventually(async () => expect((await stats(id)).delivered).toBe(1));
    const first = (await mailTo(email))[0]!;
    const raw = [`From: <${email}>`, `To: ${first.headers['reply-to']}`, 'Subject: Automatic reply: Hello', 'Auto-Submitted: auto-replied', '', 'I am out of the office until Monday.'].join('\r\n');
    expect((await fetch(`${inject('apiUrl')}/_local/inbound`, { method: 'POST', body: raw })).status).toBe(202);
    const real = [`From: <${email}>`, `To: ${first.headers['reply-to']}`, 'Subject: Re: Hello', '', 'Thanks, tell me more.'].join('\r\n');
    expect((await fetch(`${inject('apiUrl')}/_local/inbound`, { method: 'POST', body: real })).status).toBe(202);
    await eventually(async () => expect((await stats(id)).replied).toBe(1));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await stats(id)).replied).toBe(1);
  });
});

describe('unsubscribe and preferences', () => {
  it('the preference page saves topics and frequency, and a campaign on a topic the person turned off skips them', async () => {
    const tag = marker();
    const email = `${tag}-prefs@example.com`;
    await importPeople([{ email, tags: [tag], consents: consent }]);
    const segmentId = await segmentOf(tag, 1);
    const templateId = await template();
    const first = await oneShot(segmentId, templateId);
    await eventually(async () => expect((await stats(first)).sent).toBe(1));
    // The unsubscribe page offers the preference page instead.
    const unsubscribe = new URL((await mailTo(email))[0]!.headers['list-unsubscribe']!.slice(1, -1)).pathname;
    const offer = String((await api(unsubscribe, { token: null })).body);
    const preferences = new URL(/href="([^"]*\/public\/preferences\/[^"]+)"/.exec(offer)![1]!).pathname;
    const page = await api(preferences, { token: null });
    expect(page.status).toBe(200);
    expect(String(page.body)).toContain('name="topics"');
    const saved = await api(preferences, { method: 'POST', token: null, rawBody: 'topics=job-alerts&frequency=monthly', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(saved.status).toBe(200);
    expect(String(saved.body)).toContain('saved');
    const created = await api('/campaigns', { method: 'POST', body: { name: 'Newsletter', kind: 'one-shot', topic: 'newsletter', audience: { segmentId }, templateId } });
    const id = (created.body as { id: string }).id;
    await api(`/campaigns/${id}/launch`, { method: 'POST' });
    await eventually(async () => expect(await stats(id)).toMatchObject({ sent: 0, skipped: { 'topic-off': 1 } }));
  });

  it('a GET only shows a page; a one-click POST unsubscribes without login and later campaigns skip the person; a tampered token changes nothing', async () => {
    const tag = marker();
    const email = `${tag}-leaver@example.com`;
    await importPeople([{ email, tags: [tag], consents: consent }]);
    const segmentId = await segmentOf(tag, 1);
    const templateId = await template();
    const first = await oneShot(segmentId, templateId);
    await eventually(async () => expect((await stats(first)).sent).toBe(1));
    const url = (await mailTo(email))[0]!.headers['list-unsubscribe']!.slice(1, -1);
    const path = new URL(url).pathname;

    const page = await api(path, { token: null });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(String(page.body)).toContain('<form method="post"');
    expect(((await api(`/suppressions?limit=200`)).body as { items: { email: string }[] }).items.some((s) => s.email === email)).toBe(false);

    const tampered = await api(`${path.slice(0, -2)}xx`, { method: 'POST', token: null, rawBody: 'List-Unsubscribe=One-Click', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(tampered.status).toBe(400);

    const oneClick = await api(path, { method: 'POST', token: null, rawBody: 'List-Unsubscribe=One-Click', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(oneClick.status).toBe(200);
    await eventually(async () => expect((await stats(first)).unsubscribed).toBe(1));
    const second = await oneShot(segmentId, templateId);
    await eventually(async () => expect(await stats(second)).toMatchObject({ sent: 0, skipped: { unsubscribed: 1 } }));
  });
});

describe('drip sequences on Step Functions', () => {
  const dripTemplate = async (n: number) => template(`Step ${n} for {{firstName|default:"you"}}`);

  async function drip(segmentId: string, steps: { templateId: string; delay: string; sendWindow?: unknown }[], extra: Record<string, unknown> = {}) {
    const created = await api('/campaigns', { method: 'POST', body: { name: 'Nurture drip', kind: 'drip', audience: { segmentId }, steps, ...extra } });
    expect(created.status).toBe(201);
    const id = (created.body as { id: string }).id;
    expect((await api(`/campaigns/${id}/launch`, { method: 'POST' })).status).toBe(200);
    return id;
  }
  const enrollment = async (id: string, candidateId: string) =>
    ((await api(`/campaigns/${id}/enrollments`)).body as { items: { candidateId: string; state: string; step: number; stoppedReason?: string }[] }).items.find((e) => e.candidateId === candidateId);

  it('enrols a newcomer when they enter the segment and sends three steps two days apart inside their send window, in their time zone', async () => {
    const tag = marker();
    const segmentId = await segmentOf(tag, 0);
    const window = { start: '09:00', end: '11:00', days: ['mon', 'tue', 'wed', 'thu', 'fri'] };
    const templates = await Promise.all([1, 2, 3].map(dripTemplate));
    const id = await drip(segmentId, templates.map((templateId, i) => ({ templateId, delay: i === 0 ? 'PT0M' : 'P2D', sendWindow: window })));
    const email = `${tag}-new@example.com`;
    const joined = await api('/candidates', { method: 'POST', body: { email, firstName: 'Grace', tags: [tag], timezone: 'Asia/Tokyo', consents: consent } });
    const candidateId = (joined.body as { id: string }).id;

    await eventually(async () => expect(await enrollment(id, candidateId)).toMatchObject({ state: 'completed', step: 3 }), 45_000);
    const subjects = (await mailTo(email)).map((m) => m.subject);
    expect(subjects).toEqual(['Step 1 for Grace', 'Step 2 for Grace', 'Step 3 for Grace']);
    const recipients = ((await api(`/campaigns/${id}/recipients`)).body as { items: { scheduledAt: string }[] }).items;
    const local = recipients.map((r) => new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Tokyo', weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(r.scheduledAt)));
    for (const when of local) expect(when).toMatch(/^(Mon|Tue|Wed|Thu|Fri) (09|10):\d\d$/);
    const times = recipients.map((r) => Date.parse(r.scheduledAt)).sort();
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(2 * 86_400_000);
  }, 60_000);

  for (const stop of ['reply', 'apply', 'unsubscribe'] as const) {
    it(`stops a person's drip when they ${stop}`, async () => {
      const tag = marker();
      const segmentId = await segmentOf(tag, 0);
      const templates = await Promise.all([1, 2].map(dripTemplate));
      const id = await drip(segmentId, [{ templateId: templates[0]!, delay: 'PT0M' }, { templateId: templates[1]!, delay: 'P14D' }]);
      const email = `${tag}-${stop}@example.com`;
      const joined = await api('/candidates', { method: 'POST', body: { email, firstName: 'Linus', tags: [tag], consents: consent } });
      const candidateId = (joined.body as { id: string }).id;
      await eventually(async () => expect(await mailTo(email)).toHaveLength(1), 20_000);
      const first = (await mailTo(email))[0]!;

      if (stop === 'reply') {
        const raw = [`From: Linus <${email}>`, `To: ${first.headers['reply-to']}`, `Subject: Re: ${first.subject}`, `Message-ID: <${randomUUID()}@example.com>`, 'Content-Type: text/plain; charset=utf-8', '', 'Yes, I am interested. Can we talk on Friday?', '', 'On Mon, 1 Dec 2026 at 09:00, Talent Relay wrote:', '> Step 1'].join('\r\n');
        const delivered = await fetch(`${inject('apiUrl')}/_local/inbound`, { method: 'POST', headers: { 'content-type': 'message/rfc822' }, body: raw });
        expect(delivered.status).toBe(202);
      } else if (stop === 'apply') {
        expect((await api(`/candidates/${candidateId}/applications`, { method: 'POST', body: { jobId: 'job_01JAAAAAAAAAAAAAAAAAAAAAAA' } })).status).toBe(201);
      } else {
        const path = new URL(first.headers['list-unsubscribe']!.slice(1, -1)).pathname;
        expect((await api(path, { method: 'POST', token: null, rawBody: 'List-Unsubscribe=One-Click', headers: { 'content-type': 'application/x-www-form-urlencoded' } })).status).toBe(200);
      }
      await eventually(async () => expect(await enrollment(id, candidateId)).toMatchObject({ state: 'stopped', stoppedReason: stop }), 20_000);
      expect(await stats(id)).toMatchObject(stop === 'reply' ? { replied: 1 } : stop === 'apply' ? { applied: 1 } : { unsubscribed: 1 });
      if (stop === 'reply') {
        const timeline = (await api(`/candidates/${candidateId}/timeline`)).body as { items: { type?: string; data?: { text?: string } }[] };
        await eventually(async () => {
          const entries = ((await api(`/candidates/${candidateId}/timeline`)).body as typeof timeline).items;
          expect(entries.find((e) => e.type === 'email-reply')?.data?.text).toBe('Yes, I am interested. Can we talk on Friday?');
        });
      }
      // The second step would have been due 14 days later: 12 s at this time scale. It never comes.
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(await mailTo(email)).toHaveLength(1);
    }, 60_000);
  }
});
