import { endpoint, httpApi, type HttpReply } from '../../../shared/http/api.ts';
import * as api from '../api.ts';
import { subscriptions } from '../adapters/services-subscriptions.ts';
import type { PageReply } from '../domain/subscription-service.ts';

/** Pages behind email links: never cached, never indexed, never framed. */
const html = ({ status, html: body }: PageReply): HttpReply => ({
  status,
  body,
  headers: {
    'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'x-robots-tag': 'noindex',
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'", 'referrer-policy': 'no-referrer',
  },
});

const unsubscribePage = endpoint(api.unsubscribePage, async ({ params }) => html(await subscriptions.unsubscribePage(params.token)));
const unsubscribe = endpoint(api.unsubscribe, async ({ params }) => html(await subscriptions.unsubscribe(params.token)));
const preferencesPage = endpoint(api.preferencesPage, async ({ params }) => html(await subscriptions.preferencesPage(params.token)));
const savePreferences = endpoint(api.savePreferences, async ({ params, body }) => html(await subscriptions.savePreferences(params.token, body)));

export const handler = httpApi(unsubscribePage, unsubscribe, preferencesPage, savePreferences);
