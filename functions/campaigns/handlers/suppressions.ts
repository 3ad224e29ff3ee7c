import { created, endpoint, httpApi, noContent, ok } from '../../../shared/http/api.ts';
import * as api from '../api.ts';
import { subscriptions } from '../adapters/services-subscriptions.ts';

const listSuppressions = endpoint(api.listSuppressions, async ({ query }) => ok(await subscriptions.listSuppressions(query)));
const addSuppression = endpoint(api.addSuppression, async ({ body }) => created(await subscriptions.suppress(body)));
const removeSuppression = endpoint(api.removeSuppression, async ({ params }) => {
  await subscriptions.unsuppress(params.email);
  return noContent();
});

export const handler = httpApi(listSuppressions, addSuppression, removeSuppression);
