import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Stack, type CfnElement } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { buildApp } from '../../infra/stack.ts';
import { beforeAll, describe, expect, it } from 'vitest';
import { functions, workflows } from '../../infra/manifest.ts';
import { routeCeiling } from '../../shared/http/route.ts';
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
  it('has one on-demand table with point-in-time recovery, TTL on expiresAt, a stream and the two overloaded indexes', () => {
    synth.template.resourceCountIs('AWS::DynamoDB::GlobalTable', 1);
    synth.template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      BillingMode: 'PAY_PER_REQUEST',
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
      KeySchema: [{ AttributeName: 'PK', KeyType: 'HASH' }, { AttributeName: 'SK', KeyType: 'RANGE' }],
      GlobalSecondaryIndexes: [Match.objectLike({ IndexName: 'GSI1' }), Match.objectLike({ IndexName: 'GSI2' })],
      Replicas: [Match.objectLike({ PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } })],
    });
  });

  it('has the event bus with an archive', () => {
    synth.template.hasResourceProperties('AWS::Events::EventBus', { Name: 'talent-relay-dev' });
    synth.template.resourceCountIs('AWS::Events::Archive', 1);
  });

  it('runs every function on Node.js 24, arm64, with active tracing', () => {
    // CDK's own custom-resource handlers (bucket notifications, auto-delete) are not ours.
    const lambdas = Object.values(resourcesOf(synth.template, 'AWS::Lambda::Function')).filter((fn) => (fn.Properties.Environment as { Variables?: Record<string, string> } | undefined)?.Variables?.TABLE_NAME);
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
    const rules = Object.values(resourcesOf(synth.template, 'AWS::Events::Rule')).filter((rule) => rule.Properties.EventPattern);
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

  it('runs each scheduled function on its declared cron, with a dead-letter queue', () => {
    const scheduled = Object.values(resourcesOf(synth.template, 'AWS::Events::Rule')).filter((rule) => rule.Properties.ScheduleExpression);
    expect(scheduled.map((rule) => rule.Properties.ScheduleExpression).sort()).toEqual(functions.flatMap((fn) => (fn.schedule ? [fn.schedule.cron] : [])).sort());
    for (const rule of scheduled) expect(rule.Properties.Targets).toEqual([expect.objectContaining({ DeadLetterConfig: expect.anything() })]);
  });

  it('lets only email-sending functions send, bulk only where declared, and only from the configured identity and configuration set', () => {
    for (const fn of functions) {
      expect(actionsOf(fn.name).includes('ses:SendEmail'), fn.name).toBe(Boolean(fn.permissions.sendEmail));
      expect(actionsOf(fn.name).includes('ses:SendBulkEmail'), fn.name).toBe(fn.permissions.sendEmail === 'bulk');
    }
    const statements = Object.values(resourcesOf(synth.template, 'AWS::IAM::Policy')).flatMap(
      (policy) => (policy.Properties.PolicyDocument as { Statement: { Action: string | string[]; Resource: unknown }[] }).Statement,
    );
    for (const statement of statements.filter((s) => [s.Action].flat().some((a) => a.startsWith('ses:Send')))) {
      expect(JSON.stringify(statement.Resource)).toMatch(/:identity\/.*:configuration-set\//);
    }
  });

  it('gives the link-signing key and the secret-sealing key each only to the functions that declare it', () => {
    const lambdas = Object.values(resourcesOf(synth.template, 'AWS::Lambda::Function'));
    const variables = (description: string) =>
      (lambdas.find((fn) => fn.Properties.Description === description)?.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
    for (const fn of functions) {
      expect('TOKEN_SECRET_ARN' in variables(fn.description), fn.name).toBe(Boolean(fn.permissions.signsLinks));
      expect('SEALING_SECRET_ARN' in variables(fn.description), fn.name).toBe(Boolean(fn.permissions.sealsSecrets));
      expect(actionsOf(fn.name).includes('secretsmanager:GetSecretValue'), fn.name).toBe(Boolean(fn.permissions.signsLinks || fn.permissions.sealsSecrets));
    }
  });

  it('tracks opens and clicks through one configuration set that sends every sending event to the default bus, where each subscriber (tracking, analytics) listens', () => {
    synth.template.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
      EventDestination: Match.objectLike({
        Enabled: true,
        MatchingEventTypes: Match.arrayWith(['send', 'delivery', 'bounce', 'complaint', 'reject', 'open', 'click', 'deliveryDelay', 'renderingFailure']),
        EventBridgeDestination: { EventBusArn: Match.anyValue() },
      }),
    });
    const sesRules = Object.values(resourcesOf(synth.template, 'AWS::Events::Rule')).filter((rule) => JSON.stringify(rule.Properties.EventPattern ?? {}).includes('aws.ses'));
    const subscribers = functions.filter((fn) => fn.subscribes?.some((contract) => contract.source === 'aws.ses'));
    expect(subscribers.length).toBeGreaterThan(0);
    expect(sesRules).toHaveLength(subscribers.length);
    for (const rule of sesRules) expect(JSON.stringify(rule.Properties.EventBusName)).toContain('default');
  });

  it('stores replies to the reply domain in the inbound bucket, where the inbound function reads them', () => {
    synth.template.hasResourceProperties('AWS::SES::ReceiptRule', {
      Rule: Match.objectLike({ Recipients: ['reply.example.com'], ScanEnabled: true, Actions: [{ S3Action: Match.objectLike({ ObjectKeyPrefix: 'replies/' }) }] }),
    });
  });

  it('passes cdk-nag for a concrete account and region too, as `npm run synth` resolves them from the AWS profile', () => {
    const saved = { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION };
    Object.assign(process.env, { CDK_DEFAULT_ACCOUNT: '123456789012', CDK_DEFAULT_REGION: 'eu-central-1' });
    try {
      expect(() => synthesize()).not.toThrow();
    } finally {
      for (const [name, value] of [['CDK_DEFAULT_ACCOUNT', saved.account], ['CDK_DEFAULT_REGION', saved.region]] as const) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });

  it('keeps each stack within CloudFormation\'s 500 resources: every context is a nested stack of its own', () => {
    expect(synth.templates.size).toBeGreaterThan(1);
    for (const [name, template] of synth.templates) expect(Object.keys(template.Resources).length, name).toBeLessThan(500);
  });

  it('deploys the API stage after the nested stacks that create its routes (its route settings name them)', () => {
    const parent = synth.templates.get(synth.stack.stackName)! as { Resources: Record<string, { Type: string; DependsOn?: string[] }> };
    const stage = Object.values(parent.Resources).find((r) => r.Type === 'AWS::ApiGatewayV2::Stage')!;
    const nestedStacks = Object.entries(parent.Resources).filter(([, r]) => r.Type === 'AWS::CloudFormation::Stack').map(([id]) => id);
    expect(nestedStacks.length).toBeGreaterThan(1);
    expect(stage.DependsOn).toEqual(expect.arrayContaining(nestedStacks));
  });

  it('logs API access and caps public routes for all clients together (each client\'s own limit is counted by the function)', () => {
    const stage = Object.values(resourcesOf(synth.template, 'AWS::ApiGatewayV2::Stage'))[0]!;
    expect(stage.Properties.AccessLogSettings).toBeDefined();
    const limited = functions.flatMap((fn) => fn.routes ?? []).filter((r) => r.rateLimit);
    expect(limited.length).toBeGreaterThan(0);
    for (const route of limited) {
      expect((stage.Properties.RouteSettings as Record<string, unknown>)[`${route.method} ${route.path}`]).toEqual(routeCeiling(route.rateLimit!));
    }
  });
});

describe('workflows', () => {
  /** The definition as deployed, with each function ARN token replaced by the function's manifest name. */
  function deployedDefinition(name: string): unknown {
    const pascal = (id: string) => id.replace(/(^|-)(\w)/g, (_, __, c: string) => c.toUpperCase());
    const machines = Object.entries(resourcesOf(synth.template, 'AWS::StepFunctions::StateMachine')).filter(([id]) => id.startsWith(`${pascal(name)}Workflow`));
    expect(machines).toHaveLength(1);
    const parts = (machines[0]![1].Properties.DefinitionString as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1];
    const logicalIds = new Map(
      functions.map((f) => {
        const construct = synth.stack.node.findChild(`${pascal(f.context)}Context`).node.findChild('Functions').node.findChild(pascal(f.name));
        return [Stack.of(construct).getLogicalId(construct.node.defaultChild as CfnElement), f.name];
      }),
    );
    const text = parts
      .map((part) => (typeof part === 'string' ? part : logicalIds.get((part as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0])))
      .join('');
    return JSON.parse(text);
  }

  it('deploys each manifest workflow with the definition the local stack runs, tracing and full logging', () => {
    for (const spec of workflows) {
      expect(deployedDefinition(spec.name)).toEqual(spec.definition((fn) => fn));
    }
    synth.template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: Match.objectLike({ Level: 'ALL' }),
    });
  });

  it('lets exactly the declared functions start each workflow, and tells them its ARN', () => {
    for (const fn of functions) {
      const starts = actionsOf(fn.name).includes('states:StartExecution');
      expect(starts, fn.name).toBe(Boolean(fn.permissions.startWorkflows?.length));
    }
  });

  it('notifies the declared function of objects created under its prefix, and keeps events that still fail after S3\'s retries', () => {
    for (const fn of functions.filter((f) => f.objectCreated)) {
      synth.template.hasResourceProperties('Custom::S3BucketNotifications', {
        NotificationConfiguration: {
          LambdaFunctionConfigurations: [
            Match.objectLike({ Events: ['s3:ObjectCreated:*'], Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: fn.objectCreated!.prefix }] } } }),
          ],
        },
      });
    }
    const invokeConfigs = Object.values(resourcesOf(synth.template, 'AWS::Lambda::EventInvokeConfig'));
    expect(invokeConfigs).toHaveLength(functions.filter((f) => f.objectCreated).length);
    for (const config of invokeConfigs) expect(config.Properties).toMatchObject({ MaximumRetryAttempts: 2, DestinationConfig: { OnFailure: { Destination: expect.anything() } } });
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
