import { config } from '../../../shared/config.ts';
import { sendEmail } from '../../../shared/email/ses.ts';
import { clock, newId } from '../../../shared/ids.ts';
import { hashIdentifier, signer } from '../../../shared/signing.ts';
import { requestService } from '../domain/request-service.ts';
import { dynamoCandidateEmails, dynamoRequestStore } from './dynamo-request-store.ts';
import { erasures } from './erasures.ts';
import { personData } from './person-data.ts';
import { s3ExportFiles } from './s3-export-files.ts';

/** Self-service requests: the export and the erasure are the same ones an admin starts. */
export const requests = requestService({
  requests: dynamoRequestStore,
  candidates: dynamoCandidateEmails,
  personData,
  erasures,
  exports: s3ExportFiles,
  mailer: { send: sendEmail },
  signer: { sign: (id, days) => signer.signRecord('q', id, days), verify: (token) => signer.verifyRecord(token, 'q') },
  hashIdentifier,
  org: () => config.organisation,
  publicApiUrl: () => config.publicApiUrl,
  clock,
  ids: { next: newId },
});
