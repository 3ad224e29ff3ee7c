import { describe, expect, it } from 'vitest';
import { candidateService } from '../../functions/candidates/domain/candidate-service.ts';
import type { Candidate } from '../../functions/candidates/schemas.ts';
import { noticeService, privacyNotice } from '../../functions/privacy/domain/notice.ts';
import { RetentionSettings } from '../../functions/privacy/schemas.ts';
import { aCandidate } from '../fixtures/builders.ts';
import { inMemoryStores } from '../fixtures/in-memory-stores.ts';

const organisation = { name: 'Acme Robotics', url: 'https://acme.example' };
const requestsUrl = 'https://api.acme.example/public/privacy/requests';
const retention = RetentionSettings.parse({});

describe('the Art. 14 privacy notice', () => {
  const notice = privacyNotice(aCandidate({ source: { type: 'sourced', url: 'https://www.linkedin.com/in/ada' }, phone: '+44 20 7946 0000' }), { organisation, requestsUrl, retention });

  it('says who holds the data, on what basis, where it came from and for how long', () => {
    expect(notice).toMatchObject({ to: 'ada@example.com', subject: 'How Acme Robotics uses your personal data' });
    expect(notice.text).toContain('Acme Robotics (https://acme.example)');
    expect(notice.text).toContain('legitimate interest in recruiting');
    expect(notice.text).toContain('found by our recruiting team (https://www.linkedin.com/in/ada)');
    expect(notice.text).toContain('6 months after our last contact with you, or 24 months');
  });

  it('names the kinds of data held without repeating them back', () => {
    expect(notice.text).toContain('your phone number');
    expect(notice.text).not.toContain('7946');
  });

  it('explains the rights and how to use them through the self-service request page', () => {
    expect(notice.text).toMatch(/copy of your data.*corrected or erased.*object/s);
    expect(notice.text).toContain('supervisory authority');
    expect(notice.text).toContain(`service at ${requestsUrl}`);
    expect(notice.html).toContain(`<form method="post" action="${requestsUrl}"><input type="hidden" name="email" value="ada@example.com">`);
    expect(notice.html).toContain('name="type" value="erasure"');
  });

  it('escapes what it puts in the HTML', () => {
    const html = privacyNotice(aCandidate({ firstName: '<b>Ada</b>' }), { organisation, requestsUrl, retention }).html;
    expect(html).toContain('Hello &lt;b&gt;Ada&lt;/b&gt;,');
  });
});

function setup(people: Candidate[], suppressed: string[] = []) {
  const stores = inMemoryStores();
  for (const person of people) void stores.candidateStore.create(person, []);
  const candidates = candidateService({ candidates: stores.candidateStore, clock: stores.clock, ids: stores.ids });
  const sent: { to: string }[] = [];
  const service = noticeService({
    // The index lags: it lists everyone on every page until it catches up, some twice.
    queue: { async *pending() { for (let page = 0; page < 2; page++) yield Promise.all(people.map(async (p) => (await stores.candidateStore.get(p.id))!)); } },
    candidates,
    settings: { retention: async () => retention, saveRetention: async () => {} },
    mailer: { send: async (message) => void sent.push(message) },
    suppressed: async (email) => suppressed.includes(email),
    clock: { now: () => '2026-06-15T09:00:00.000Z' },
    organisation,
    requestsUrl,
  });
  return { service, sent, stores };
}

const sourced = (n: number, overrides: Partial<Candidate> = {}) =>
  aCandidate({ id: `cand_01JAAAAAAAAAAAAAAAAAAAAAA${n}`, email: `p${n}@example.com`, source: { type: 'sourced' }, ...overrides });

describe('the daily notice run', () => {
  it('sends each pending person one notice and records when on their profile, with a CandidateUpdated naming the field', async () => {
    const { service, sent, stores } = setup([sourced(1), sourced(2)]);
    expect(await service.sendNotices()).toEqual({ sent: 2, skipped: { doNotContact: 0, noAddress: 0, suppressed: 0 }, unfinished: false });
    expect(sent.map((m) => m.to)).toEqual(['p1@example.com', 'p2@example.com']);
    expect((await stores.candidateStore.get(sourced(1).id))!.privacyNoticeSentAt).toBe('2026-06-15T09:00:00.000Z');
    expect(stores.published.map((e) => [e.detailType, e.detail.changed, e.detail.actor])).toEqual([
      ['CandidateUpdated', ['privacyNoticeSentAt'], 'schedule:privacy-notice'],
      ['CandidateUpdated', ['privacyNoticeSentAt'], 'schedule:privacy-notice'],
    ]);
  });

  it('sends nothing on a second run', async () => {
    const { service, sent } = setup([sourced(1)]);
    await service.sendNotices();
    expect(await service.sendNotices()).toMatchObject({ sent: 0 });
    expect(sent).toHaveLength(1);
  });

  it('skips, and leaves pending, people who asked not to be contacted or have no address', async () => {
    const { service, sent, stores } = setup([sourced(1, { status: 'do-not-contact' }), sourced(2, { email: '' })]);
    expect(await service.sendNotices()).toMatchObject({ sent: 0, skipped: { doNotContact: 1, noAddress: 1 } });
    expect(sent).toEqual([]);
    expect((await stores.candidateStore.get(sourced(1).id))!.privacyNoticeSentAt).toBeUndefined();
  });

  it('writes nothing to a suppressed address (bounced, complained, unsubscribed) and leaves the person pending', async () => {
    const person = sourced(1);
    const { service, sent } = setup([person], [person.email]);
    expect(await service.sendNotices()).toMatchObject({ sent: 0, skipped: { suppressed: 1 } });
    expect(sent).toEqual([]);
  });

  it('stops when time runs out and says the run is unfinished', async () => {
    const { service, sent } = setup([sourced(1), sourced(2)]);
    let budget = 1;
    expect(await service.sendNotices(() => budget-- > 0)).toMatchObject({ sent: 1, unfinished: true });
    expect(sent).toHaveLength(1);
  });

  it('keeps the first time a notice was recorded', async () => {
    const stores = inMemoryStores();
    const candidates = candidateService({ candidates: stores.candidateStore, clock: stores.clock, ids: stores.ids });
    await stores.candidateStore.create(sourced(1, { privacyNoticeSentAt: '2026-01-01T00:00:00.000Z' }), []);
    const after = await candidates.markPrivacyNoticeSent(sourced(1).id, '2026-06-15T09:00:00.000Z', 'schedule:privacy-notice');
    expect(after).toMatchObject({ privacyNoticeSentAt: '2026-01-01T00:00:00.000Z', version: 1 });
    expect(stores.published).toEqual([]);
  });
});
