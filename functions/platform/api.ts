import * as z from 'zod';
import { route } from '../../shared/http/route.ts';

export const getOpenApi = route({
  method: 'GET', path: '/openapi.json', access: 'public', tag: 'platform',
  summary: 'This API as an OpenAPI 3.1 document (a static document: the API\'s default throttle covers it)', response: z.record(z.string(), z.unknown()),
});
