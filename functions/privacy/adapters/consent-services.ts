import { config } from '../../../shared/config.ts';
import { sendEmail } from '../../../shared/email/ses.ts';
import { clock } from '../../../shared/ids.ts';
import { signer } from '../../../shared/signing.ts';
import { candidates } from '../../candidates/adapters/services.ts';
import { consentService } from '../domain/consent-service.ts';
import { dynamoRenewalAsks } from './consent-renewal-asks.ts';
import { dynamoSettingsStore } from './dynamo-settings-store.ts';

/** Consents live on the candidate's profile: recorded through the candidates service, so its version check and events apply. */
export const consents = consentService({
  holders: {
    get: (candidateId) => candidates.get(candidateId),
    record: async (candidateId, records, actor) => (await candidates.recordConsents(candidateId, records, actor)).consents,
  },
  settings: dynamoSettingsStore,
  asks: dynamoRenewalAsks,
  mailer: { send: sendEmail },
  signer,
  links: {
    get api() {
      return config.publicApiUrl;
    },
  },
  clock,
});
