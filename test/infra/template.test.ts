import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Match } from 'aws-cdk-lib/assertions';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { buildApp } from '../../infra/stack.ts';
import { beforeAll, describe, expect, it } from 'vitest';
import { functions } from '../../infra/manifest.ts';
import { resourcesOf, synthesize } from './synth.ts';

let synth: ReturnType<typeof synthesize>;
beforeAll(() => {
  synth = synthesize();
});

type Statement = { Action: string | string[]; Resource: unknown };
/** Every IAM action granted to a manifest function's role. */
function actionsOf(functionName: string): string[] {
  const pascal = functionName.replace(/(^|-)(\w)/g, (_, __, c: string) => c.toUpperCase());
  const policies = Object.entries(resourcesOf(synth.template, 'AWS::IAM::Policy')).filter(([id]) => id.includes(`${pascal}Role`));
  expect(policies, `policy of ${functionName}`).toHaveLength(1);
  const statements = (policies[0]![1].Properties.PolicyDocument as { Statement: Statement[] }).Statement;
  return statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
}

describe('the synthesized stack', () => {
  it('has one on-demand table with point-in-time recovery, TTL on expiresAt, a stream and GSI1', () => {
    synth.template.resourceCountIs('AWS::DynamoDB::GlobalTable', 1);
    synth.template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      BillingMode: 'PAY_PER_REQUEST',
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
      KeySchema: [{ AttributeName: 'PK', KeyType: 'HASH' }, { AttributeName: 'SK', KeyType: 'RANGE' }],
      GlobalSecondaryIndexes: [Match.objectLike({ IndexName: 'GSI1' })],
      Replicas: [Match.objectLike({ PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } })],
    });
  });

  it('has the event bus with an archive', () => {
    synth.template.hasResourceProperties('AWS::Events::EventBus', { Name: 'talent-relay-dev' });
    synth.template.resourceCountIs('AWS::Events::Archive', 1);
  });

  it('runs every function on Node.js 24, arm64, with active tracing', () => {
    const lambdas = Object.values(resourcesOf(synth.template, 'AWS::Lambda::Function'));
    expect(lambdas).toHaveLength(functions.length);
    for (const fn of lambdas) expect(fn.Properties).toMatchObject({ Runtime: 'nodejs24.x', Architectures: ['arm64'], TracingConfig: { Mode: 'Active' } });
  });

  it('lets no function Scan the table, and gives table access only to functions that declare it', () => {
    for (const fn of functions) {
      const actions = actionsOf(fn.name);
      expect(actions).not.toContain('dynamodb:Scan');
      const writes = actions.filter((a) => ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'].includes(a));
      if (fn.permissions.table !== 'readWrite') expect(writes, fn.name).toEqual([]);
      if (!fn.permissions.table) expect(actions.filter((a) => ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'].includes(a)), fn.name).toEqual([]);
      expect(actions.includes('events:PutEvents'), fn.name).toBe(Boolean(fn.permissions.publishEvents));
    }
  });

  it('routes each subscribing function its events through a rule with a dead-letter queue', () => {
    const rules = Object.values(resourcesOf(synth.template, 'AWS::Events::Rule'));
    const subscribers = functions.filter((fn) => fn.subscribes?.length);
    expect(rules).toHaveLength(subscribers.length);
    for (const rule of rules) {
      expect(rule.Properties.Targets).toEqual([expect.objectContaining({ DeadLetterConfig: expect.anything(), RetryPolicy: expect.anything() })]);
    }
    const detailTypes = rules.flatMap((r) => (r.Properties.EventPattern as { 'detail-type': string[] })['detail-type']);
    expect(detailTypes.sort()).toEqual(subscribers.flatMap((fn) => fn.subscribes!.map((e) => e.detailType)).sort());
  });

  it('feeds each stream consumer only the records its manifest filter names, with a dead-letter destination', () => {
    const mappings = Object.values(resourcesOf(synth.template, 'AWS::Lambda::EventSourceMapping'));
    const consumers = functions.filter((fn) => fn.tableStream);
    expect(mappings).toHaveLength(consumers.length);
    for (const fn of consumers) {
      synth.template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        FilterCriteria: { Filters: [{ Pattern: JSON.stringify({ eventName: fn.tableStream!.eventNames, dynamodb: { Keys: { SK: { S: [fn.tableStream!.sortKey] } } } }) }] },
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        BisectBatchOnFunctionError: true,
        DestinationConfig: { OnFailure: Match.objectLike({}) },
      });
    }
  });

  it('logs API access and throttles public routes with their declared limits', () => {
    const stage = Object.values(resourcesOf(synth.template, 'AWS::ApiGatewayV2::Stage'))[0]!;
    expect(stage.Properties.AccessLogSettings).toBeDefined();
    const limited = functions.flatMap((fn) => fn.routes ?? []).filter((r) => r.rateLimit);
    expect(limited.length).toBeGreaterThan(0);
    for (const route of limited) {
      expect((stage.Properties.RouteSettings as Record<string, unknown>)[`${route.method} ${route.path}`]).toEqual({
        ThrottlingRateLimit: route.rateLimit!.rps,
        ThrottlingBurstLimit: route.rateLimit!.burst,
      });
    }
  });
});

describe('cdk-nag', () => {
  it('reports no unacknowledged AwsSolutions finding for the whole app', () => {
    const report = JSON.parse(readFileSync(join(synth.assembly.directory, 'validation-report.json'), 'utf8')) as { pluginReports: unknown[] };
    expect(report.pluginReports).toEqual([]);
  });

  it('fails the synth on a finding nobody acknowledged, so a green synth means zero findings', () => {
    const { app, stack } = buildApp({ 'aws:cdk:bundling-stacks': [] }, mkdtempSync(join(tmpdir(), 'talent-relay-nag-')));
    new Queue(stack, 'UnencryptedQueueWithoutDeadLetters', { encryption: QueueEncryption.UNENCRYPTED });
    expect(() => app.synth()).toThrow();
  });

  it('gives a written reason for every acknowledged finding', () => {
    const acknowledged = synth.stack.node
      .findAll()
      .flatMap((c) => (c.node.metadata ?? []).filter((m) => String(m.type).includes('acknowledge')).map((m) => m.data as { reason?: string } | undefined));
    for (const entry of acknowledged) expect(entry?.reason?.length ?? 20).toBeGreaterThan(15);
  });
});
