import { NotFound } from '../../../shared/errors.ts';
import { bucketName, cvKey, downloadUrl } from '../../../shared/files/s3.ts';
import { endpoint, httpApi, withVersion } from '../../../shared/http/api.ts';
import { applications } from '../adapters/services-applications.ts';
import * as api from '../api.ts';

const createApplication = endpoint(api.createApplication, async ({ params, body, actor }) => {
  const application = await applications.create(params.id, body, actor.sub);
  const reply = withVersion(application, 201);
  return { ...reply, headers: { ...reply.headers, location: `/applications/${application.id}` } };
});

const getApplication = endpoint(api.getApplication, async ({ params }) => withVersion(await applications.get(params.id)));

/** CVs are kept where the career site stored them, under the candidate's prefix. */
const getApplicationCv = endpoint(api.getApplicationCv, async ({ params }) => {
  const application = await applications.get(params.id);
  if (!application.cv) throw new NotFound(`The application ${params.id} came without a CV.`);
  const url = await downloadUrl(bucketName('documents'), cvKey(application.candidateId, application.id), 300, application.cv.fileName);
  return { status: 302, headers: { location: url, 'cache-control': 'no-store' } };
});

const moveApplication = endpoint(api.moveApplication, async ({ params, body, actor, ifMatch }) =>
  withVersion(await applications.move(params.id, body, actor.sub, ifMatch)),
);

export const handler = httpApi(createApplication, getApplication, getApplicationCv, moveApplication);
