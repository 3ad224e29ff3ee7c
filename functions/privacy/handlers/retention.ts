import { endpoint, httpApi, ok } from '../../../shared/http/api.ts';
import { dynamoSettingsStore } from '../adapters/dynamo-settings-store.ts';
import * as api from '../api.ts';

const getRetention = endpoint(api.getRetention, async () => ok(await dynamoSettingsStore.retention()));

const putRetention = endpoint(api.putRetention, async ({ body }) => {
  await dynamoSettingsStore.saveRetention(body);
  return ok(body);
});

export const handler = httpApi(getRetention, putRetention);
