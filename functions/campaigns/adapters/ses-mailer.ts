import { config } from '../../../shared/config.ts';
import { loadSes } from '../../../shared/email/ses.ts';
import { Throttled, type Mailer } from '../domain/ports.ts';

/**
 * Campaign email through SES v2 SendBulkEmail: up to 50 recipients a call. Each message is rendered by us (the same
 * renderer as the preview), so the SES template only places the rendered parts: triple braces keep them unescaped.
 * Per-recipient headers (List-Unsubscribe) go in ReplacementHeaders, and the tags come back in every SES event.
 */
export const sesMailer: Mailer = {
  async sendBulk(messages) {
    const { module, client } = await loadSes();
    try {
      const { BulkEmailEntryResults = [] } = await client.send(
        new module.SendBulkEmailCommand({
          FromEmailAddress: config.mailFrom,
          ConfigurationSetName: process.env.SES_CONFIGURATION_SET,
          DefaultContent: { Template: { TemplateContent: { Subject: '{{{subject}}}', Html: '{{{html}}}', Text: '{{{text}}}' }, TemplateData: '{}' } },
          BulkEmailEntries: messages.map((m) => ({
            Destination: { ToAddresses: [m.to] },
            ReplacementEmailContent: { ReplacementTemplate: { ReplacementTemplateData: JSON.stringify({ subject: m.subject, html: m.html, text: m.text }) } },
            ReplacementHeaders: [...Object.entries(m.headers).map(([Name, Value]) => ({ Name, Value })), { Name: 'Reply-To', Value: m.replyTo }],
            ReplacementTags: Object.entries(m.tags).map(([Name, Value]) => ({ Name, Value })),
          })),
        }),
      );
      return messages.map((_, i) => {
        const result = BulkEmailEntryResults[i];
        return result?.Status === 'SUCCESS' && result.MessageId ? { messageId: result.MessageId } : { error: result?.Error ?? result?.Status ?? 'no result' };
      });
    } catch (error) {
      if (error instanceof module.TooManyRequestsException || error instanceof module.LimitExceededException || (error as Error).name === 'Throttling') {
        throw new Throttled((error as Error).message);
      }
      throw error;
    }
  },
};
