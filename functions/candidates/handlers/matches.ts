import { endpoint, httpApi, ok } from '../../../shared/http/api.ts';
import { matching } from '../adapters/services-matching.ts';
import * as api from '../matching-api.ts';

const listJobMatches = endpoint(api.listJobMatches, async ({ params, query }) => ok(await matching.matchesForJob(params.id, query)));

const listJobSuggestions = endpoint(api.listJobSuggestions, async ({ params, query }) => ok(await matching.suggestionsFor(params.id, query.limit)));

/** Both read routes of matching in one function: they share the scoring and the open-jobs read. */
export const handler = httpApi(listJobMatches, listJobSuggestions);
