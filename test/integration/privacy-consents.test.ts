import { randomUUID } from 'node:crypto';
import { describe, expect, inject, it } from 'vitest';
import { addMonths } from '../../functions/privacy/domain/consents.ts';
import { api, eventually, local } from './helpers.ts';

type Mail = { messageId: string; to: string[]; subject: string; headers: Record<string, string>; text: string; html: string };
type StoredRecord = { purpose: string; granted: boolean; source?: string; textVersion?: string; lawfulBasis?: string; recordedAt: string; expiresAt?: string };
type State = { items: StoredRecord[]; current: Record<string, { granted: boolean; expired: boolean; recordedAt: string; expiresAt?: string }> };

const DAY_MS = 86_400_000;
const marker = () => `p${randomUUID().slice(0, 8)}`;
const inDays = (days: number) => new Date(Date.now() + days * DAY_MS).toISOString();

async function mailTo(address: string): Promise<Mail[]> {
  const response = await fetch(`${inject('apiUrl')}/_local/mail?to=${encodeURIComponent(address)}`);
  return ((await response.json()) as { items: Mail[] }).items.filter((m) => m.to.some((to) => to.toLowerCase() === address));
}

async function aCandidate(email = `${marker()}@example.com`) {
  const created = await api('/candidates', { method: 'POST', body: { email, firstName: 'Ada' } });
  expect(created.status).toBe(201);
  return { id: (created.body as { id: string }).id, email };
}

const record = (candidateId: string, body: Record<string, unknown>) => api(`/candidates/${candidateId}/consents`, { method: 'POST', body });
const consentsOf = async (candidateId: string) => (await api(`/candidates/${candidateId}/consents`, { role: 'viewer' })).body as State;
const consentMonths = async () => ((await api('/settings/retention', { role: 'admin' })).body as { consentMonths: Record<string, number> }).consentMonths;

/** A consent that lapses in two seconds (an expiry in the past is refused), and the wait until it has. */
async function lapsingConsent(candidateId: string) {
  const expiresAt = new Date(Date.now() + 2_000).toISOString();
  expect((await record(candidateId, { purpose: 'marketing-email', granted: true, expiresAt })).status).toBe(201);
  return () => new Promise((resolve) => setTimeout(resolve, Math.max(0, Date.parse(expiresAt) - Date.now() + 50)));
}

async function oneShotToPool(candidateIds: string[]) {
  const pool = await api('/pools', { method: 'POST', body: { name: `Consent check ${marker()}` } });
  const poolId = (pool.body as { id: string }).id;
  expect((await api(`/pools/${poolId}/members`, { method: 'POST', body: { candidateIds } })).body).toMatchObject({ added: candidateIds });
  const template = await api('/templates', {
    method: 'POST',
    body: { name: 'Consent check', subject: 'Roles for you', html: '<p>Hi {{firstName|default:"there"}}</p><p><a href="{{unsubscribeUrl}}">Unsubscribe</a></p>' },
  });
  const templateId = (template.body as { id: string }).id;
  const created = await api('/campaigns', { method: 'POST', body: { name: 'Consent check', kind: 'one-shot', audience: { poolId }, templateId } });
  expect(created.status).toBe(201);
  const id = (created.body as { id: string }).id;
  expect((await api(`/campaigns/${id}/launch`, { method: 'POST' })).status).toBe(200);
  await eventually(async () => expect((await api(`/campaigns/${id}`)).body).toMatchObject({ status: 'sent' }), 30_000);
  return id;
}

describe('consent records over HTTP', () => {
  it('records a consent with the purpose\'s default expiry from the retention settings, and shows the history newest first with what counts now', async () => {
    const { id } = await aCandidate();
    const granted = await record(id, { purpose: 'event-updates', granted: true, textVersion: 'v1', source: 'signup-form' });
    expect(granted.status).toBe(201);
    const grant = granted.body as StoredRecord;
    expect(grant).toMatchObject({ purpose: 'event-updates', granted: true, lawfulBasis: 'consent', textVersion: 'v1', source: 'signup-form' });
    // The period runs from when the request was handled; `recordedAt` is stamped a moment later.
    const expected = Date.parse(addMonths(grant.recordedAt, (await consentMonths())['event-updates'] ?? 24));
    expect(Math.abs(Date.parse(grant.expiresAt!) - expected)).toBeLessThan(2_000);

    const withdrawn = await record(id, { purpose: 'marketing-email', granted: false });
    expect(withdrawn.body).toMatchObject({ purpose: 'marketing-email', granted: false, source: 'recruiter' });
    expect((withdrawn.body as StoredRecord).expiresAt).toBeUndefined();

    const state = await consentsOf(id);
    expect(state.items.map((r) => [r.purpose, r.granted])).toEqual([['marketing-email', false], ['event-updates', true]]);
    expect(state.current).toEqual({
      'event-updates': { granted: true, expired: false, recordedAt: grant.recordedAt, expiresAt: grant.expiresAt },
      'marketing-email': { granted: false, expired: false, recordedAt: (withdrawn.body as StoredRecord).recordedAt },
    });
  });

  it('answers 400 naming body.expiresAt to an expiry in the past, and 404 for an unknown candidate', async () => {
    const { id } = await aCandidate();
    const past = await record(id, { purpose: 'marketing-email', granted: true, expiresAt: inDays(-1) });
    expect(past.status).toBe(400);
    expect((past.body as { errors: { path: string }[] }).errors.map((e) => e.path)).toEqual(['body.expiresAt']);
    expect((await record('cand_01JZZZZZZZZZZZZZZZZZZZZZZZ', { purpose: 'marketing-email', granted: true })).status).toBe(404);
    expect((await consentsOf(id)).items).toEqual([]);
  });

  it('counts an expired consent as none: current shows it expired', async () => {
    const { id } = await aCandidate();
    await (await lapsingConsent(id))();
    expect((await consentsOf(id)).current['marketing-email']).toMatchObject({ granted: true, expired: true });
  });
});

describe('re-consent', () => {
  it('emails a person whose consent expires in 10 days once, with a link whose GET changes nothing and whose POST extends the expiry', async () => {
    const { id, email } = await aCandidate();
    const granted = (await record(id, { purpose: 'marketing-email', granted: true, textVersion: 'v7', expiresAt: inDays(10) })).body as StoredRecord;

    // The expiry index is written by the stream indexer: run the schedule until it finds the person.
    await eventually(async () => {
      await local('/_local/schedules/consent-renewal/run');
      expect(await mailTo(email)).toHaveLength(1);
    }, 20_000);
    await local('/_local/schedules/consent-renewal/run');
    const mails = await mailTo(email);
    expect(mails).toHaveLength(1);
    const link = /https?:\/\/\S+\/public\/consents\/[\w.-]+/.exec(mails[0]!.text)?.[0];
    expect(link).toBeDefined();

    const page = await fetch(link!);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<form method="post"');
    expect((await consentsOf(id)).items).toHaveLength(1);

    const renewed = await fetch(link!, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '' });
    expect(renewed.status).toBe(200);
    const state = await consentsOf(id);
    expect(state.items).toHaveLength(2);
    expect(state.items[0]).toMatchObject({ purpose: 'marketing-email', granted: true, source: 'email-link', textVersion: 'v7', lawfulBasis: 'consent' });
    expect(state.current['marketing-email']!.expiresAt).toBe(addMonths(granted.expiresAt!, (await consentMonths())['marketing-email'] ?? 24));
  });

  it('answers 400 with a page, and changes nothing, to a forged renewal link', async () => {
    const response = await fetch(`${inject('apiUrl')}/public/consents/WyJyIiwiY2FuZF8wMUpBQUFBIiwiIiw5OTk5OTk5OTk5XQ.AAAAAAAAAAAAAAAAAAAAAA`, { method: 'POST' });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('This link does not work');
  });
});

describe('consent at send time', () => {
  it('never sends a campaign to a person whose marketing-email consent is withdrawn or expired', async () => {
    const [willing, withdrew, lapsed] = await Promise.all([aCandidate(), aCandidate(), aCandidate()]);
    await record(willing.id, { purpose: 'marketing-email', granted: true });
    await record(withdrew.id, { purpose: 'marketing-email', granted: true });
    await record(withdrew.id, { purpose: 'marketing-email', granted: false });
    const lapse = await lapsingConsent(lapsed.id);
    await lapse();

    const campaignId = await oneShotToPool([willing.id, withdrew.id, lapsed.id]);
    expect((await api(`/campaigns/${campaignId}/stats`)).body).toMatchObject({ targeted: 3, sent: 1, skipped: { 'no-consent': 2 } });
    const skipped = (await api(`/campaigns/${campaignId}/recipients?status=skipped`)).body as { items: { candidateId: string; skipReason: string }[] };
    expect(skipped.items.map((r) => [r.candidateId, r.skipReason]).sort()).toEqual([[withdrew.id, 'no-consent'], [lapsed.id, 'no-consent']].sort());
    expect(await mailTo(withdrew.email)).toEqual([]);
    expect(await mailTo(lapsed.email)).toEqual([]);
    expect(await mailTo(willing.email)).toHaveLength(1);
  });

  it('records a marketing-email withdrawal by email link when the person unsubscribes from a campaign email', async () => {
    const person = await aCandidate();
    await record(person.id, { purpose: 'marketing-email', granted: true });
    await oneShotToPool([person.id]);
    const [mail] = await mailTo(person.email);
    const unsubscribe = /^<(.+)>$/.exec(mail!.headers['list-unsubscribe']!)![1]!;

    const response = await fetch(unsubscribe, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
    expect(response.status).toBe(200);
    const state = await consentsOf(person.id);
    expect(state.items[0]).toMatchObject({ purpose: 'marketing-email', granted: false, source: 'email-link' });
    expect(state.current['marketing-email']).toMatchObject({ granted: false, expired: false });
  });
});
