import { config } from '../../../shared/config.ts';
import { clock, newId } from '../../../shared/ids.ts';
import { signer } from '../../../shared/signing.ts';
import { startWorkflow } from '../../../shared/workflows.ts';
import { isSuppressed } from '../../campaigns/adapters/suppressed.ts';
import { invitationService } from '../domain/survey-invitations.ts';
import { surveyService } from '../domain/survey-service.ts';
import { sendOrRefuse } from './ses-mail.ts';
import { dynamoInvitationStore, dynamoSurveyPeople, dynamoSurveyStore } from './survey-stores.ts';

const ids = { next: newId };
const stores = { surveys: dynamoSurveyStore, invitations: dynamoInvitationStore, people: dynamoSurveyPeople, clock, ids };

/** Recruiters' side and the triggers: the workflow client is loaded on first start. */
export const surveys = surveyService({ ...stores, workflows: { start: startWorkflow } });

/** The send task and the public link: the SES client is loaded on first send. */
export const invitations = invitationService({
  ...stores,
  suppressed: isSuppressed,
  mailer: { send: sendOrRefuse },
  signer: { sign: (id, days) => signer.signRecord('s', id, days), verify: (token) => signer.verifyRecord(token, 's') },
  org: () => config.organisation,
  publicApiUrl: () => config.publicApiUrl,
});
