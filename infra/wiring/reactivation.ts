import * as campaigns from '../../functions/campaigns/api.ts';
import * as reactivation from '../../functions/candidates/reactivation-api.ts';
import type { FunctionSpec, WorkflowSpec } from '../manifest.ts';

/** Reactivation of former applicants (docs/reactivation.md). */
export const functions: readonly FunctionSpec[] = [
  {
    name: 'candidates-reactivation',
    context: 'candidates',
    description: 'Reactivation settings; saving them gives the built-in segments their rules',
    entry: 'functions/candidates/handlers/reactivation-settings.ts',
    routes: [reactivation.getReactivationSettings, reactivation.putReactivationSettings],
    permissions: { table: 'readWrite', startWorkflows: ['candidates-segment-backfill'] },
  },
  {
    name: 'candidates-reactivation-matcher',
    context: 'candidates',
    description: 'Matches a published job against the silver medalists: recruiter tasks and drip enrollments',
    entry: 'functions/candidates/handlers/reactivation-matcher.ts',
    timeoutSeconds: 120,
    subscribes: reactivation.reactivationTriggers,
    permissions: { table: 'readWrite', startWorkflows: ['campaigns-drip'] },
  },
  {
    name: 'campaigns-enrollments',
    context: 'campaigns',
    description: 'Enrols people in a drip by hand',
    entry: 'functions/campaigns/handlers/enrollments.ts',
    routes: [campaigns.enrollCandidates],
    permissions: { table: 'readWrite', startWorkflows: ['campaigns-drip'] },
  },
];
export const workflows: readonly WorkflowSpec[] = [];
