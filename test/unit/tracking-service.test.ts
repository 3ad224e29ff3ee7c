import { describe, expect, it } from 'vitest';
import { SesEventRecord } from '../../functions/campaigns/domain/email-tracking.ts';
import type { Audiences, RecipientRecord, Signer } from '../../functions/campaigns/domain/ports.ts';
import type { ParsedReply } from '../../functions/campaigns/domain/replies.ts';
import { trackingService } from '../../functions/campaigns/domain/tracking-service.ts';
import { aRecipient, campaignFakes } from '../fixtures/campaign-fakes.ts';

const campaignId = 'camp_01JDX5Q8R2N4V6T8W0Y2A4C6E8';
const otherCampaignId = 'camp_01JDX5QB7C9E1G3J5M7P9R1T3V';
const candidateId = 'cand_01JDX5Q9S3P5W7V9X1Z3B5D7F9';
const now = '2026-11-25T10:00:00.000Z';
const sentAt = '2026-11-24T09:00:00.412Z';
const deliveredAt = '2026-11-24T09:00:02.873Z';
const afterDelivery = (seconds: number) => new Date(Date.parse(deliveredAt) + seconds * 1000).toISOString();
const daysAgo = (days: number) => new Date(Date.parse(now) - days * 86_400_000).toISOString();

const iPhoneMail = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148';
const applePrivacyProxy = 'Mozilla/5.0';

/** The `mail` object of an SES event record; campaign emails carry campaignId and candidateId tags. */
const aMail = (tags: Record<string, string[]> = { campaignId: [campaignId], candidateId: [candidateId] }) => ({
  timestamp: sentAt,
  source: 'Acme Talent <talent@mail.acme-recruiting.com>',
  sendingAccountId: '123456789012',
  messageId: '0102019365a1b2c3-5e0f7a21-9c4d-4b8e-a1f2-3d4c5b6a7e8f-000000',
  destination: ['Ada.Lovelace@example.com'],
  tags: { 'ses:configuration-set': ['talent-relay'], 'ses:from-domain': ['mail.acme-recruiting.com'], ...tags },
});
/** An SES event record (the `detail` of the EventBridge event), parsed as the consumer parses it. */
const anSesRecord = (eventType: string, section: Record<string, unknown>, mail = aMail()) => SesEventRecord.parse({ eventType, mail, ...section });

const aDelivery = (mail = aMail()) =>
  anSesRecord('Delivery', { delivery: { timestamp: deliveredAt, processingTimeMillis: 2461, recipients: ['Ada.Lovelace@example.com'], smtpResponse: '250 2.0.0 OK' } }, mail);
const anOpen = (userAgent = iPhoneMail) => anSesRecord('Open', { open: { timestamp: afterDelivery(2 * 3600), userAgent, ipAddress: '82.132.214.10' } });
const aClick = () =>
  anSesRecord('Click', {
    click: { timestamp: afterDelivery(2 * 3600 + 30), userAgent: iPhoneMail, ipAddress: '82.132.214.10', link: 'https://jobs.acme-recruiting.com/roles/staff-engineer' },
  });
const aBounce = (bounceType: 'Permanent' | 'Transient') =>
  anSesRecord('Bounce', {
    bounce: {
      bounceType,
      bounceSubType: bounceType === 'Permanent' ? 'General' : 'MailboxFull',
      bouncedRecipients: [{ emailAddress: 'Ada.Lovelace@example.com', action: 'failed', status: '5.1.1', diagnosticCode: 'smtp; 550 5.1.1 user unknown' }],
      timestamp: deliveredAt,
      feedbackId: '0102019365a1b2c3-8d9e0f1a-2b3c-4d5e-6f7a-8b9c0d1e2f3a-000000',
    },
  });
const aComplaint = () =>
  anSesRecord('Complaint', {
    complaint: { complainedRecipients: [{ emailAddress: 'Ada.Lovelace@example.com' }], timestamp: afterDelivery(86_400), complaintFeedbackType: 'abuse', userAgent: 'Yahoo!-Mail-Feedback/2.0' },
  });

const replyToken = 'ada-staff-engineer-token';
const aReply = (overrides: Partial<ParsedReply> = {}): ParsedReply => ({
  from: 'ada.lovelace@example.com',
  to: [`reply+${replyToken}@reply.acme-recruiting.com`],
  subject: 'Re: A staff engineer role in London',
  text: 'Happy to talk on Thursday afternoon.',
  automatic: false,
  receivedAt: '2026-11-24T10:15:07.000Z',
  ...overrides,
});

function setup(...recipients: RecipientRecord[]) {
  const fakes = campaignFakes(...recipients);
  const replyTokens = new Map([[replyToken, { candidateId, campaignId }]]);
  const addresses = new Map([['ada.lovelace@example.com', candidateId]]);
  let nextEvent = 0;
  const service = trackingService({
    campaigns: fakes.campaigns,
    suppressions: fakes.suppressions,
    audiences: { candidateByEmail: async (email: string) => addresses.get(email) } as Audiences,
    signer: { verifyReply: async (token: string) => replyTokens.get(token) } as Signer,
    clock: { now: () => now },
    ids: { next: (prefix) => `${prefix}_01JF${String(nextEvent++).padStart(22, '0')}` },
  });
  return { service, ...fakes };
}

describe('tracking SES events', () => {
  it('counts a delivery recorded twice once', async () => {
    const mail = aRecipient();
    const { service, countersOf, stored } = setup(mail);
    await service.record(aDelivery());
    await service.record(aDelivery());
    expect(countersOf(campaignId)).toEqual({ delivered: 1 });
    expect(stored(mail)).toMatchObject({ status: 'delivered', deliveredAt });
  });

  it('takes the message id from a delivery when the send event was lost, so a retried send settles instead of resending', async () => {
    const mail = aRecipient({ status: 'claimed', claimToken: 'crashed-attempt', messageId: undefined });
    const { service, stored } = setup(mail);
    await service.record(aDelivery());
    expect(stored(mail)).toMatchObject({ status: 'delivered', messageId: aMail().messageId });
  });

  it('counts the click as the human open, so an open after it counts no second one', async () => {
    const mail = aRecipient({ status: 'delivered', deliveredAt });
    const { service, countersOf, stored } = setup(mail);
    await service.record(aClick());
    await service.record(anOpen());
    expect(countersOf(campaignId)).toEqual({ clicked: 1, openedHuman: 1 });
    expect(stored(mail)).toMatchObject({ status: 'clicked', openedAt: afterDelivery(2 * 3600 + 30) });
  });

  it('counts an open that arrives before its delivery', async () => {
    const mail = aRecipient();
    const { service, countersOf, stored } = setup(mail);
    await service.record(anOpen());
    expect(countersOf(campaignId)).toEqual({ openedHuman: 1 });
    expect(stored(mail)?.status).toBe('opened');
  });

  it('counts a delivery that arrives after the open without moving the status back', async () => {
    const mail = aRecipient();
    const { service, countersOf, stored } = setup(mail);
    await service.record(anOpen());
    await service.record(aDelivery());
    expect(countersOf(campaignId)).toEqual({ openedHuman: 1, delivered: 1 });
    expect(stored(mail)).toMatchObject({ status: 'opened', deliveredAt });
  });

  it('counts an open by Apple’s privacy proxy as a machine and leaves the status', async () => {
    const mail = aRecipient({ status: 'delivered', deliveredAt });
    const { service, countersOf, stored } = setup(mail);
    await service.record(anOpen(applePrivacyProxy));
    expect(countersOf(campaignId)).toEqual({ openedMachine: 1 });
    expect(stored(mail)).toMatchObject({ status: 'delivered', machineOpenedAt: afterDelivery(2 * 3600) });
    expect(stored(mail)?.openedAt).toBeUndefined();
  });

  it('suppresses an address that bounced permanently, lower-cased', async () => {
    const { service, suppressed } = setup(aRecipient({ status: 'delivered', deliveredAt }));
    await service.record(aBounce('Permanent'));
    expect(suppressed).toEqual([{ email: 'ada.lovelace@example.com', reason: 'bounce', campaignId, createdAt: deliveredAt }]);
  });

  it('suppresses an address that bounced permanently even when the email was not a campaign email', async () => {
    const { service, suppressed } = setup();
    await service.record(anSesRecord('Bounce', { bounce: (aBounce('Permanent') as { bounce: unknown }).bounce }, aMail({})));
    expect(suppressed).toEqual([{ email: 'ada.lovelace@example.com', reason: 'bounce', createdAt: deliveredAt }]);
  });

  it('counts one human open when a click races an open: the retried click sees the open and counts only itself', async () => {
    const mail = aRecipient({ status: 'delivered', deliveredAt });
    const { service, countersOf, stored, campaigns } = setup(mail);
    const read = campaigns.recipient.bind(campaigns);
    let first = true;
    campaigns.recipient = async (...args) => {
      const snapshot = await read(...args);
      if (first) {
        first = false;
        await service.record(anOpen());
      }
      return snapshot;
    };
    await service.record(aClick());
    expect(countersOf(campaignId)).toEqual({ openedHuman: 1, clicked: 1 });
    expect(stored(mail)).toMatchObject({ status: 'clicked', openedAt: afterDelivery(2 * 3600) });
  });

  it('counts a permanent bounce and marks the recipient bounced', async () => {
    const mail = aRecipient();
    const { service, countersOf, stored } = setup(mail);
    await service.record(aBounce('Permanent'));
    expect(countersOf(campaignId)).toEqual({ bounced: 1 });
    expect(stored(mail)).toMatchObject({ status: 'bounced', bouncedAt: deliveredAt, detail: 'smtp; 550 5.1.1 user unknown' });
  });

  it('changes nothing for a transient bounce', async () => {
    const mail = aRecipient();
    const { service, countersOf, stored, suppressed, published } = setup(mail);
    await service.record(aBounce('Transient'));
    expect(suppressed).toEqual([]);
    expect(countersOf(campaignId)).toEqual({});
    expect(stored(mail)).toEqual(mail);
    expect(published).toEqual([]);
  });

  it('suppresses an address that complained and counts the complaint', async () => {
    const mail = aRecipient({ status: 'opened', deliveredAt, openedAt: afterDelivery(3600) });
    const { service, countersOf, stored, suppressed } = setup(mail);
    await service.record(aComplaint());
    expect(suppressed).toMatchObject([{ email: 'ada.lovelace@example.com', reason: 'complaint', campaignId }]);
    expect(countersOf(campaignId)).toEqual({ complained: 1 });
    expect(stored(mail)?.status).toBe('complained');
  });

  it('publishes a complaint as an unsubscribe, with the change that records it', async () => {
    const { service, published } = setup(aRecipient({ status: 'delivered', deliveredAt }));
    await service.record(aComplaint());
    expect(published.map((e) => e.detailType)).toEqual(['EmailActivity', 'CandidateUnsubscribed']);
    expect(published[1]?.detail).toMatchObject({ candidateId, campaignId, via: 'complaint' });
  });

  it('changes no campaign for an event of an email without campaign tags, such as a transactional one', async () => {
    const mail = aRecipient();
    const { service, countersOf, stored } = setup(mail);
    expect(await service.record(aDelivery(aMail({})))).toMatchObject({ kind: 'delivered' });
    expect(countersOf(campaignId)).toEqual({});
    expect(stored(mail)).toEqual(mail);
  });
});

describe('attributing applications', () => {
  it('counts an application once for a campaign whose emails the person got in the last 30 days', async () => {
    const { service, countersOf } = setup(aRecipient({ step: 0, sentAt: daysAgo(12) }), aRecipient({ step: 1, sentAt: daysAgo(5) }));
    await service.recordApplication(candidateId, now);
    expect(countersOf(campaignId)).toEqual({ applied: 1 });
  });

  it('counts an application for each campaign of the last 30 days', async () => {
    const { service, countersOf } = setup(aRecipient({ sentAt: daysAgo(12) }), aRecipient({ campaignId: otherCampaignId, sentAt: daysAgo(2) }));
    await service.recordApplication(candidateId, now);
    expect(countersOf(campaignId)).toEqual({ applied: 1 });
    expect(countersOf(otherCampaignId)).toEqual({ applied: 1 });
  });

  it('does not count an application for a campaign emailed more than 30 days before', async () => {
    const { service, countersOf } = setup(aRecipient({ sentAt: daysAgo(31) }));
    await service.recordApplication(candidateId, now);
    expect(countersOf(campaignId)).toEqual({});
  });

  it('counts a second application after the same email once', async () => {
    const { service, countersOf } = setup(aRecipient({ sentAt: daysAgo(5) }));
    await service.recordApplication(candidateId, daysAgo(1));
    await service.recordApplication(candidateId, now);
    expect(countersOf(campaignId)).toEqual({ applied: 1 });
  });
});

describe('receiving replies', () => {
  it('ignores an automatic reply', async () => {
    const { service, countersOf, published } = setup(aRecipient());
    expect(await service.receiveReply(aReply({ automatic: true, automaticReason: 'Auto-Submitted: auto-replied' }))).toBe('automatic');
    expect(countersOf(campaignId)).toEqual({});
    expect(published).toEqual([]);
  });

  it('ignores a message SES could not authenticate: a spoofed From must not speak for the person', async () => {
    const { service, countersOf, published } = setup(aRecipient());
    expect(await service.receiveReply(aReply({ authenticated: false }))).toBe('unauthenticated');
    expect(countersOf(campaignId)).toEqual({});
    expect(published).toEqual([]);
  });

  it('matches a reply to the person and campaign by the token in the reply address, and counts it', async () => {
    const mail = aRecipient();
    const { service, countersOf, stored, published } = setup(mail);
    expect(await service.receiveReply(aReply())).toBe('recorded');
    expect(countersOf(campaignId)).toEqual({ replied: 1 });
    expect(stored(mail)?.repliedAt).toBe('2026-11-24T10:15:07.000Z');
    expect(published).toMatchObject([{ detailType: 'CandidateReplied', detail: { candidateId, campaignId, text: 'Happy to talk on Thursday afternoon.' } }]);
  });

  it('matches a reply without a known token by the sender’s address, as a touchpoint of no campaign', async () => {
    const { service, countersOf, published } = setup(aRecipient());
    expect(await service.receiveReply(aReply({ to: ['talent@mail.acme-recruiting.com'] }))).toBe('recorded');
    expect(countersOf(campaignId)).toEqual({});
    expect(published).toHaveLength(1);
    expect(published[0]).toMatchObject({ detailType: 'CandidateReplied', detail: { candidateId } });
    expect(published[0]?.detail).not.toHaveProperty('campaignId');
  });

  it('falls back to the sender when the token does not verify', async () => {
    const { service, published } = setup(aRecipient());
    expect(await service.receiveReply(aReply({ to: ['reply+forged-token@reply.acme-recruiting.com'] }))).toBe('recorded');
    expect(published[0]?.detail).toMatchObject({ candidateId });
  });

  it('leaves a reply from an unknown sender without a token unmatched', async () => {
    const { service, published } = setup(aRecipient());
    expect(await service.receiveReply(aReply({ from: 'someone@example.org', to: ['talent@mail.acme-recruiting.com'] }))).toBe('unmatched');
    expect(published).toEqual([]);
  });

  it('counts a second reply to the same email once, still publishing it as a touchpoint', async () => {
    const { service, countersOf, published } = setup(aRecipient());
    await service.receiveReply(aReply());
    await service.receiveReply(aReply({ text: 'Also, Friday works.', receivedAt: '2026-11-24T11:00:00.000Z' }));
    expect(countersOf(campaignId)).toEqual({ replied: 1 });
    expect(published.map((e) => e.detailType)).toEqual(['CandidateReplied', 'CandidateReplied']);
  });
});
