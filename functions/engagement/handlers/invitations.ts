import { endpoint, httpApi } from '../../../shared/http/api.ts';
import { invitations } from '../adapters/services-invitations.ts';
import * as api from '../api.ts';

const inviteToEvent = endpoint(api.inviteToEvent, async ({ params, body, actor }) => ({ status: 201, body: await invitations.invite(params.id, body, actor.sub) }));

export const handler = httpApi(inviteToEvent);
