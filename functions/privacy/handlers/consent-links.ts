import { endpoint, htmlPage, httpApi } from '../../../shared/http/api.ts';
import { consents } from '../adapters/consent-services.ts';
import * as api from '../api.ts';
import type { PageReply } from '../domain/consent-service.ts';

const html = ({ status, html: body }: PageReply) => htmlPage(status, body);

const renewConsentPage = endpoint(api.renewConsentPage, async ({ params }) => html(await consents.renewalPage(params.token)));
const renewConsent = endpoint(api.renewConsent, async ({ params }) => html(await consents.renew(params.token)));

export const handler = httpApi(renewConsentPage, renewConsent);
