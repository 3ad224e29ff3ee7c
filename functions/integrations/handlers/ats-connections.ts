import { endpoint, httpApi, ok, withVersion } from '../../../shared/http/api.ts';
import { atsConnections } from '../adapters/ats-services.ts';
import * as api from '../ats-api.ts';

const createConnection = endpoint(api.createAtsConnection, async ({ body, actor }) => {
  const connection = await atsConnections.create(body, actor.sub);
  const reply = withVersion(connection, 201);
  return { ...reply, headers: { ...reply.headers, location: `/integrations/ats/${connection.id}`, 'cache-control': 'no-store' } };
});

const listConnections = endpoint(api.listAtsConnections, async ({ query }) => ok(await atsConnections.list(query)));

const getConnection = endpoint(api.getAtsConnection, async ({ params }) => withVersion(await atsConnections.get(params.id)));

const updateConnection = endpoint(api.updateAtsConnection, async ({ params, body, ifMatch }) =>
  withVersion(await atsConnections.update(params.id, body, ifMatch)),
);

const rotateSecret = endpoint(api.rotateAtsSecret, async ({ params }) => {
  const reply = withVersion(await atsConnections.rotateSecret(params.id));
  return { ...reply, headers: { ...reply.headers, 'cache-control': 'no-store' } };
});

const linkPerson = endpoint(api.linkAtsPerson, async ({ params, body, actor }) =>
  ok(await atsConnections.link(params.id, params.externalId, body.candidateId, actor.sub)),
);

export const handler = httpApi(createConnection, listConnections, getConnection, updateConnection, rotateSecret, linkPerson);
