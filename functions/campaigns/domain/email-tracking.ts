import * as z from 'zod';

/**
 * What SES reports about a campaign email, turned into facts the CRM records. The configuration set publishes each
 * event to EventBridge (source `aws.ses`, detail-types "Email Sent" … "Email Rendering Failed") with the SES event
 * record as `detail`. Pure: a record in, a fact out.
 */
const Timestamp = z.iso.datetime({ offset: true });
const Tags = z.record(z.string(), z.array(z.string()));
const nonEmpty = <T extends z.ZodType>(item: T) => z.tuple([item], item);
const Recipient = z.looseObject({ emailAddress: z.string(), diagnosticCode: z.string().optional() });
const Fetch = { timestamp: Timestamp, userAgent: z.string().optional(), ipAddress: z.string().optional() };

// Loose objects throughout: SES adds fields over time, and an unknown field must not drop an event.
const Mail = z.looseObject({
  timestamp: Timestamp,
  messageId: z.string(),
  source: z.string(),
  destination: nonEmpty(z.string()),
  tags: Tags.optional(),
  headers: z.array(z.looseObject({ name: z.string(), value: z.string() })).optional(),
  commonHeaders: z.looseObject({}).optional(),
});

/** The `detail` of an SES event on EventBridge: the mail it concerns, and the section its `eventType` names. */
export const SesEventRecord = z.discriminatedUnion('eventType', [
  z.looseObject({ eventType: z.literal('Send'), mail: Mail, send: z.looseObject({}).optional() }),
  z.looseObject({
    eventType: z.literal('Delivery'),
    mail: Mail,
    delivery: z.looseObject({ timestamp: Timestamp, processingTimeMillis: z.number().optional(), recipients: z.array(z.string()).optional() }),
  }),
  z.looseObject({
    eventType: z.literal('Bounce'),
    mail: Mail,
    bounce: z.looseObject({ bounceType: z.enum(['Undetermined', 'Permanent', 'Transient']), bounceSubType: z.string(), bouncedRecipients: nonEmpty(Recipient), timestamp: Timestamp }),
  }),
  z.looseObject({
    eventType: z.literal('Complaint'),
    mail: Mail,
    complaint: z.looseObject({ complainedRecipients: nonEmpty(Recipient), timestamp: Timestamp, complaintFeedbackType: z.string().optional() }),
  }),
  z.looseObject({ eventType: z.literal('Reject'), mail: Mail, reject: z.looseObject({ reason: z.string() }) }),
  z.looseObject({ eventType: z.literal('Open'), mail: Mail, open: z.looseObject(Fetch) }),
  z.looseObject({ eventType: z.literal('Click'), mail: Mail, click: z.looseObject({ ...Fetch, link: z.string(), linkTags: Tags.optional() }) }),
  z.looseObject({
    eventType: z.literal('DeliveryDelay'),
    mail: Mail,
    deliveryDelay: z.looseObject({ timestamp: Timestamp, delayType: z.string(), delayedRecipients: z.array(Recipient).optional() }),
  }),
  // SES documents `Rendering Failure` (with a space) but some records carry `RenderingFailure`.
  z.looseObject({ eventType: z.enum(['Rendering Failure', 'RenderingFailure']), mail: Mail, failure: z.looseObject({ errorMessage: z.string(), templateName: z.string().optional() }) }),
]);
export type SesEventRecord = z.output<typeof SesEventRecord>;

export type TrackingKind = 'sent' | 'delivered' | 'bounced' | 'complained' | 'rejected' | 'opened' | 'clicked' | 'delayed' | 'renderingFailed';

export type TrackingFact = {
  kind: TrackingKind;
  at: string;
  messageId: string;
  /** The affected recipient, lower-cased. */
  email: string;
  campaignId?: string;
  candidateId?: string;
  machine?: boolean;
  machineReason?: string;
  url?: string;
  hardBounce?: boolean;
  detail?: string;
};

const PREFETCH_MS = 10_000;

const apple = '17.0.0.0/8';
// Ranges the vendors publish for allow-listing their mail gateways, whose sandboxes fetch images and links on arrival.
const scannerRanges = [
  '64.235.144.0/20', // Barracuda Email Security Service
  '209.222.80.0/21', // Barracuda Email Security Service
  '67.231.144.0/20', // Proofpoint
  '148.163.128.0/19', // Proofpoint
];
// Case-insensitive substrings. Not `ms-office`: that is Outlook desktop itself loading images for its reader.
const scannerAgents = [
  'barracuda', 'mimecast', 'proofpoint', 'forcepoint', 'symantec', 'trend micro', 'trendmicro', 'zscaler', 'cisco',
  'crawler', 'spider', 'python-requests', 'curl/', 'go-http-client', 'headlesschrome', 'microsoft office existence discovery',
];
// `bot` only as a product token (Googlebot/2.1, Slackbot-LinkExpanding), so CUBOT phones stay human.
const botToken = /bot(?:[/;)-]|$)/i;

const ipv4 = (address: string): number | undefined => {
  const parts = address.replace(/^::ffff:/i, '').split('.');
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) return undefined;
  return parts.reduce((value, part) => value * 256 + Number(part), 0);
};

const inRange = (address: number, cidr: string): boolean => {
  const [base, bits] = cidr.split('/');
  const size = 2 ** (32 - Number(bits));
  return Math.floor(address / size) === Math.floor(ipv4(base!)! / size);
};

/**
 * Whether an open (or a click) was a machine rather than the person, so engagement counts only people:
 * (a) Apple Mail Privacy Protection fetches every image through Apple's proxy on arrival: user agent exactly
 *     `Mozilla/5.0` (no platform details) or an address in Apple's 17.0.0.0/8;
 * (b) security scanners and link checkers, by user agent token (Barracuda, Mimecast, Proofpoint, curl, a bot …) or by
 *     the published ranges of the mail gateways that sandbox links;
 * (c) anything less than 10 seconds after delivery, which is a prefetch, not a reader;
 * and a missing user agent. Gmail's image proxy (`GoogleImageProxy`, `via ggpht.com`) is a person: Gmail fetches
 * images when the message is opened.
 */
export function isMachineOpen(open: { userAgent?: string; ipAddress?: string; timestamp: string }, deliveredAt?: string): { machine: boolean; reason?: string } {
  const agent = open.userAgent?.trim() ?? '';
  if (!agent) return { machine: true, reason: 'no user agent' };
  const elapsed = deliveredAt === undefined ? NaN : Date.parse(open.timestamp) - Date.parse(deliveredAt);
  if (elapsed < PREFETCH_MS) return { machine: true, reason: `prefetch, ${Math.max(0, Math.round(elapsed / 1000))}s after delivery` };
  if (/GoogleImageProxy|via ggpht\.com/i.test(agent)) return { machine: false };
  const address = open.ipAddress === undefined ? undefined : ipv4(open.ipAddress);
  if (agent === 'Mozilla/5.0' || (address !== undefined && inRange(address, apple))) return { machine: true, reason: 'Apple Mail Privacy Protection' };
  const lower = agent.toLowerCase();
  const token = scannerAgents.find((t) => lower.includes(t)) ?? (botToken.test(agent) ? 'bot' : undefined);
  if (token) return { machine: true, reason: `scanner user agent (${token})` };
  const range = address === undefined ? undefined : scannerRanges.find((cidr) => inRange(address, cidr));
  if (range) return { machine: true, reason: `scanner address (${range})` };
  return { machine: false };
}

/** The fact an SES event records; `deliveredAt` (from the Delivery event) tells a prefetch from a reader. */
export function trackingFact(record: SesEventRecord, context: { deliveredAt?: string }): TrackingFact {
  const { mail } = record;
  const campaignId = mail.tags?.campaignId?.[0];
  const candidateId = mail.tags?.candidateId?.[0];
  // Campaign emails go to one recipient, so the first address is the one the event is about.
  const fact = (kind: TrackingKind, at: string, extra: Partial<TrackingFact> = {}): TrackingFact => ({
    kind,
    at,
    messageId: mail.messageId,
    ...(campaignId ? { campaignId } : {}),
    ...(candidateId ? { candidateId } : {}),
    ...extra,
    email: (extra.email ?? mail.destination[0]).toLowerCase(),
  });
  const machineOf = (fetch: Parameters<typeof isMachineOpen>[0]) => {
    const { machine, reason } = isMachineOpen(fetch, context.deliveredAt);
    return { machine, ...(reason ? { machineReason: reason } : {}) };
  };
  switch (record.eventType) {
    case 'Send':
      return fact('sent', mail.timestamp);
    case 'Delivery':
      return fact('delivered', record.delivery.timestamp);
    case 'Bounce': {
      const { bounce } = record;
      const [recipient] = bounce.bouncedRecipients;
      const hardBounce = bounce.bounceType === 'Permanent';
      return fact('bounced', bounce.timestamp, { email: recipient.emailAddress, hardBounce, detail: recipient.diagnosticCode ?? bounce.bounceSubType });
    }
    case 'Complaint': {
      const { complaint } = record;
      const feedback = complaint.complaintFeedbackType;
      return fact('complained', complaint.timestamp, { email: complaint.complainedRecipients[0].emailAddress, ...(feedback ? { detail: feedback } : {}) });
    }
    case 'Reject':
      return fact('rejected', mail.timestamp, { detail: record.reject.reason });
    case 'Open':
      return fact('opened', record.open.timestamp, machineOf(record.open));
    case 'Click':
      return fact('clicked', record.click.timestamp, { ...machineOf(record.click), url: record.click.link });
    case 'DeliveryDelay': {
      const { deliveryDelay } = record;
      const email = deliveryDelay.delayedRecipients?.[0]?.emailAddress;
      return fact('delayed', deliveryDelay.timestamp, { detail: deliveryDelay.delayType, ...(email ? { email } : {}) });
    }
    case 'Rendering Failure':
    case 'RenderingFailure':
      return fact('renderingFailed', mail.timestamp, { detail: record.failure.errorMessage });
  }
}
