import { csvOf } from '../../../shared/csv.ts';
import { endpoint, httpApi, ok } from '../../../shared/http/api.ts';
import { analytics } from '../adapters/services.ts';
import * as api from '../api.ts';
import { csvTables } from '../domain/analytics-service.ts';

/** JSON, or the report's CSV table when `?format=csv`. */
const reply = (format: 'json' | 'csv', name: string, body: unknown, table: () => { header: string[]; rows: unknown[][] }) =>
  format === 'csv'
    ? ok(csvOf(table().header, table().rows), { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${name}.csv"` })
    : ok(body);

const overview = endpoint(api.overview, async ({ query }) => {
  const report = await analytics.overview(query);
  return reply(query.format, 'overview', report, () => csvTables.overview(report));
});
const funnel = endpoint(api.funnel, async ({ query }) => {
  const report = await analytics.funnel(query);
  return reply(query.format, 'funnel', report, () => csvTables.funnel(report));
});
const sources = endpoint(api.sources, async ({ query }) => {
  const report = await analytics.sources(query);
  return reply(query.format, 'sources', report, () => csvTables.sources(report));
});
const campaign = endpoint(api.campaign, async ({ params, query }) => {
  const report = await analytics.campaign(params.id, query);
  return reply(query.format, `campaign-${params.id}`, report, () => csvTables.record(report));
});
const job = endpoint(api.job, async ({ params, query }) => {
  const report = await analytics.job(params.id, query);
  return reply(query.format, `job-${params.id}`, report, () => csvTables.job(report));
});
const hiringEvent = endpoint(api.hiringEvent, async ({ params, query }) => {
  const report = await analytics.hiringEvent(params.id, query);
  return reply(query.format, `event-${params.id}`, report, () => csvTables.record(report));
});

export const handler = httpApi(overview, funnel, sources, campaign, job, hiringEvent);
