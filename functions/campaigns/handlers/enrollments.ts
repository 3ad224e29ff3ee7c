import { endpoint, httpApi, ok } from '../../../shared/http/api.ts';
import * as api from '../api.ts';
import { drips } from '../adapters/services-sending.ts';

const enrollCandidates = endpoint(api.enrollCandidates, async ({ params, body }) => ok(await drips.enrollByHand(params.id, body.candidateIds)));

export const handler = httpApi(enrollCandidates);
