import { endpoint, httpApi } from '../../../shared/http/api.ts';
import { community } from '../adapters/services-community.ts';
import * as api from '../api.ts';
import { APPLY_MESSAGE } from '../domain/community-service.ts';

const apply = endpoint(api.apply, async ({ params, body, file }) => {
  await community.apply(params.id, body, file);
  return { status: 202, body: { message: APPLY_MESSAGE } };
});

export const handler = httpApi(apply);
