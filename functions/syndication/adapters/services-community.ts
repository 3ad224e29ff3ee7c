import { config } from '../../../shared/config.ts';
import { sendEmail } from '../../../shared/email/ses.ts';
import { signer } from '../../../shared/signing.ts';
import { intake } from '../../candidates/adapters/services-applications.ts';
import { communityService } from '../domain/community-service.ts';
import { isSuppressed } from '../../campaigns/adapters/suppressed.ts';
import { dynamoJobStore, dynamoSignupStore, dynamoSiteStore } from './dynamo-stores.ts';
import { s3CvFiles } from './s3-files.ts';
import { clock, ids, organisation } from './services.ts';

/**
 * The public forms. People they bring in are taken in by the candidates context's own service, so the rules for
 * creating and updating candidates stay in one place.
 */
export const community = communityService({
  sites: dynamoSiteStore,
  jobs: dynamoJobStore,
  signups: dynamoSignupStore,
  intake,
  cvs: s3CvFiles,
  mailer: { send: sendEmail },
  suppressed: isSuppressed,
  signer: { sign: (id, days) => signer.signRecord('c', id, days), verify: (token) => signer.verifyRecord(token, 'c') },
  org: organisation,
  publicApiUrl: () => config.publicApiUrl,
  clock,
  ids,
});
