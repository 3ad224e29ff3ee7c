import { randomUUID } from 'node:crypto';
import { createServer, request as httpRequest, type Server } from 'node:http';
import { createRequire } from 'node:module';
import { sesDetailType } from '../../events/ses.ts';
import { listen, readBody } from './net.ts';

interface StoredEmail {
  messageId: string;
  from: string;
  destination: { to: string[]; cc: string[]; bcc: string[] };
  subject: string;
  body: { html?: string; text?: string };
  headers?: { name: string; value: string }[];
  /** The emulator keeps each attachment's content base64-encoded, as SES takes it. */
  attachments?: { filename: string; contentType: string; content: string }[];
  at: number;
}

/** What SES remembers of a sent message: enough to build the `mail` part of its events. */
interface SentMessage {
  messageId: string;
  source: string;
  destination: string[];
  tags: Record<string, string[]>;
  headers: { name: string; value: string }[];
  timestamp: string;
}

type Tag = { Name: string; Value: string };
type PublishEvents = (entries: { Source: string; DetailType: string; Detail: string }[]) => unknown;

/** An event a test injects for a message: SES's own field names for the part its type carries. */
export interface InjectedSesEvent {
  messageId: string;
  eventType: 'Send' | 'Delivery' | 'Open' | 'Click' | 'Bounce' | 'Complaint' | 'Reject' | 'DeliveryDelay' | 'Rendering Failure';
  open?: Record<string, unknown>;
  click?: Record<string, unknown>;
  bounce?: Record<string, unknown>;
  complaint?: Record<string, unknown>;
}

/**
 * The SES v2 emulator behind a small proxy. The emulator stores what is sent (read back for `GET /_local/mail`); the
 * proxy sees every SendEmail and SendBulkEmail with SES's answer and publishes the SEND and DELIVERY events SES would
 * publish through the configuration set, so tracking runs locally as in AWS. Other events are injected.
 */
export async function startMail(publish: PublishEvents) {
  // A CommonJS module whose factory is `exports.default`; require() reads it the same way under tsx and vitest.
  const { default: startSesEmulator } = createRequire(import.meta.url)('aws-ses-v2-local') as typeof import('aws-ses-v2-local');
  const emulator: Server = await startSesEmulator({ host: '127.0.0.1', port: 0 });
  const address = emulator.address();
  const emulatorPort = typeof address === 'object' && address ? address.port : 0;
  const sent = new Map<string, SentMessage>();
  /** SES API calls by path, for the bench. */
  const calls = new Map<string, number>();

  function publishRecord(eventType: InjectedSesEvent['eventType'], message: SentMessage, section: Record<string, unknown>) {
    const key = { Send: 'send', Delivery: 'delivery', Open: 'open', Click: 'click', Bounce: 'bounce', Complaint: 'complaint', Reject: 'reject', DeliveryDelay: 'deliveryDelay', 'Rendering Failure': 'failure' }[eventType];
    const record = {
      eventType,
      mail: {
        timestamp: message.timestamp, source: message.source, sendingAccountId: '000000000000', messageId: message.messageId,
        destination: message.destination, headersTruncated: false, headers: message.headers, tags: message.tags,
      },
      [key]: section,
    };
    publish([{ Source: 'aws.ses', DetailType: sesDetailType[eventType]!, Detail: JSON.stringify(record) }]);
  }

  /** Records what went out and publishes its SEND and DELIVERY events, as the configuration set would. */
  function sentMessages(body: Record<string, unknown>, answer: Record<string, unknown>, bulk: boolean) {
    const timestamp = new Date().toISOString();
    const source = String(body.FromEmailAddress ?? '');
    const toTags = (tags: Tag[] = []) => Object.fromEntries(tags.map((t) => [t.Name, [t.Value]]));
    const messages: SentMessage[] = [];
    if (bulk) {
      const entries = (body.BulkEmailEntries ?? []) as { Destination: { ToAddresses: string[] }; ReplacementTags?: Tag[]; ReplacementHeaders?: Tag[] }[];
      ((answer.BulkEmailEntryResults ?? []) as { Status: string; MessageId?: string }[]).forEach((result, i) => {
        const entry = entries[i];
        if (result.Status !== 'SUCCESS' || !result.MessageId || !entry) return;
        messages.push({
          messageId: result.MessageId, source, destination: entry.Destination.ToAddresses, timestamp,
          tags: { ...toTags(body.DefaultEmailTags as Tag[]), ...toTags(entry.ReplacementTags) },
          headers: (entry.ReplacementHeaders ?? []).map((h) => ({ name: h.Name, value: h.Value })),
        });
      });
    } else if (answer.MessageId) {
      const destination = (body.Destination ?? {}) as { ToAddresses?: string[] };
      messages.push({ messageId: String(answer.MessageId), source, destination: destination.ToAddresses ?? [], timestamp, tags: toTags(body.EmailTags as Tag[]), headers: [] });
    }
    for (const message of messages) {
      sent.set(message.messageId, message);
      publishRecord('Send', message, {});
      publishRecord('Delivery', message, { timestamp, processingTimeMillis: 120, recipients: message.destination, smtpResponse: '250 2.0.0 OK', reportingMTA: 'a8-1.smtp-out.amazonses.com' });
    }
  }

  const proxy = createServer(async (request, response) => {
    const body = await readBody(request);
    const operation = `${request.method} ${(request.url ?? '').split('?')[0]}`;
    calls.set(operation, (calls.get(operation) ?? 0) + 1);
    const forwarded = httpRequest(
      { host: '127.0.0.1', port: emulatorPort, method: request.method, path: request.url, headers: request.headers },
      async (answer) => {
        const payload = await readBody(answer);
        response.writeHead(answer.statusCode ?? 500, answer.headers);
        response.end(payload);
        const path = request.url ?? '';
        if (request.method !== 'POST' || answer.statusCode !== 200) return;
        if (path.startsWith('/v2/email/outbound-emails') || path.startsWith('/v2/email/outbound-bulk-emails')) {
          sentMessages(JSON.parse(body.toString('utf8')), JSON.parse(payload.toString('utf8')), path.startsWith('/v2/email/outbound-bulk-emails'));
        }
      },
    );
    forwarded.on('error', (error) => {
      response.writeHead(502);
      response.end(error.message);
    });
    forwarded.end(body);
  });
  const endpoint = `http://127.0.0.1:${await listen(proxy, 0)}`;

  return {
    endpoint,
    calls: () => new Map(calls),
    resetCalls: () => calls.clear(),
    async messages(to?: string) {
      const { emails } = (await (await fetch(`http://127.0.0.1:${emulatorPort}/store`)).json()) as { emails: StoredEmail[] };
      const wanted = to?.toLowerCase();
      return emails
        .filter((email) => !wanted || [...email.destination.to, ...email.destination.cc, ...email.destination.bcc].some((a) => a.toLowerCase().includes(wanted)))
        .map((email) => ({
          messageId: email.messageId,
          from: email.from,
          to: email.destination.to,
          subject: email.subject,
          headers: Object.fromEntries((email.headers ?? []).map(({ name, value }) => [name.toLowerCase(), value])),
          text: email.body.text,
          html: email.body.html,
          // Text files (a calendar invite) decoded, so a test reads them as the recipient's mail app would.
          ...(email.attachments?.length
            ? {
                attachments: email.attachments.map(({ filename, contentType, content }) => ({
                  filename, contentType, content: contentType.startsWith('text/') ? Buffer.from(content, 'base64').toString('utf8') : content,
                })),
              }
            : {}),
          date: new Date(email.at * 1000).toISOString(),
        }));
    },
    /** Publishes an SES event for a message sent earlier; false when no such message was sent. */
    inject(event: InjectedSesEvent): boolean {
      const message = sent.get(event.messageId);
      if (!message) return false;
      const now = new Date().toISOString();
      const recipient = { emailAddress: message.destination[0] };
      const sections: Record<InjectedSesEvent['eventType'], Record<string, unknown>> = {
        Send: {},
        Delivery: { timestamp: now, processingTimeMillis: 120, recipients: message.destination, smtpResponse: '250 2.0.0 OK' },
        Open: { timestamp: now, userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko)', ipAddress: '198.51.100.7', ...event.open },
        Click: { timestamp: now, userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36', ipAddress: '198.51.100.7', link: 'https://example.com/', ...event.click },
        Bounce: { bounceType: 'Permanent', bounceSubType: 'General', bouncedRecipients: [{ ...recipient, diagnosticCode: 'smtp; 550 5.1.1 user unknown' }], timestamp: now, feedbackId: randomUUID(), ...event.bounce },
        Complaint: { complainedRecipients: [recipient], timestamp: now, feedbackId: randomUUID(), complaintFeedbackType: 'abuse', ...event.complaint },
        Reject: { reason: 'Bad content' },
        DeliveryDelay: { timestamp: now, delayType: 'MailboxFull', delayedRecipients: [recipient] },
        'Rendering Failure': { errorMessage: 'Attribute not present in the rendering data' },
      };
      publishRecord(event.eventType, message, sections[event.eventType]);
      return true;
    },
    async stop() {
      for (const server of [proxy, emulator]) {
        server.closeAllConnections?.();
        await new Promise((resolve) => server.close(resolve));
      }
    },
  };
}
