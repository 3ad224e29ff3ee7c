import { endpoint, httpApi, noContent, ok } from '../../../shared/http/api.ts';
import { duplicates } from '../adapters/services-duplicates.ts';
import * as api from '../api.ts';

const listDuplicates = endpoint(api.listDuplicates, async ({ query }) => ok(await duplicates.list(query)));

const dismissDuplicate = endpoint(api.dismissDuplicate, async ({ body }) => {
  await duplicates.dismiss(...body.candidateIds);
  return noContent();
});

const mergeCandidates = endpoint(api.mergeCandidates, async ({ params, body, actor }) =>
  ok(await duplicates.merge(params.id, body.duplicateId, body.prefer, actor.sub)),
);

const undoMerge = endpoint(api.undoMerge, async ({ params, actor }) => ok(await duplicates.undo(params.id, actor.sub)));

export const handler = httpApi(listDuplicates, dismissDuplicate, mergeCandidates, undoMerge);
