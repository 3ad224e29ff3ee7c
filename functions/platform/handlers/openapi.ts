import document from '../../../docs/openapi.json' with { type: 'json' };
import { endpoint, httpApi, ok } from '../../../shared/http/api.ts';
import { getOpenApi } from '../api.ts';

// The checked-in document is bundled, so this function carries no schema code (a test keeps it current).
export const handler = httpApi(endpoint(getOpenApi, async () => ok(document, { 'cache-control': 'public, max-age=300' })));
