import * as insights from '../../functions/insights/api.ts';
import type { FunctionSpec, WorkflowSpec } from '../manifest.ts';

export const functions: readonly FunctionSpec[] = [
  {
    name: 'insights-rollups',
    context: 'insights',
    description: 'Keeps the analytics rollups (per day, source, campaign, job, segment, hiring event, and the running totals of the pool) from the domain events, each event counted once',
    entry: 'functions/insights/handlers/consumer.ts',
    subscribes: insights.analyticsEvents,
    permissions: { table: 'readWrite' },
  },
  {
    name: 'insights-email-rollups',
    context: 'insights',
    description: 'Counts campaign emails sent, delivered and opened by machines per day from SES events (the domain events carry human opens and clicks)',
    entry: 'functions/insights/handlers/email-consumer.ts',
    subscribes: insights.emailEvents,
    permissions: { table: 'readWrite' },
  },
  {
    name: 'insights-api',
    context: 'insights',
    description: 'Analytics reports from the rollups: overview, funnel, sources, campaign, job, hiring event (JSON or CSV)',
    entry: 'functions/insights/handlers/api.ts',
    routes: [insights.overview, insights.funnel, insights.sources, insights.campaign, insights.job, insights.hiringEvent],
    permissions: { table: 'read' },
  },
];
export const workflows: readonly WorkflowSpec[] = [];
