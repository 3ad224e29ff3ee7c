import type { Context } from 'aws-lambda';
import { isSuppressed } from '../../campaigns/adapters/suppressed.ts';
import { candidates } from '../../candidates/adapters/services.ts';
import { config } from '../../../shared/config.ts';
import { sendEmail } from '../../../shared/email/ses.ts';
import { clock } from '../../../shared/ids.ts';
import { logger } from '../../../shared/observability.ts';
import { dynamoNoticeQueue } from '../adapters/dynamo-people.ts';
import { dynamoSettingsStore } from '../adapters/dynamo-settings-store.ts';
import { noticeService } from '../domain/notice.ts';
import { requestPrivacy } from '../api.ts';

/** Stop sending this long before the timeout, so the last notice is marked as sent before Lambda stops us. */
const SAFETY_MARGIN_MS = 30_000;

/** The daily schedule: people added by sourcing or import are told that and why their data is held (Art. 14). */
export const handler = async (_event: unknown, context: Context) => {
  logger.addContext(context);
  const notices = noticeService({
    queue: dynamoNoticeQueue,
    candidates,
    settings: dynamoSettingsStore,
    mailer: { send: sendEmail },
    suppressed: isSuppressed,
    clock,
    organisation: config.organisation,
    requestsUrl: `${config.publicApiUrl}${requestPrivacy.path}`,
  });
  const report = await notices.sendNotices(() => context.getRemainingTimeInMillis() > SAFETY_MARGIN_MS);
  logger.info('Privacy notices sent', { ...report });
  return report;
};
