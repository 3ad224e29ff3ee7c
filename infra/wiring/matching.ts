import * as matching from '../../functions/candidates/matching-api.ts';
import type { FunctionSpec, WorkflowSpec } from '../manifest.ts';

/** Explainable matching and engagement (docs/matching.md). */
export const functions: readonly FunctionSpec[] = [
  {
    name: 'candidates-matching',
    context: 'candidates',
    description: 'Explainable scoring: the candidates who fit a job, and the open jobs that fit a candidate, with reasons',
    entry: 'functions/candidates/handlers/matches.ts',
    timeoutSeconds: 15,
    memoryMb: 1024,
    routes: [matching.listJobMatches, matching.listJobSuggestions],
    // Writes only the audit entry of a candidate's suggestions being read.
    permissions: { table: 'readWrite' },
  },
  {
    name: 'candidates-engagement',
    context: 'candidates',
    description: 'Keeps each candidate\'s recency-weighted engagement score from human opens and clicks, replies, applications and event visits',
    entry: 'functions/candidates/handlers/engagement.ts',
    subscribes: matching.engagementSignals,
    permissions: { table: 'readWrite' },
  },
];
export const workflows: readonly WorkflowSpec[] = [];
