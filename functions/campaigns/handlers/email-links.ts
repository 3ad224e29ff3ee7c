import { endpoint, htmlPage, httpApi } from '../../../shared/http/api.ts';
import * as api from '../api.ts';
import { subscriptions } from '../adapters/services-subscriptions.ts';
import type { PageReply } from '../domain/subscription-service.ts';

const html = ({ status, html: body }: PageReply) => htmlPage(status, body);

const unsubscribePage = endpoint(api.unsubscribePage, async ({ params }) => html(await subscriptions.unsubscribePage(params.token)));
const unsubscribe = endpoint(api.unsubscribe, async ({ params }) => html(await subscriptions.unsubscribe(params.token)));
const preferencesPage = endpoint(api.preferencesPage, async ({ params }) => html(await subscriptions.preferencesPage(params.token)));
const savePreferences = endpoint(api.savePreferences, async ({ params, body }) => html(await subscriptions.savePreferences(params.token, body)));

export const handler = httpApi(unsubscribePage, unsubscribe, preferencesPage, savePreferences);
