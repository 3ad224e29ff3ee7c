import { created, endpoint, httpApi, ok } from '../../../shared/http/api.ts';
import { consents } from '../adapters/consent-services.ts';
import * as api from '../api.ts';

const listConsents = endpoint(api.listConsents, async ({ params }) => ok(await consents.list(params.id)));

const recordConsent = endpoint(api.recordConsent, async ({ params, body, actor }) => created(await consents.record(params.id, body, actor.sub)));

export const handler = httpApi(listConsents, recordConsent);
