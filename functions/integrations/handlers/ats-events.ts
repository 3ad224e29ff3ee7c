import type { Endpoint } from '../../../shared/http/api.ts';
import { endpoint, httpApi } from '../../../shared/http/api.ts';
import { atsInbound } from '../adapters/ats-services.ts';
import * as api from '../ats-api.ts';

/**
 * The signature covers the bytes as they were sent, so the receiver reads the raw body from the event itself; the
 * route's own parsing (size, media type, JSON) has passed by then.
 */
const receiveEvent: Endpoint = {
  contract: api.receiveAtsEvent,
  handle: (event, context) =>
    endpoint(api.receiveAtsEvent, async ({ params, headers }) => {
      const rawBody = event.body ? Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8').toString('utf8') : '';
      const result = await atsInbound.receive(params.id, { rawBody, headers });
      return { status: result.outcome === 'unmatched' ? 202 : 200, body: result };
    }).handle(event, context),
};

export const handler = httpApi(receiveEvent);
