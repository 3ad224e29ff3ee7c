import { endpoint, httpApi, ok, withVersion } from '../../../shared/http/api.ts';
import * as api from '../api.ts';
import { templateService } from '../domain/template-service.ts';
import { clock, ids, links, signer, stores } from '../adapters/services.ts';

const templates = templateService({ ...stores, signer, links, clock, ids });

const listTemplates = endpoint(api.listTemplates, async ({ query }) => ok(await templates.list(query)));
const getTemplate = endpoint(api.getTemplate, async ({ params }) => withVersion(await templates.get(params.id)));
const previewTemplate = endpoint(api.previewTemplate, async ({ params, body }) => ok(await templates.preview(params.id, body.candidateId)));

export const handler = httpApi(listTemplates, getTemplate, previewTemplate);
