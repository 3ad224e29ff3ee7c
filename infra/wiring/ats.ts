import * as ats from '../../functions/integrations/ats-api.ts';
import type { FunctionSpec, WorkflowSpec } from '../manifest.ts';

/** ATS integration, inbound: connections (admin) and the signed events an ATS sends (public). docs/ats-inbound.md */
export const functions: readonly FunctionSpec[] = [
  {
    name: 'integrations-ats-connections',
    context: 'integrations',
    description: 'ATS connections: create, list, read, change, rotate their secret; link a person\'s ATS id to a candidate',
    entry: 'functions/integrations/handlers/ats-connections.ts',
    routes: [ats.createAtsConnection, ats.listAtsConnections, ats.getAtsConnection, ats.updateAtsConnection, ats.rotateAtsSecret, ats.linkAtsPerson],
    permissions: { table: 'readWrite', sealsSecrets: true },
  },
  {
    name: 'integrations-ats-events',
    context: 'integrations',
    description: 'Receives an ATS\'s signed events: verifies, dedupes, finds or creates the candidate, creates or moves the application',
    entry: 'functions/integrations/handlers/ats-events.ts',
    timeoutSeconds: 15,
    routes: [ats.receiveAtsEvent],
    // Opens the connection's secret; recognises erased people by a salted hash of their address (signsLinks).
    permissions: { table: 'readWrite', signsLinks: true, sealsSecrets: true },
  },
];
export const workflows: readonly WorkflowSpec[] = [];
