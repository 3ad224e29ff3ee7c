import type { Context } from 'aws-lambda';
import { sendEmail } from '../../../shared/email/ses.ts';
import { clock } from '../../../shared/ids.ts';
import { logger } from '../../../shared/observability.ts';
import { dynamoRetentionPeople } from '../adapters/dynamo-people.ts';
import { erasures } from '../adapters/erasures.ts';
import { dynamoSettingsStore } from '../adapters/dynamo-settings-store.ts';
import { retentionService } from '../domain/retention-service.ts';

const retention = retentionService({ people: dynamoRetentionPeople, settings: dynamoSettingsStore, erasures, mailer: { send: sendEmail }, clock });

/** The daily schedule: applies the retention rule, as a report (dry run) or as warnings and then erasures. */
export const handler = async (_event: unknown, context: Context) => {
  logger.addContext(context);
  const report = await retention.run();
  logger.info('Retention rule applied', { mode: report.mode, matched: report.matched, warned: report.warned, erased: report.erased });
  return report;
};
