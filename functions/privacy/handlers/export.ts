import { NotFound } from '../../../shared/errors.ts';
import { endpoint, httpApi, ok } from '../../../shared/http/api.ts';
import { personData } from '../adapters/person-data.ts';
import * as api from '../api.ts';

/** Download links in an export work for an hour. */
const LINK_MINUTES = 60;

const exportCandidate = endpoint(api.exportCandidate, async ({ params }) => {
  const document = await personData.export(params.id, LINK_MINUTES);
  if (!document) throw new NotFound(`There is no candidate ${params.id}.`);
  return ok(document, { 'content-disposition': `attachment; filename="${params.id}.json"`, 'cache-control': 'no-store' });
});

export const handler = httpApi(exportCandidate);
