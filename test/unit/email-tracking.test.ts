import { describe, expect, it } from 'vitest';
import { SesEventRecord, isMachineOpen, trackingFact } from '../../functions/campaigns/domain/email-tracking.ts';

const messageId = '0102019365a1b2c3-5e0f7a21-9c4d-4b8e-a1f2-3d4c5b6a7e8f-000000';
const campaignId = 'camp_01JDX5Q8R2N4V6T8W0Y2A4C6E8';
const candidateId = 'cand_01JDX5Q9S3P5W7V9X1Z3B5D7F9';
const sentAt = '2026-11-24T09:00:00.412Z';
const deliveredAt = '2026-11-24T09:00:02.873Z';
const later = (seconds: number) => new Date(Date.parse(deliveredAt) + seconds * 1000).toISOString();

const detailTypes: Record<string, string> = {
  Send: 'Email Sent',
  Delivery: 'Email Delivered',
  Bounce: 'Email Bounced',
  Complaint: 'Email Complaint Received',
  Reject: 'Email Rejected',
  Open: 'Email Opened',
  Click: 'Email Clicked',
  DeliveryDelay: 'Email Delivery Delayed',
  'Rendering Failure': 'Email Rendering Failed',
  RenderingFailure: 'Email Rendering Failed',
};

/** The `mail` object SES puts in every event record, as in the SES developer guide's examples. */
const aMail = (overrides: Record<string, unknown> = {}) => ({
  timestamp: sentAt,
  source: 'Acme Talent <talent@mail.acme-recruiting.com>',
  sourceArn: 'arn:aws:ses:eu-west-1:123456789012:identity/mail.acme-recruiting.com',
  sendingAccountId: '123456789012',
  messageId,
  destination: ['Ada.Lovelace@example.com'],
  headersTruncated: false,
  headers: [
    { name: 'From', value: 'Acme Talent <talent@mail.acme-recruiting.com>' },
    { name: 'To', value: 'Ada.Lovelace@example.com' },
    { name: 'Subject', value: 'A staff engineer role in London' },
  ],
  commonHeaders: { from: ['Acme Talent <talent@mail.acme-recruiting.com>'], to: ['Ada.Lovelace@example.com'], messageId, subject: 'A staff engineer role in London' },
  tags: {
    'ses:configuration-set': ['talent-relay'],
    'ses:source-ip': ['203.0.113.24'],
    'ses:from-domain': ['mail.acme-recruiting.com'],
    'ses:caller-identity': ['talent-relay-send'],
    campaignId: [campaignId],
    candidateId: [candidateId],
  },
  ...overrides,
});

/** The EventBridge event SES publishes: the SES event record is its `detail`. */
const anSesEvent = (eventType: string, section: Record<string, unknown> = {}, mail = aMail()) => ({
  version: '0',
  id: 'a1b2c3d4-5e6f-7a8b-9c0d-1e2f3a4b5c6d',
  'detail-type': detailTypes[eventType] ?? eventType,
  source: 'aws.ses',
  account: '123456789012',
  time: sentAt,
  region: 'eu-west-1',
  resources: ['arn:aws:ses:eu-west-1:123456789012:configuration-set/talent-relay'],
  detail: { eventType, mail, ...section },
});

const factOf = (event: ReturnType<typeof anSesEvent>, context: { deliveredAt?: string } = { deliveredAt }) =>
  trackingFact(SesEventRecord.parse(event.detail), context);

const anOpen = (userAgent: string | undefined, ipAddress: string, timestamp = later(2 * 3600)) =>
  anSesEvent('Open', { open: { timestamp, ...(userAgent === undefined ? {} : { userAgent }), ipAddress } });
const aClick = (userAgent: string, ipAddress: string, timestamp = later(2 * 3600)) =>
  anSesEvent('Click', {
    click: { timestamp, userAgent, ipAddress, link: 'https://jobs.acme-recruiting.com/roles/staff-engineer?utm_source=campaign', linkTags: { role: ['staff-engineer'] } },
  });

const agents = {
  iPhoneMail: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148',
  applePrivacyProxy: 'Mozilla/5.0',
  gmailImageProxy: 'Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)',
  outlookDesktop: 'Mozilla/4.0 (compatible; ms-office; MSOffice 16)',
  edgeFromOutlook: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0',
  barracuda: 'Mozilla/5.0 (compatible; Barracuda Sentinel (EE))',
};

describe('email tracking facts', () => {
  it('records a send at the mail timestamp and a delivery at its own, with the campaign and candidate from the tags', () => {
    expect(factOf(anSesEvent('Send', { send: {} }))).toEqual({ kind: 'sent', at: sentAt, messageId, email: 'ada.lovelace@example.com', campaignId, candidateId });
    const delivery = { delivery: { timestamp: deliveredAt, processingTimeMillis: 2461, recipients: ['Ada.Lovelace@example.com'], smtpResponse: '250 2.0.0 OK', reportingMTA: 'a8-70.smtp-out.amazonses.com' } };
    expect(factOf(anSesEvent('Delivery', delivery))).toMatchObject({ kind: 'delivered', at: deliveredAt, email: 'ada.lovelace@example.com' });
  });

  it('counts an open from iPhone Mail hours after delivery as the person', () => {
    expect(factOf(anOpen(agents.iPhoneMail, '82.132.214.10'))).toEqual({
      kind: 'opened',
      at: later(2 * 3600),
      messageId,
      email: 'ada.lovelace@example.com',
      campaignId,
      candidateId,
      machine: false,
    });
  });

  it("counts an open through Apple Mail Privacy Protection's proxy as a machine", () => {
    expect(factOf(anOpen(agents.applePrivacyProxy, '17.58.101.22'))).toMatchObject({ kind: 'opened', machine: true, machineReason: 'Apple Mail Privacy Protection' });
  });

  it('counts an open through Gmail’s image proxy as the person', () => {
    expect(factOf(anOpen(agents.gmailImageProxy, '66.249.84.18'))).toMatchObject({ kind: 'opened', machine: false });
  });

  it('counts Outlook desktop loading images (ms-office) as the person', () => {
    expect(factOf(anOpen(agents.outlookDesktop, '81.2.69.160'))).toMatchObject({ machine: false });
  });

  it('counts an open 3 seconds after delivery as a prefetch', () => {
    expect(factOf(anOpen(agents.iPhoneMail, '82.132.214.10', later(3)))).toMatchObject({ machine: true, machineReason: 'prefetch, 3s after delivery' });
  });

  it('records a click from a browser opened by Outlook as the person, with the link', () => {
    expect(factOf(aClick(agents.edgeFromOutlook, '81.2.69.160'))).toMatchObject({
      kind: 'clicked',
      at: later(2 * 3600),
      url: 'https://jobs.acme-recruiting.com/roles/staff-engineer?utm_source=campaign',
      machine: false,
      campaignId,
      candidateId,
    });
  });

  it("counts a click from Barracuda's link scanner as a machine, by user agent or by its address range", () => {
    expect(factOf(aClick(agents.barracuda, '64.235.150.12'))).toMatchObject({ kind: 'clicked', machine: true, machineReason: 'scanner user agent (barracuda)' });
    expect(factOf(aClick(agents.edgeFromOutlook, '64.235.150.12'))).toMatchObject({ machine: true, machineReason: 'scanner address (64.235.144.0/20)' });
  });

  it('counts a click seconds after delivery as a machine, whatever its user agent', () => {
    expect(factOf(aClick(agents.edgeFromOutlook, '81.2.69.160', later(1)))).toMatchObject({ machine: true, machineReason: 'prefetch, 1s after delivery' });
  });

  it('records a permanent bounce as hard, for the bounced recipient, with the diagnostic', () => {
    const bounce = {
      bounceType: 'Permanent',
      bounceSubType: 'General',
      bouncedRecipients: [{ emailAddress: 'ada.lovelace@example.com', action: 'failed', status: '5.1.1', diagnosticCode: 'smtp; 550 5.1.1 user unknown' }],
      timestamp: deliveredAt,
      feedbackId: '0102019365a1b2c3-8d9e0f1a-2b3c-4d5e-6f7a-8b9c0d1e2f3a-000000',
      reportingMTA: 'dns; b224-13.smtp-out.eu-west-1.amazonses.com',
    };
    expect(factOf(anSesEvent('Bounce', { bounce }))).toEqual({
      kind: 'bounced',
      at: deliveredAt,
      messageId,
      email: 'ada.lovelace@example.com',
      campaignId,
      candidateId,
      hardBounce: true,
      detail: 'smtp; 550 5.1.1 user unknown',
    });
  });

  it('records a transient bounce as soft, with its subtype when there is no diagnostic', () => {
    const bounce = { bounceType: 'Transient', bounceSubType: 'MailboxFull', bouncedRecipients: [{ emailAddress: 'ada.lovelace@example.com' }], timestamp: deliveredAt };
    expect(factOf(anSesEvent('Bounce', { bounce }))).toMatchObject({ kind: 'bounced', hardBounce: false, detail: 'MailboxFull' });
  });

  it('records a complaint for the complaining recipient with its feedback type', () => {
    const complaint = {
      feedbackId: '0102019365a1b2c3-1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d-000000',
      complaintSubType: null,
      complainedRecipients: [{ emailAddress: 'Ada.Lovelace@example.com' }],
      timestamp: later(86_400),
      userAgent: 'Yahoo!-Mail-Feedback/2.0',
      complaintFeedbackType: 'abuse',
      arrivalDate: later(86_000),
    };
    expect(factOf(anSesEvent('Complaint', { complaint }))).toMatchObject({ kind: 'complained', at: later(86_400), email: 'ada.lovelace@example.com', detail: 'abuse' });
  });

  it('records a reject at the mail timestamp with its reason', () => {
    expect(factOf(anSesEvent('Reject', { reject: { reason: 'Bad content' } }))).toMatchObject({ kind: 'rejected', at: sentAt, detail: 'Bad content' });
  });

  it('records a delivery delay with its delay type', () => {
    const deliveryDelay = {
      timestamp: later(600),
      delayType: 'TransientCommunicationFailure',
      expirationTime: later(86_400),
      delayedRecipients: [{ emailAddress: 'ada.lovelace@example.com', status: '4.4.1', diagnosticCode: 'smtp; 421 4.4.1 Unable to connect to remote host' }],
    };
    expect(factOf(anSesEvent('DeliveryDelay', { deliveryDelay }))).toMatchObject({ kind: 'delayed', at: later(600), detail: 'TransientCommunicationFailure' });
  });

  it.each(['Rendering Failure', 'RenderingFailure'])('records a rendering failure written as %j with its message', (eventType) => {
    const failure = { errorMessage: "Attribute 'firstName' is not present in the rendering data.", templateName: 'staff-engineer-outreach' };
    expect(factOf(anSesEvent(eventType, { failure }))).toMatchObject({ kind: 'renderingFailed', at: sentAt, detail: failure.errorMessage });
  });

  it('leaves out the campaign and candidate when the mail carries no such tags', () => {
    const fact = factOf(anSesEvent('Send', {}, aMail({ tags: { 'ses:configuration-set': ['talent-relay'] } })));
    expect(fact).not.toHaveProperty('campaignId');
    expect(fact).not.toHaveProperty('candidateId');
  });

  it('accepts fields SES adds later, and refuses a record without the section its event type names', () => {
    expect(SesEventRecord.safeParse({ ...anSesEvent('Open', { open: { timestamp: later(60), userAgent: agents.iPhoneMail, ipAddress: '82.132.214.10', newField: 1 } }).detail, extra: true }).success).toBe(true);
    expect(SesEventRecord.safeParse(anSesEvent('Bounce').detail).success).toBe(false);
    expect(SesEventRecord.safeParse(anSesEvent('Send', {}, aMail({ destination: [] })).detail).success).toBe(false);
  });
});

describe('machine opens', () => {
  const open = (userAgent: string | undefined, ipAddress = '82.132.214.10') => isMachineOpen({ userAgent, ipAddress, timestamp: later(3600) }, deliveredAt);

  it('treats a missing user agent as a machine', () => {
    expect(open(undefined)).toEqual({ machine: true, reason: 'no user agent' });
    expect(factOf(anOpen(undefined, '82.132.214.10'))).toMatchObject({ machine: true, machineReason: 'no user agent' });
  });

  it("treats any address in Apple's 17.0.0.0/8 as the privacy proxy, also when written IPv4-mapped", () => {
    expect(open(agents.iPhoneMail, '17.253.4.125').machine).toBe(true);
    expect(open(agents.iPhoneMail, '::ffff:17.58.1.2').machine).toBe(true);
    expect(open(agents.iPhoneMail, '18.0.0.1').machine).toBe(false);
    expect(open(agents.iPhoneMail, '2a01:4b00:8e12::1').machine).toBe(false);
  });

  it.each([
    'curl/8.5.0',
    'python-requests/2.32.3',
    'Go-http-client/1.1',
    'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0.0.0 Safari/537.36',
    'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
    'Mimecast-URL-Protect/1.0',
    'Microsoft Office Existence Discovery',
  ])('treats %j as a scanner', (userAgent) => {
    expect(open(userAgent)).toMatchObject({ machine: true, reason: expect.stringMatching(/^scanner user agent/) });
  });

  it('does not take a Cubot phone for a bot', () => {
    expect(open('Mozilla/5.0 (Linux; Android 10; CUBOT X30) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/119.0.0.0 Mobile Safari/537.36').machine).toBe(false);
  });

  it('judges by user agent and address alone when the delivery time is unknown', () => {
    expect(isMachineOpen({ userAgent: agents.iPhoneMail, ipAddress: '82.132.214.10', timestamp: deliveredAt })).toEqual({ machine: false });
  });
});
