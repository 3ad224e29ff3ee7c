import { randomBytes } from 'node:crypto';
import { config } from '../../../shared/config.ts';
import { clock, newId } from '../../../shared/ids.ts';
import { openSecret, sealSecret } from '../../../shared/signing.ts';
import { applications } from '../../candidates/adapters/services-applications.ts';
import { candidates } from '../../candidates/adapters/services.ts';
import { atsConnectionService } from '../domain/ats-connections.ts';
import type { SecretBox } from '../domain/ats-ports.ts';
import { atsReceiver } from '../domain/ats-receiver.ts';
import { dynamoAtsConnections, dynamoAtsEventLog, dynamoAtsLinks, dynamoRequisitions } from './ats-stores.ts';

/**
 * The ATS integration wired to DynamoDB. People and applications go through the candidates context's own services,
 * so the rules for creating candidates and the outbox of their events stay in one place.
 */
const ids = { next: newId };

/** 256 random bits; sealed with the link-signing key before they are stored (the function holds `signsLinks`). */
const secrets: SecretBox = { generate: () => randomBytes(32).toString('base64url'), seal: sealSecret, open: openSecret };

export const atsConnections = atsConnectionService({
  connections: dynamoAtsConnections,
  links: dynamoAtsLinks,
  people: candidates,
  secrets,
  clock,
  ids,
  eventsUrl: (id) => `${config.publicApiUrl}/public/integrations/ats/${id}/events`,
});

export const atsInbound = atsReceiver({
  connections: dynamoAtsConnections,
  events: dynamoAtsEventLog,
  links: dynamoAtsLinks,
  requisitions: dynamoRequisitions,
  people: candidates,
  applications,
  secrets,
  clock,
  ids,
});
