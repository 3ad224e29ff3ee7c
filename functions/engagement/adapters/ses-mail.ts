import { sendEmail } from '../../../shared/email/ses.ts';
import { MailNotSent } from '../domain/mail-not-sent.ts';

/** SES's own throttling names, as the campaigns mailer reads them (functions/campaigns/adapters/ses-mailer.ts). */
const THROTTLED = new Set(['TooManyRequestsException', 'LimitExceededException', 'Throttling', 'ThrottlingException']);

/**
 * A 4xx answer from SES (its exceptions carry `$fault: 'client'`: throttled, rejected, sending paused) means the
 * message was not accepted. A timeout, a dropped connection or a 5xx says nothing about whether it went out.
 */
export const refusedBySes = (error: unknown): boolean =>
  error instanceof Error && (THROTTLED.has(error.name) || (error as { $fault?: string }).$fault === 'client');

/** `sendEmail` that says when SES certainly did not take the message (MailNotSent). */
export async function sendOrRefuse(message: Parameters<typeof sendEmail>[0]): Promise<void> {
  try {
    await sendEmail(message);
  } catch (error) {
    if (refusedBySes(error)) throw new MailNotSent((error as Error).message, { cause: error });
    throw error;
  }
}
