import { createHmac } from 'node:crypto';
import { describe, expect, inject, it } from 'vitest';
import { aCandidateInput } from '../fixtures/builders.ts';
import { api, eventually } from './helpers.ts';

interface Mail { subject: string; text: string }
interface ListedRequest { id: string; type: string; status: string; receivedAt: string; deadline: string; completedAt?: string; candidateId?: string; emailHash: string }

/** The local stack's link-signing key (infra/local/stack.ts), which also keys the stored hash of an address. */
const LOCAL_SIGNING_KEY = 'talent-relay-local-link-signing-key';
const hashOf = (email: string) => createHmac('sha256', LOCAL_SIGNING_KEY).update(email.trim().toLowerCase()).digest('hex');

const mailTo = async (to: string) => ((await (await fetch(`${inject('apiUrl')}/_local/mail?to=${encodeURIComponent(to)}`)).json()) as { items: Mail[] }).items;
const confirmLinkIn = (mail: Mail) => /https?:\/\/\S+\/public\/privacy\/confirm\/[\w.-]+/.exec(mail.text)?.[0];
const downloadLinkIn = (mail: Mail) => /https?:\/\/\S+\/public\/privacy\/files\/\S+/.exec(mail.text)?.[0];
const page = async (url: string, method: 'GET' | 'POST' = 'GET') => {
  const response = await fetch(url, method === 'POST' ? { method, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '' } : {});
  return { status: response.status, type: response.headers.get('content-type'), text: await response.text() };
};

/** A person asking as the public form does; the endpoint is rate limited, so a polite client waits when told to. */
async function ask(fields: Record<string, string>, as: 'form' | 'json' = 'json') {
  for (;;) {
    const response =
      as === 'form'
        ? await api('/public/privacy/requests', { method: 'POST', token: null, rawBody: new URLSearchParams(fields).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } })
        : await api('/public/privacy/requests', { method: 'POST', token: null, body: fields });
    if (response.status !== 429) return response;
    await new Promise((resolve) => setTimeout(resolve, Number(response.headers.get('retry-after') ?? 1) * 1000));
  }
}

async function aPerson() {
  const created = await api('/candidates', { method: 'POST', body: aCandidateInput() });
  expect(created.status).toBe(201);
  return created.body as { id: string; email: string };
}

/** The requests made for an address, found by the salted hash that stands in for it. */
async function requestsFor(email: string, status?: string): Promise<ListedRequest[]> {
  const listed = await api(`/privacy/requests?limit=200${status ? `&status=${status}` : ''}`, { role: 'admin' });
  expect(listed.status).toBe(200);
  return (listed.body as { items: ListedRequest[] }).items.filter((request) => request.emailHash === hashOf(email));
}

/** The link of the one confirmation email sent to the address. */
async function confirmationLink(email: string): Promise<string> {
  let mails: Mail[] = [];
  await eventually(async () => {
    mails = await mailTo(email);
    expect(mails).toHaveLength(1);
  });
  return confirmLinkIn(mails[0]!)!;
}

describe('self-service privacy requests', () => {
  it('answer 202 with the same message for a known address, an unknown one and a bot; only the known one gets an email', async () => {
    const known = await aPerson();
    const unknown = `nobody.${Date.now().toString(36)}@example.com`;
    const bot = `bot.${Date.now().toString(36)}@example.com`;

    const answers = [await ask({ email: known.email, type: 'erasure' }), await ask({ email: unknown, type: 'access' }, 'form'), await ask({ email: bot, type: 'access', website: 'https://spam.example' }, 'form')];
    expect(answers.map((answer) => answer.status)).toEqual([202, 202, 202]);
    expect(new Set(answers.map((answer) => JSON.stringify(answer.body))).size).toBe(1);

    expect((await mailTo(known.email)).map((mail) => mail.subject)).toEqual(['Confirm your request to erase your data']);
    expect(await mailTo(unknown)).toEqual([]);
    expect(await mailTo(bot)).toEqual([]);
  });

  it('are all tracked for the admin with their deadline, a hash in place of the address, unverified when the address is unknown; a bot\'s is not', async () => {
    const known = await aPerson();
    const unknown = `nobody.${Date.now().toString(36)}@example.com`;
    const bot = `bot.${Date.now().toString(36)}@example.com`;
    await ask({ email: known.email, type: 'access' });
    await ask({ email: unknown, type: 'erasure' });
    await ask({ email: bot, type: 'erasure', website: 'x' });

    const [mine] = await requestsFor(known.email);
    expect(mine).toMatchObject({ type: 'access', status: 'awaiting-confirmation', candidateId: known.id });
    const [theirs] = await requestsFor(unknown, 'unverified');
    expect(theirs).toMatchObject({ type: 'erasure', status: 'unverified' });
    expect(theirs).not.toHaveProperty('candidateId');
    const received = new Date(theirs!.receivedAt);
    expect(new Date(theirs!.deadline).getUTCMonth()).toBe((received.getUTCMonth() + 1) % 12);
    expect(await requestsFor(bot)).toEqual([]);
    const everything = JSON.stringify((await api('/privacy/requests?limit=200', { role: 'admin' })).body);
    expect(everything).not.toContain(known.email);
    expect(everything).not.toContain(unknown);
  });

  it('for access: the link shows a button and changes nothing; the button emails a download link to the person\'s data, once', async () => {
    const person = await aPerson();
    await ask({ email: person.email, type: 'access' });
    const link = await confirmationLink(person.email);

    const shown = await page(link);
    expect(shown.status).toBe(200);
    expect(shown.type).toContain('text/html');
    expect(shown.text).toMatch(/<form method="post" action="[\w.-]+"><button type="submit">Send me my data<\/button><\/form>/);
    expect(await page(link)).toMatchObject({ status: 200 });
    expect(await mailTo(person.email)).toHaveLength(1);
    expect(await requestsFor(person.email)).toEqual([expect.objectContaining({ status: 'awaiting-confirmation' })]);

    const confirmed = await page(link, 'POST');
    expect(confirmed.status).toBe(200);
    expect(confirmed.text).toContain('Your data is on its way');
    const mails = await mailTo(person.email);
    expect(mails.map((mail) => mail.subject)).toEqual(['Confirm your request for a copy of your data', 'Your data: a copy of everything we hold about you']);
    const download = await fetch(downloadLinkIn(mails[1]!)!);
    expect(download.status).toBe(200);
    const exported = (await download.json()) as { resume: { basics: { email: string } } };
    expect(exported.resume.basics.email).toBe(person.email);
    expect(await requestsFor(person.email, 'completed')).toEqual([expect.objectContaining({ status: 'completed', completedAt: expect.any(String) })]);

    const again = await page(link, 'POST');
    expect(again.status).toBe(400);
    expect(again.text).toContain('Already done');
    expect((await page(link)).status).toBe(400);
    expect(await mailTo(person.email)).toHaveLength(2);
  });

  it('for erasure: the button erases the person', async () => {
    const person = await aPerson();
    await ask({ email: person.email, type: 'erasure' });
    const link = await confirmationLink(person.email);
    expect((await page(link)).text).toContain('Erase my data');
    expect((await api(`/candidates/${person.id}`)).status).toBe(200);

    const confirmed = await page(link, 'POST');
    expect(confirmed.status).toBe(200);
    expect(confirmed.text).toContain('Your data is erased');
    await eventually(async () => expect((await api(`/candidates/${person.id}`)).status).toBe(404), 30_000);
    expect((await page(link, 'POST')).status).toBe(400);
  });

  it('refuse a forged link with a page that says so, and change nothing', async () => {
    const person = await aPerson();
    await ask({ email: person.email, type: 'erasure' });
    const link = await confirmationLink(person.email);
    const forged = `${link.slice(0, -3)}${link.endsWith('abc') ? 'xyz' : 'abc'}`;

    for (const method of ['GET', 'POST'] as const) {
      const refused = await page(forged, method);
      expect(refused.status).toBe(400);
      expect(refused.text).toContain('This link does not work');
    }
    expect((await api(`/candidates/${person.id}`)).status).toBe(200);
    expect(await requestsFor(person.email)).toEqual([expect.objectContaining({ status: 'awaiting-confirmation' })]);
  });

  it('are listed for admins only, a page at a time', async () => {
    expect((await api('/privacy/requests', { role: 'recruiter' })).status).toBe(403);
    await ask({ email: `nobody.${Date.now().toString(36)}a@example.com`, type: 'access' });
    await ask({ email: `nobody.${Date.now().toString(36)}b@example.com`, type: 'access' });
    const first = await api('/privacy/requests?limit=1', { role: 'admin' });
    const { items, nextCursor } = first.body as { items: ListedRequest[]; nextCursor?: string };
    expect(items).toHaveLength(1);
    const second = (await api(`/privacy/requests?limit=1&cursor=${nextCursor}`, { role: 'admin' })).body as { items: ListedRequest[] };
    expect(second.items).toHaveLength(1);
    expect(second.items[0]!.receivedAt <= items[0]!.receivedAt).toBe(true);
    expect(second.items[0]!.id).not.toBe(items[0]!.id);
  });
});
