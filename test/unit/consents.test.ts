import { describe, expect, it } from 'vitest';
import { monthsBetween } from '../../functions/privacy/adapters/consent-renewal-asks.ts';
import { consentService, type RenewalAsks } from '../../functions/privacy/domain/consent-service.ts';
import { addMonths, consentExpiry, consentState, renewalsDue, renewedExpiry, type StoredConsent } from '../../functions/privacy/domain/consents.ts';
import { RetentionSettings } from '../../functions/privacy/schemas.ts';
import { InvalidInput, NotFound } from '../../shared/errors.ts';
import { signToken, verifyToken, type TokenClaims } from '../../shared/tokens.ts';
import { aCandidate } from '../fixtures/builders.ts';

const settings = RetentionSettings.parse({ consentMonths: { 'marketing-email': 24, 'event-updates': 12 } });
const NOW = '2026-03-10T08:00:00.000Z';
const aConsent = (overrides: Partial<StoredConsent> = {}): StoredConsent => ({ purpose: 'marketing-email', granted: true, recordedAt: '2025-01-01T00:00:00.000Z', ...overrides });

describe('consent expiry', () => {
  it('lasts the purpose\'s period from the settings after it was given, in UTC', () => {
    expect(consentExpiry({ purpose: 'event-updates', granted: true }, '2026-03-10T08:00:00.000Z', settings)).toBe('2027-03-10T08:00:00.000Z');
  });

  it('lasts 24 months for a purpose the settings do not name', () => {
    expect(consentExpiry({ purpose: 'surveys', granted: true }, '2026-03-10T08:00:00.000Z', settings)).toBe('2028-03-10T08:00:00.000Z');
  });

  it('never lapses for a withdrawal', () => {
    expect(consentExpiry({ purpose: 'marketing-email', granted: false }, NOW, settings)).toBeUndefined();
  });

  it('ends on the last day of a shorter month', () => {
    expect(addMonths('2026-01-31T10:00:00.000Z', 1)).toBe('2026-02-28T10:00:00.000Z');
    expect(addMonths('2027-12-31T23:59:59.000Z', 2)).toBe('2028-02-29T23:59:59.000Z');
  });

  it('moves on by the period from the old expiry when renewed before it, and from now when renewed after', () => {
    expect(renewedExpiry(aConsent({ expiresAt: '2026-03-20T00:00:00.000Z' }), NOW, settings)).toBe('2028-03-20T00:00:00.000Z');
    expect(renewedExpiry(aConsent({ expiresAt: '2026-03-01T00:00:00.000Z' }), NOW, settings)).toBe('2028-03-10T08:00:00.000Z');
  });
});

describe('consent state', () => {
  it('lists every record newest first, and counts the latest per purpose', () => {
    const granted = aConsent({ recordedAt: '2025-01-01T00:00:00.000Z', expiresAt: '2027-01-01T00:00:00.000Z' });
    const withdrawn = aConsent({ granted: false, recordedAt: '2025-06-01T00:00:00.000Z' });
    const community = aConsent({ purpose: 'talent-community', recordedAt: '2025-03-01T00:00:00.000Z', expiresAt: '2027-03-01T00:00:00.000Z' });
    const state = consentState([granted, withdrawn, community], NOW);
    expect(state.items).toEqual([withdrawn, community, granted]);
    expect(state.current).toEqual({
      'marketing-email': { granted: false, expired: false, recordedAt: '2025-06-01T00:00:00.000Z' },
      'talent-community': { granted: true, expired: false, recordedAt: '2025-03-01T00:00:00.000Z', expiresAt: '2027-03-01T00:00:00.000Z' },
    });
  });

  it('marks a granted consent whose expiry has passed as expired', () => {
    const state = consentState([aConsent({ expiresAt: '2026-03-10T07:59:59.000Z' })], NOW);
    expect(state.current['marketing-email']).toMatchObject({ granted: true, expired: true });
  });

  it('takes the record stored last when two were recorded at the same instant', () => {
    const state = consentState([aConsent({ granted: true }), aConsent({ granted: false })], NOW);
    expect(state.current['marketing-email']!.granted).toBe(false);
    expect(state.items[0]!.granted).toBe(false);
  });
});

describe('renewals due', () => {
  it('selects the granted consents that lapse within 30 days, soonest first', () => {
    const soon = aConsent({ purpose: 'talent-community', expiresAt: '2026-04-09T08:00:00.000Z' });
    const sooner = aConsent({ expiresAt: '2026-03-20T00:00:00.000Z' });
    const later = aConsent({ purpose: 'event-updates', expiresAt: '2026-04-09T08:00:01.000Z' });
    expect(renewalsDue([soon, sooner, later], NOW)).toEqual([sooner, soon]);
  });

  it('ignores a consent that was renewed or withdrawn since: only the latest record counts', () => {
    const old = aConsent({ expiresAt: '2026-03-20T00:00:00.000Z' });
    expect(renewalsDue([old, aConsent({ recordedAt: '2026-03-01T00:00:00.000Z', expiresAt: '2028-03-20T00:00:00.000Z' })], NOW)).toEqual([]);
    expect(renewalsDue([old, aConsent({ granted: false, recordedAt: '2026-03-01T00:00:00.000Z' })], NOW)).toEqual([]);
  });

  it('leaves out a consent that already lapsed, unless lapsed ones are asked for', () => {
    const lapsed = aConsent({ expiresAt: '2026-03-01T00:00:00.000Z' });
    expect(renewalsDue([lapsed], NOW)).toEqual([]);
    expect(renewalsDue([lapsed], NOW, { includeLapsed: true })).toEqual([lapsed]);
  });

  it('leaves out a consent without an expiry', () => {
    expect(renewalsDue([aConsent()], NOW)).toEqual([]);
  });
});

describe('the expiry index partitions a renewal window reads', () => {
  it('are this month and next for most windows', () => {
    expect(monthsBetween('2026-03-10T08:00:00.000Z', '2026-04-09T08:00:00.000Z')).toEqual(['2026-03', '2026-04']);
  });

  it('are three months when 30 days from the end of January reach into March', () => {
    expect(monthsBetween('2026-01-31T08:00:00.000Z', '2026-03-02T08:00:00.000Z')).toEqual(['2026-01', '2026-02', '2026-03']);
  });

  it('cross the year', () => {
    expect(monthsBetween('2026-12-15T08:00:00.000Z', '2027-01-14T08:00:00.000Z')).toEqual(['2026-12', '2027-01']);
  });
});

const SECRET = 'test-secret';
const candidateId = 'cand_01JAAAAAAAAAAAAAAAAAAAAAAA';

function setup(consents: StoredConsent[] = [], options: { askedAt?: string; suppressed?: boolean; expiring?: string[][] } = {}) {
  let now = NOW;
  const people = new Map([[candidateId, aCandidate({ id: candidateId, consents })]]);
  const sent: { to: string; subject: string; text: string; html: string }[] = [];
  const mail = { failing: false };
  const asked = new Map<string, string>(options.askedAt ? [[candidateId, options.askedAt]] : []);
  const asks: RenewalAsks = {
    async *expiring() {
      yield* options.expiring ?? [[candidateId]];
    },
    async claim(id, at, since) {
      const last = asked.get(id);
      if (last && last >= since) return false;
      asked.set(id, at);
      return true;
    },
    release: async (id) => void asked.delete(id),
    suppressed: async () => options.suppressed ?? false,
  };
  const service = consentService({
    holders: {
      async get(id) {
        const person = people.get(id);
        if (!person) throw new NotFound(`no ${id}`);
        return person;
      },
      async record(id, records) {
        const person = people.get(id)!;
        people.set(id, { ...person, consents: [...person.consents, ...records.map((r) => ({ ...r, recordedAt: now }))] });
        return people.get(id)!.consents;
      },
    },
    settings: { retention: async () => settings, saveRetention: async () => {} },
    asks,
    mailer: {
      async send(message) {
        if (mail.failing) throw Object.assign(new Error('Maximum sending rate exceeded.'), { name: 'Throttled' });
        sent.push(message);
      },
    },
    signer: {
      sign: async (claims) => signToken({ ...claims, exp: Math.floor(Date.parse(now) / 1000) + 30 * 86_400 }, SECRET),
      verify: async (token, use: TokenClaims['use']) => verifyToken(token, use, SECRET, Math.floor(Date.parse(now) / 1000)),
    },
    links: { api: 'https://api.example.com' },
    clock: { now: () => now },
  });
  const linkIn = (text: string) => /https:\/\/api\.example\.com\/public\/consents\/([\w.-]+)/.exec(text)?.[1] ?? '';
  return { service, sent, mail, asked, people, linkIn, later: (iso: string) => void (now = iso) };
}

describe('recording a consent', () => {
  it('sets the expiry from the purpose\'s period when none is given', async () => {
    const { service } = setup();
    const record = await service.record(candidateId, { purpose: 'event-updates', granted: true, lawfulBasis: 'consent', source: 'recruiter' }, 'user-1');
    expect(record).toEqual({ purpose: 'event-updates', granted: true, lawfulBasis: 'consent', source: 'recruiter', recordedAt: NOW, expiresAt: '2027-03-10T08:00:00.000Z' });
  });

  it('stores an explicit expiry in UTC', async () => {
    const { service } = setup();
    const record = await service.record(candidateId, { purpose: 'marketing-email', granted: true, lawfulBasis: 'consent', source: 'recruiter', expiresAt: '2026-06-01T10:00:00+02:00' }, 'u');
    expect(record.expiresAt).toBe('2026-06-01T08:00:00.000Z');
  });

  it('refuses an explicit expiry that is not in the future, naming body.expiresAt', async () => {
    const { service } = setup();
    const error = await service.record(candidateId, { purpose: 'marketing-email', granted: true, lawfulBasis: 'consent', source: 'recruiter', expiresAt: NOW }, 'u').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidInput);
    expect((error as InvalidInput).errors).toEqual([{ path: 'body.expiresAt', message: 'must be in the future' }]);
  });

  it('gives a withdrawal no expiry', async () => {
    const { service } = setup();
    const record = await service.record(candidateId, { purpose: 'marketing-email', granted: false, lawfulBasis: 'consent', source: 'recruiter' }, 'u');
    expect(record.expiresAt).toBeUndefined();
  });

  it('answers NotFound for an unknown candidate', async () => {
    const { service } = setup();
    await expect(service.list('cand_01JZZZZZZZZZZZZZZZZZZZZZZZ')).rejects.toThrow(NotFound);
  });
});

describe('the daily renewal run', () => {
  const expiringSoon = [
    aConsent({ expiresAt: '2026-03-20T00:00:00.000Z', textVersion: 'v2', lawfulBasis: 'consent' }),
    aConsent({ purpose: 'talent-community', expiresAt: '2026-04-01T00:00:00.000Z' }),
  ];

  it('sends one email per person, naming every consent that runs out, with one renew link', async () => {
    const { service, sent, linkIn } = setup(expiringSoon, { expiring: [[candidateId], [candidateId]] });
    expect(await service.askForRenewals()).toEqual({ asked: 1, skipped: 0, failed: [] });
    expect(sent).toHaveLength(1);
    expect(sent[0]!.to).toBe('ada@example.com');
    expect(sent[0]!.text).toContain('20 March 2026');
    expect(sent[0]!.text).toContain('1 April 2026');
    expect(sent[0]!.text).toMatch(/https:\/\/api\.example\.com\/u\/[\w.-]+/);
    expect(verifyToken(linkIn(sent[0]!.text), 'r', SECRET, Math.floor(Date.parse(NOW) / 1000))).toMatchObject({ candidateId });
  });

  it('asks nobody twice when run again the same day, nor again within a week', async () => {
    const { service, sent, later } = setup(expiringSoon);
    await service.askForRenewals();
    expect(await service.askForRenewals()).toMatchObject({ asked: 0, skipped: 1 });
    later('2026-03-16T23:59:00.000Z');
    await service.askForRenewals();
    expect(sent).toHaveLength(1);
    later('2026-03-17T07:59:00.000Z');
    await service.askForRenewals();
    expect(sent).toHaveLength(2);
  });

  it('skips people whose consent the index still lists but who renewed, withdrew or are gone', async () => {
    const { service, sent } = setup([aConsent({ granted: false })], { expiring: [[candidateId, 'cand_01JZZZZZZZZZZZZZZZZZZZZZZZ']] });
    expect(await service.askForRenewals()).toEqual({ asked: 0, skipped: 2, failed: [] });
    expect(sent).toEqual([]);
  });

  it('skips an address that is suppressed', async () => {
    const { service, sent } = setup(expiringSoon, { suppressed: true });
    await service.askForRenewals();
    expect(sent).toEqual([]);
  });

  it('forgets the ask when the email could not be sent, so the next run asks again', async () => {
    const { service, sent, asked, mail } = setup(expiringSoon);
    mail.failing = true;
    expect(await service.askForRenewals()).toEqual({ asked: 0, skipped: 0, failed: [{ candidateId, error: 'Throttled' }] });
    expect(asked.has(candidateId)).toBe(false);
    mail.failing = false;
    expect(await service.askForRenewals()).toMatchObject({ asked: 1 });
    expect(sent).toHaveLength(1);
  });
});

describe('renewing through the link', () => {
  const expiring = [aConsent({ expiresAt: '2026-03-20T00:00:00.000Z', textVersion: 'v2', lawfulBasis: 'consent', source: 'signup-form' })];

  it('shows a page with one button on GET and changes nothing', async () => {
    const { service, sent, linkIn, people } = setup(expiring);
    await service.askForRenewals();
    const page = await service.renewalPage(linkIn(sent[0]!.text));
    expect(page.status).toBe(200);
    expect(page.html).toContain('<form method="post"');
    expect(people.get(candidateId)!.consents).toEqual(expiring);
  });

  it('records a renewal by email link on POST, keeping the text version and lawful basis, with the expiry moved on by the period', async () => {
    const { service, sent, linkIn, people } = setup(expiring);
    await service.askForRenewals();
    const page = await service.renew(linkIn(sent[0]!.text));
    expect(page.status).toBe(200);
    expect(people.get(candidateId)!.consents.at(-1)).toEqual({
      purpose: 'marketing-email', granted: true, source: 'email-link', textVersion: 'v2', lawfulBasis: 'consent', expiresAt: '2028-03-20T00:00:00.000Z', recordedAt: NOW,
    });
  });

  it('renews nothing more when the link is followed again', async () => {
    const { service, sent, linkIn, people } = setup(expiring);
    await service.askForRenewals();
    await service.renew(linkIn(sent[0]!.text));
    const again = await service.renew(linkIn(sent[0]!.text));
    expect(again.status).toBe(200);
    expect(again.html).toContain('Nothing to renew');
    expect(people.get(candidateId)!.consents).toHaveLength(2);
  });

  it('answers 400 to a forged link or one meant for something else, and changes nothing', async () => {
    const { service, people } = setup(expiring);
    const unsubscribe = signToken({ use: 'u', candidateId, exp: Math.floor(Date.parse(NOW) / 1000) + 3600 }, SECRET);
    const forged = signToken({ use: 'r', candidateId, exp: Math.floor(Date.parse(NOW) / 1000) + 3600 }, 'another-secret');
    for (const token of [unsubscribe, forged]) expect((await service.renew(token)).status).toBe(400);
    expect(people.get(candidateId)!.consents).toEqual(expiring);
  });
});
