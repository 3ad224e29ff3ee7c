import type { SESv2Client } from '@aws-sdk/client-sesv2';
import { config } from '../config.ts';
import { boundedRetries, MAX_ATTEMPTS } from '../retries.ts';

let ses: Promise<{ module: typeof import('@aws-sdk/client-sesv2'); client: SESv2Client }> | undefined;
/**
 * The SES client, loaded on first use (a function that sends now and then should not pay for it at every cold start).
 * Only a throttle is retried: a timeout or a dropped connection may come after SES accepted the email, and sending
 * it again would mail the person twice; the caller's claim decides instead (sent, or taken over once surely over).
 */
export const loadSes = () =>
  (ses ??= import('@aws-sdk/client-sesv2').then((module) => ({ module, client: new module.SESv2Client({ maxAttempts: MAX_ATTEMPTS, retryStrategy: boundedRetries(['THROTTLING']) }) })));


/** A file sent with an email (a calendar invite): text content, sent base64-encoded by the SDK. */
export interface EmailAttachment {
  fileName: string;
  /** With parameters where the type has them: `text/calendar; method=REQUEST`. */
  contentType: string;
  content: string;
}

/** A transactional email (digests, notices) through SES v2, tracked by the configuration set when one is set. */
export async function sendEmail(message: { to: string; subject: string; text: string; html: string; attachments?: EmailAttachment[] }): Promise<void> {
  const { module, client } = await loadSes();
  await client.send(
    new module.SendEmailCommand({
      FromEmailAddress: config.mailFrom,
      Destination: { ToAddresses: [message.to] },
      Content: {
        Simple: {
          Subject: { Data: message.subject, Charset: 'UTF-8' },
          Body: { Text: { Data: message.text, Charset: 'UTF-8' }, Html: { Data: message.html, Charset: 'UTF-8' } },
          ...(message.attachments?.length
            ? {
                Attachments: message.attachments.map((file) => ({
                  FileName: file.fileName,
                  ContentType: file.contentType,
                  ContentDisposition: 'ATTACHMENT' as const,
                  ContentTransferEncoding: 'BASE64' as const,
                  RawContent: new TextEncoder().encode(file.content),
                })),
              }
            : {}),
        },
      },
      ...(process.env.SES_CONFIGURATION_SET ? { ConfigurationSetName: process.env.SES_CONFIGURATION_SET } : {}),
    }),
  );
}
