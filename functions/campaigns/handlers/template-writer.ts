import { endpoint, httpApi, withVersion } from '../../../shared/http/api.ts';
import * as api from '../api.ts';
import { compileMjml } from '../adapters/mjml.ts';
import { templateService } from '../domain/template-service.ts';
import { clock, ids, links, signer, stores } from '../adapters/services.ts';

// Saving is its own function: only it carries the MJML compiler, so reading and previewing stay small and fast.
const templates = templateService({ ...stores, compileMjml, signer, links, clock, ids });

const createTemplate = endpoint(api.createTemplate, async ({ body }) => {
  const template = await templates.create(body);
  return { ...withVersion(template, 201), headers: { etag: `"${template.version}"`, location: `/templates/${template.id}` } };
});
const updateTemplate = endpoint(api.updateTemplate, async ({ params, body, ifMatch }) => withVersion(await templates.replace(params.id, body, ifMatch)));

export const handler = httpApi(createTemplate, updateTemplate);
