import { endpoint, httpApi, withVersion } from '../../../shared/http/api.ts';
import { applications } from '../adapters/services-applications.ts';
import * as api from '../api.ts';

const createApplication = endpoint(api.createApplication, async ({ params, body, actor }) => {
  const application = await applications.create(params.id, body, actor.sub);
  const reply = withVersion(application, 201);
  return { ...reply, headers: { ...reply.headers, location: `/applications/${application.id}` } };
});

const getApplication = endpoint(api.getApplication, async ({ params }) => withVersion(await applications.get(params.id)));

const moveApplication = endpoint(api.moveApplication, async ({ params, body, actor, ifMatch }) =>
  withVersion(await applications.move(params.id, body, actor.sub, ifMatch)),
);

export const handler = httpApi(createApplication, getApplication, moveApplication);
