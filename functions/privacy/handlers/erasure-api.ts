import { NotFound } from '../../../shared/errors.ts';
import { endpoint, httpApi, noContent, ok } from '../../../shared/http/api.ts';
import { erasures } from '../adapters/erasures.ts';
import * as api from '../api.ts';

/** 204 once the erasure is under way or done, however often it is asked for; 404 for an id that never existed. */
const eraseCandidate = endpoint(api.eraseCandidate, async ({ params, actor }) => {
  if (!(await erasures.start(params.id, 'admin', actor.sub))) throw new NotFound(`There is no candidate ${params.id}.`);
  return noContent();
});

const getErasure = endpoint(api.getErasure, async ({ params }) => {
  const status = await erasures.status(params.id);
  if (!status) throw new NotFound(`${params.id} has not been erased.`);
  return ok(status);
});

export const handler = httpApi(eraseCandidate, getErasure);
