import { created, endpoint, httpApi, ok, withVersion } from '../../../shared/http/api.ts';
import { surveys } from '../adapters/survey-services.ts';
import * as api from '../survey-api.ts';

const createSurvey = endpoint(api.createSurvey, async ({ body, actor }) => {
  const survey = await surveys.create(body, actor.sub);
  return created(survey, { location: `/surveys/${survey.id}`, etag: `"${survey.version}"` });
});
const listSurveys = endpoint(api.listSurveys, async ({ query }) => ok(await surveys.list(query)));
const getSurvey = endpoint(api.getSurvey, async ({ params }) => withVersion(await surveys.get(params.id)));
const updateSurvey = endpoint(api.updateSurvey, async ({ params, body, ifMatch }) => withVersion(await surveys.update(params.id, body, ifMatch)));
const sendSurvey = endpoint(api.sendSurvey, async ({ params, body }) => ({ status: 202, body: await surveys.send(params.id, body.candidateIds) }));
const surveyResults = endpoint(api.surveyResults, async ({ params, query }) =>
  query.format === 'csv'
    ? ok(await surveys.resultsCsv(params.id), { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${params.id}-results.csv"` })
    : ok(await surveys.results(params.id)),
);

export const handler = httpApi(createSurvey, listSurveys, getSurvey, updateSurvey, sendSurvey, surveyResults);
