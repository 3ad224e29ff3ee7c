import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ErasureReason } from '../../functions/privacy/domain/ports.ts';
import { oneMonthAfter, requestService, type PrivacyRequestStore } from '../../functions/privacy/domain/request-service.ts';
import type { CandidateExport, PrivacyRequest } from '../../functions/privacy/schemas.ts';

const publicApiUrl = 'https://api.acme-recruiting.com';
const received = '2026-01-31T09:30:00.000Z';
/** Stands in for the keyed hash: one-way, so the address cannot be read back from what is stored. */
const hashOf = (value: string) => createHash('sha256').update(value.trim().toLowerCase()).digest('hex');
const ada = { email: 'ada.lovelace@example.com', candidateId: 'cand_01JDX5Q9S3P5W7V9X1Z3B5D7F9' };

const anExport = (email = ada.email): CandidateExport => ({
  exportedAt: received,
  format: 'talent-relay-export/1',
  resume: { basics: { name: 'Ada Lovelace', email }, work: [], education: [], skills: [{ name: 'mathematics' }] },
  profile: { id: ada.candidateId, email, firstName: 'Ada', lastName: 'Lovelace' },
  consents: [], timeline: [], emails: [], applications: [], tasks: [], events: [], surveys: [], tags: [], pools: [], segments: [], drips: [], notices: [], audit: [], files: [], other: [],
});

/** An in-memory store that behaves like the table: claims are atomic, lists are newest first. */
function memoryStore() {
  const items = new Map<string, PrivacyRequest & { claimedAt?: string }>();
  const store: PrivacyRequestStore = {
    async save(request) {
      items.set(request.id, { ...request });
    },
    async get(id) {
      const item = items.get(id);
      if (!item) return undefined;
      const { claimedAt, ...request } = item;
      return request;
    },
    async claim(id, at, staleBefore) {
      const item = items.get(id);
      if (!item || item.status !== 'awaiting-confirmation' || (item.claimedAt && item.claimedAt >= staleBefore)) return false;
      item.claimedAt = at;
      return true;
    },
    async complete(id, at) {
      const { claimedAt, ...request } = items.get(id)!;
      items.set(id, { ...request, status: 'completed', completedAt: at });
    },
    async list({ status, receivedBefore, receivedSince }, page) {
      const matching = [...items.values()]
        .filter((r) => (!status || r.status === status) && (!receivedBefore || r.receivedAt < receivedBefore) && (!receivedSince || r.receivedAt >= receivedSince))
        .sort((a, b) => `${b.receivedAt}#${b.id}`.localeCompare(`${a.receivedAt}#${a.id}`))
        .map(({ claimedAt, ...request }) => request);
      return { items: matching.slice(0, page.limit) };
    },
  };
  return { store, items };
}

function aService(options: { known?: Record<string, string>; exported?: CandidateExport | undefined } = {}) {
  let now = received;
  let counter = 0;
  let failingMails = 0;
  const { store, items } = memoryStore();
  const mails: { to: string; subject: string; text: string; html: string }[] = [];
  const erasures: { candidateId: string; reason: ErasureReason; actor: string }[] = [];
  const exportsAsked: { candidateId: string; minutes: number }[] = [];
  const published: { candidateId: string; requestId: string; document: CandidateExport; days: number }[] = [];
  const known = options.known ?? { [ada.email]: ada.candidateId };
  const service = requestService({
    requests: store,
    candidates: { candidateIdOf: async (email) => known[email] },
    personData: {
      async export(candidateId, minutes) {
        exportsAsked.push({ candidateId, minutes });
        return 'exported' in options ? options.exported : anExport();
      },
    },
    erasures: {
      async start(candidateId, reason, actor) {
        erasures.push({ candidateId, reason, actor });
        return { candidateId, status: 'running', requestedAt: now, steps: [] };
      },
      status: async () => undefined,
      isErased: async () => false,
    },
    exports: {
      async publish(candidateId, requestId, document, days) {
        published.push({ candidateId, requestId, document, days });
        return { url: `https://documents.s3.amazonaws.com/exports/${candidateId}/${requestId}.json?X-Amz-Signature=abc`, expiresAt: '2026-02-07T09:35:00.000Z' };
      },
    },
    mailer: {
      async send(message) {
        if (failingMails > 0) {
          failingMails--;
          throw new Error('SES is throttling');
        }
        mails.push(message);
      },
    },
    // A token is the request id and its expiry; a forged one names no expiry it was given.
    signer: {
      sign: async (id, days) => `${id}.${Date.parse(now) + days * 86_400_000}`,
      async verify(token) {
        const [id, expiry] = token.split('.');
        return id && Number(expiry) > Date.parse(now) && id.startsWith('prq_') ? id : undefined;
      },
    },
    hashIdentifier: async (value) => hashOf(value),
    org: () => ({ name: 'Acme Talent' }),
    publicApiUrl: () => publicApiUrl,
    clock: { now: () => now },
    ids: { next: (prefix) => `${prefix}_01JDX5Q8R2N4V6T8W0Y2A4C6E${++counter}` },
  });
  const later = (minutes: number) => {
    now = new Date(Date.parse(now) + minutes * 60_000).toISOString();
  };
  const tokenIn = (mail: { text: string }) => new RegExp(`${publicApiUrl}/public/privacy/confirm/(\\S+)`).exec(mail.text)?.[1];
  const failNextMail = () => {
    failingMails = 1;
  };
  return { service, items, mails, erasures, exportsAsked, published, later, tokenIn, failNextMail };
}

describe('a self-service privacy request', () => {
  it('for a known address is stored awaiting confirmation with a deadline one month out, and emails a link that names only the request', async () => {
    const { service, items, mails, tokenIn } = aService();
    await service.receive({ email: ada.email, type: 'erasure' });

    const [request] = [...items.values()];
    expect(request).toEqual({
      id: 'prq_01JDX5Q8R2N4V6T8W0Y2A4C6E1', type: 'erasure', status: 'awaiting-confirmation', receivedAt: received,
      deadline: '2026-02-28T09:30:00.000Z', candidateId: ada.candidateId, emailHash: hashOf(ada.email),
    });
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({ to: ada.email, subject: 'Confirm your request to erase your data' });
    expect(tokenIn(mails[0]!)).toBe(`${request!.id}.${Date.parse(received) + 7 * 86_400_000}`);
  });

  it('never keeps the address itself, only its salted hash', async () => {
    const { service, items } = aService();
    await service.receive({ email: ada.email, type: 'access' });
    await service.receive({ email: 'nobody@example.com', type: 'access' });
    expect(JSON.stringify([...items.values()])).not.toMatch(/ada\.lovelace|nobody/);
  });

  it('for an unknown address is stored as unverified and sends nothing', async () => {
    const { service, items, mails } = aService();
    await service.receive({ email: 'nobody@example.com', type: 'access' });
    expect([...items.values()]).toEqual([expect.objectContaining({ status: 'unverified', emailHash: hashOf('nobody@example.com') })]);
    expect([...items.values()][0]).not.toHaveProperty('candidateId');
    expect(mails).toEqual([]);
  });

  it('with the honeypot filled stores nothing and sends nothing', async () => {
    const { service, items, mails } = aService();
    await service.receive({ email: ada.email, type: 'erasure', website: 'https://spam.example' });
    expect(items.size).toBe(0);
    expect(mails).toEqual([]);
  });
});

describe('the deadline', () => {
  it('is the same day of the next month, or its last day when it has none', () => {
    expect(oneMonthAfter('2026-03-15T10:00:00.000Z')).toBe('2026-04-15T10:00:00.000Z');
    expect(oneMonthAfter('2026-01-31T23:59:59.999Z')).toBe('2026-02-28T23:59:59.999Z');
    expect(oneMonthAfter('2028-01-31T08:00:00.000Z')).toBe('2028-02-29T08:00:00.000Z');
    expect(oneMonthAfter('2026-03-31T08:00:00.000Z')).toBe('2026-04-30T08:00:00.000Z');
    expect(oneMonthAfter('2026-12-20T08:00:00.000Z')).toBe('2027-01-20T08:00:00.000Z');
  });
});

describe('following the link', () => {
  it('shows what confirming will do and changes nothing', async () => {
    const { service, items, mails, erasures, exportsAsked, tokenIn } = aService();
    await service.receive({ email: ada.email, type: 'access' });
    const before = JSON.stringify([...items.values()]);
    expect(await service.review(tokenIn(mails[0]!)!)).toEqual({ outcome: 'ready', type: 'access' });
    expect(JSON.stringify([...items.values()])).toBe(before);
    expect([mails.length, erasures.length, exportsAsked.length]).toEqual([1, 0, 0]);
  });

  it('with a forged or expired token is refused, and confirming it changes nothing', async () => {
    const { service, items, mails, erasures, later, tokenIn } = aService();
    await service.receive({ email: ada.email, type: 'erasure' });
    const token = tokenIn(mails[0]!)!;
    const forged = `prq_01JDX5Q8R2N4V6T8W0Y2A4C6E9.${Date.parse(received) + 86_400_000}`;
    expect(await service.review(forged)).toEqual({ outcome: 'invalid' });
    expect(await service.confirm(forged)).toEqual({ outcome: 'invalid' });
    later(7 * 24 * 60 + 1);
    expect(await service.review(token)).toEqual({ outcome: 'invalid' });
    expect(await service.confirm(token)).toEqual({ outcome: 'invalid' });
    expect(erasures).toEqual([]);
    expect([...items.values()][0]).toMatchObject({ status: 'awaiting-confirmation' });
  });
});

describe('confirming', () => {
  it('an erasure starts it at once as the person\'s request and completes the request', async () => {
    const { service, items, mails, erasures, later, tokenIn } = aService();
    await service.receive({ email: ada.email, type: 'erasure' });
    later(60);
    expect(await service.confirm(tokenIn(mails[0]!)!)).toEqual({ outcome: 'erased' });
    expect(erasures).toEqual([{ candidateId: ada.candidateId, reason: 'request', actor: 'public' }]);
    expect([...items.values()][0]).toMatchObject({ status: 'completed', completedAt: '2026-01-31T10:30:00.000Z' });
  });

  it('an access request exports with week-long file links, publishes the export and emails its download link to the person', async () => {
    const { service, items, mails, exportsAsked, published, tokenIn } = aService();
    await service.receive({ email: ada.email, type: 'access' });
    const request = [...items.values()][0]!;
    expect(await service.confirm(tokenIn(mails[0]!)!)).toEqual({ outcome: 'sent' });
    expect(exportsAsked).toEqual([{ candidateId: ada.candidateId, minutes: 7 * 24 * 60 }]);
    expect(published).toEqual([{ candidateId: ada.candidateId, requestId: request.id, document: anExport(), days: 7 }]);
    expect(mails[1]).toMatchObject({ to: ada.email, subject: 'Your data: a copy of everything we hold about you' });
    expect(mails[1]!.text).toContain(`https://documents.s3.amazonaws.com/exports/${ada.candidateId}/${request.id}.json?X-Amz-Signature=abc`);
    expect(mails[1]!.text).toContain('2026-02-07');
    expect([...items.values()][0]).toMatchObject({ status: 'completed' });
  });

  it('an access request sends the copy to the address now on the record', async () => {
    const { service, mails, tokenIn } = aService({ exported: anExport('ada@lovelace.example') });
    await service.receive({ email: ada.email, type: 'access' });
    await service.confirm(tokenIn(mails[0]!)!);
    expect(mails[1]).toMatchObject({ to: 'ada@lovelace.example' });
  });

  it('an access request for someone no longer held completes it without an email', async () => {
    const { service, items, mails, published, tokenIn } = aService({ exported: undefined });
    await service.receive({ email: ada.email, type: 'access' });
    expect(await service.confirm(tokenIn(mails[0]!)!)).toEqual({ outcome: 'no-data' });
    expect(published).toEqual([]);
    expect(mails).toHaveLength(1);
    expect([...items.values()][0]).toMatchObject({ status: 'completed' });
  });

  it('a second time says it is done and sends no second email', async () => {
    const { service, mails, published, tokenIn } = aService();
    await service.receive({ email: ada.email, type: 'access' });
    const token = tokenIn(mails[0]!)!;
    await service.confirm(token);
    expect(await service.confirm(token)).toEqual({ outcome: 'done' });
    expect(await service.review(token)).toEqual({ outcome: 'done' });
    expect(mails).toHaveLength(2);
    expect(published).toHaveLength(1);
  });

  it('twice at the same moment carries the request out once', async () => {
    const { service, mails, erasures, tokenIn } = aService();
    await service.receive({ email: ada.email, type: 'erasure' });
    const token = tokenIn(mails[0]!)!;
    const outcomes = await Promise.all([service.confirm(token), service.confirm(token)]);
    expect(outcomes.map((o) => o.outcome).sort()).toEqual(['done', 'erased']);
    expect(erasures).toHaveLength(1);
  });

  it('after a crash midway is finished by confirming again a few minutes later', async () => {
    const { service, items, mails, later, tokenIn, failNextMail } = aService();
    await service.receive({ email: ada.email, type: 'access' });
    const token = tokenIn(mails[0]!)!;
    failNextMail();
    await expect(service.confirm(token)).rejects.toThrow('SES is throttling');
    expect([...items.values()][0]).toMatchObject({ status: 'awaiting-confirmation' });
    expect(await service.confirm(token)).toEqual({ outcome: 'done' });
    later(6);
    expect(await service.confirm(token)).toEqual({ outcome: 'sent' });
    expect(mails).toHaveLength(2);
  });
});

describe('the list of requests', () => {
  it('shows an unconfirmed request whose link lapsed as expired, and filters on it', async () => {
    const { service, later } = aService({ known: { [ada.email]: ada.candidateId, 'grace@example.com': 'cand_01JDX5QB7C9E1G3J5M7P9R1T3V' } });
    await service.receive({ email: ada.email, type: 'access' });
    later(8 * 24 * 60);
    await service.receive({ email: 'grace@example.com', type: 'erasure' });
    await service.receive({ email: 'nobody@example.com', type: 'erasure' });

    const all = await service.list({ limit: 50 });
    expect(all.items.map((r) => [r.type, r.status])).toEqual([['erasure', 'unverified'], ['erasure', 'awaiting-confirmation'], ['access', 'expired']]);
    expect((await service.list({ limit: 50, status: 'expired' })).items.map((r) => r.type)).toEqual(['access']);
    expect((await service.list({ limit: 50, status: 'awaiting-confirmation' })).items.map((r) => r.type)).toEqual(['erasure']);
    expect(all.items[2]).toMatchObject({ deadline: '2026-02-28T09:30:00.000Z' });
  });
});
