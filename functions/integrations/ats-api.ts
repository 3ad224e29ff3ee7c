import * as z from 'zod';
import { route } from '../../shared/http/route.ts';
import {
  AtsConnection, AtsConnectionCreated, AtsConnectionId, AtsConnectionPage, AtsConnectionWithSecret, AtsEventBody, AtsEventResult, CreateAtsConnection, ExternalIdLink,
  ExternalIdParams, LinkExternalId, ListAtsConnectionsQuery, UpdateAtsConnection,
} from './ats-schemas.ts';

const tag = 'integrations';
const ById = z.strictObject({ id: AtsConnectionId });

export const createAtsConnection = route({
  method: 'POST', path: '/integrations/ats', access: 'admin', tag,
  summary: 'Connect an ATS (native, Greenhouse or Lever format): answers its events URL and, once, the shared secret it signs with',
  // Not idempotent by key: a stored answer would keep the secret in the clear for a day. A retry makes a second connection.
  body: CreateAtsConnection, response: AtsConnectionCreated, status: 201,
});
export const listAtsConnections = route({
  method: 'GET', path: '/integrations/ats', access: 'admin', tag, summary: 'List ATS connections, newest first (secrets are never shown)',
  query: ListAtsConnectionsQuery, response: AtsConnectionPage,
});
export const getAtsConnection = route({
  method: 'GET', path: '/integrations/ats/{id}', access: 'admin', tag, summary: 'Read an ATS connection (ETag carries the version)',
  params: ById, response: AtsConnection,
});
export const updateAtsConnection = route({
  method: 'PATCH', path: '/integrations/ats/{id}', access: 'admin', tag, summary: "Rename a connection, replace its stage map or Lever's signature tokens",
  params: ById, body: UpdateAtsConnection, response: AtsConnection, conditional: true,
});
export const rotateAtsSecret = route({
  method: 'POST', path: '/integrations/ats/{id}/rotate-secret', access: 'admin', tag,
  summary: 'A new shared secret, answered once; the previous one keeps verifying for 24 hours',
  params: ById, response: AtsConnectionWithSecret,
});
export const linkAtsPerson = route({
  method: 'PUT', path: '/integrations/ats/{id}/links/{externalId}', access: 'recruiter', tag,
  summary: "Link the ATS's id of a person to a candidate (Lever sends ids only); the id moves if it was linked to someone else",
  params: ExternalIdParams, body: LinkExternalId, response: ExternalIdLink,
});

/** ATSs send in bursts (a bulk rejection is one event per person) and retry what is refused: room for both. */
const atsLimit = { rps: 20, burst: 200 };

export const receiveAtsEvent = route({
  method: 'POST', path: '/public/integrations/ats/{id}/events', access: 'public', tag,
  summary:
    "An ATS's event about a candidate's application, signed with the connection's secret (docs/ats-inbound.md): 200 with what it changed, 202 when nobody is linked to its person yet; the same event again answers the same; a bad signature or an unknown connection 401",
  // Any string: an unknown or malformed id answers 401 like a bad signature, revealing nothing.
  params: z.strictObject({ id: z.string().max(100) }),
  body: AtsEventBody, response: AtsEventResult, rateLimit: atsLimit,
});
