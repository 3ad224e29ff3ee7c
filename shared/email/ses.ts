import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';

const client = new SESv2Client({});

const from = () => {
  const value = process.env.MAIL_FROM;
  if (!value) throw new Error('Missing environment variable MAIL_FROM');
  return value;
};

/** A transactional email (digests, notices) through SES v2, tracked by the configuration set when one is set. */
export async function sendEmail(message: { to: string; subject: string; text: string; html: string }): Promise<void> {
  await client.send(
    new SendEmailCommand({
      FromEmailAddress: from(),
      Destination: { ToAddresses: [message.to] },
      Content: {
        Simple: {
          Subject: { Data: message.subject, Charset: 'UTF-8' },
          Body: { Text: { Data: message.text, Charset: 'UTF-8' }, Html: { Data: message.html, Charset: 'UTF-8' } },
        },
      },
      ...(process.env.SES_CONFIGURATION_SET ? { ConfigurationSetName: process.env.SES_CONFIGURATION_SET } : {}),
    }),
  );
}
