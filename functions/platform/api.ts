import * as z from 'zod';
import { route } from '../../shared/http/route.ts';

export const getOpenApi = route({
  method: 'GET', path: '/openapi.json', access: 'public', tag: 'platform',
  summary: 'This API as an OpenAPI 3.1 document', response: z.record(z.string(), z.unknown()),
  rateLimit: { rps: 20, burst: 40 },
});
