import { created, endpoint, httpApi, ok } from '../../../shared/http/api.ts';
import { timeline } from '../adapters/services.ts';
import * as api from '../api.ts';

const logTouchpoint = endpoint(api.logTouchpoint, async ({ params, body, actor }) =>
  created(await timeline.logTouchpoint(params.id, body, actor.sub)),
);

const getTimeline = endpoint(api.getTimeline, async ({ params, query }) => ok(await timeline.list(params.id, query)));

export const handler = httpApi(logTouchpoint, getTimeline);
