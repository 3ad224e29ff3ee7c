import { endpoint, httpApi, ok } from '../../../shared/http/api.ts';
import { settings } from '../adapters/services-reactivation.ts';
import * as api from '../reactivation-api.ts';

const getSettings = endpoint(api.getReactivationSettings, async () => ok(await settings.get()));
const putSettings = endpoint(api.putReactivationSettings, async ({ body }) => ok(await settings.save(body)));

export const handler = httpApi(getSettings, putSettings);
