import { CfnElement, Duration, Stack, Validations } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { Architecture, FilterCriteria, FilterRule, Runtime, StartingPosition, Tracing } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { EventBus } from 'aws-cdk-lib/aws-events';
import type { Distribution } from 'aws-cdk-lib/aws-cloudfront';
import { Construct } from 'constructs';
import { patternFor } from '../../events/contract.ts';
import { bundling } from '../bundling.ts';
import type { BucketName, ContextName, FunctionSpec, StreamFilter } from '../manifest.ts';
import { EventType, type Bucket } from 'aws-cdk-lib/aws-s3';
import { LambdaDestination } from 'aws-cdk-lib/aws-s3-notifications';
import type { Api } from './http-api.ts';
import type { Email } from './email.ts';
import { acknowledgeNist, nagReference, nistReasons } from './nag.ts';

export interface BoundedContextProps {
  context: ContextName;
  functions: readonly FunctionSpec[];
  table: TableV2;
  bus: EventBus;
  api: Api;
  buckets: Record<BucketName, Bucket>;
  corsOrigins: string[];
  /** The sender of the stack's emails, e.g. `Talent Relay <talent@example.com>`; its domain is the SES identity. */
  mailFrom: string;
  email: Email;
  /** Base URL of the public API, for links in emails. */
  publicApiUrl: string;
  replyDomain: string;
  /** The career sites: their address, CDN and the employer they speak for. */
  sites: { url: string; distribution: Distribution; organisation: { name: string; url: string; logoUrl?: string } };
}

/** Exactly what the adapters call: never Scan (no request path scans), never the stream. */
const tableActions = {
  read: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:ConditionCheckItem'],
  readWrite: [
    'dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:ConditionCheckItem',
    'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem',
  ],
};

const pascal = (name: string) => name.replace(/(^|-)(\w)/g, (_, __, c: string) => c.toUpperCase());

/** One context's functions, exactly as the manifest declares them: routes, subscriptions, stream, grants. */
export class BoundedContext extends Construct {
  readonly functions = new Map<string, NodejsFunction>();

  constructor(scope: Construct, id: string, props: BoundedContextProps) {
    super(scope, id);
    for (const spec of props.functions) this.functions.set(spec.name, this.addFunction(spec, props));
  }

  private addFunction(spec: FunctionSpec, props: BoundedContextProps): NodejsFunction {
    const id = pascal(spec.name);
    const logGroup = new LogGroup(this, `${id}Logs`, { retention: RetentionDays.ONE_MONTH });
    // Its own role instead of AWSLambdaBasicExecutionRole: logs to its own log group only.
    const role = new Role(this, `${id}Role`, { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    logGroup.grantWrite(role);
    const fn = new NodejsFunction(this, id, {
      role,
      description: spec.description,
      entry: spec.entry,
      handler: 'handler',
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: spec.memoryMb ?? 512,
      timeout: Duration.seconds(spec.timeoutSeconds ?? 10),
      ...(spec.reservedConcurrency ? { reservedConcurrentExecutions: spec.reservedConcurrency } : {}),
      tracing: Tracing.ACTIVE,
      logGroup,
      environment: {
        TABLE_NAME: props.table.tableName,
        EVENT_BUS_NAME: props.bus.eventBusName,
        CORS_ORIGINS: props.corsOrigins.join(','),
        SITES_URL: props.sites.url,
        PUBLIC_API_URL: props.publicApiUrl,
        ORG_NAME: props.sites.organisation.name,
        ORG_URL: props.sites.organisation.url,
        ...(props.sites.organisation.logoUrl ? { ORG_LOGO_URL: props.sites.organisation.logoUrl } : {}),
        POWERTOOLS_SERVICE_NAME: spec.context,
        POWERTOOLS_LOG_LEVEL: 'INFO',
        NODE_OPTIONS: '--enable-source-maps',
      },
      bundling: {
        minify: bundling.minify,
        sourceMap: bundling.sourceMap,
        target: bundling.target,
        format: OutputFormat.ESM,
        mainFields: [...bundling.mainFields],
        externalModules: [...bundling.externalModules],
        banner: bundling.banner,
      },
    });
    acknowledgeNist(logGroup, nistReasons.logGroup);
    acknowledgeNist(role, nistReasons.rolePolicy);
    acknowledgeNist(fn, {
      LambdaInsideVPC:
        'It calls AWS service endpoints (DynamoDB, SES, S3, EventBridge, Step Functions, Secrets Manager) and, for webhooks, public HTTPS addresses: there is no private network to reach, and a VPC would put NAT or endpoints before every call. IAM governs what it may touch.',
      LambdaDLQ:
        'Nothing invokes it asynchronously without a failure destination: API Gateway and Step Functions call it synchronously (Tasks retry and catch), the stream mapping and S3 notifications keep failures in on-failure queues, EventBridge rules in their targets\' dead-letter queues.',
      ...(spec.reservedConcurrency
        ? {}
        : {
            LambdaConcurrency:
              'It shares the account\'s concurrency: reserving some for each function would split the pool and throttle whichever is busy. Public routes are capped by API throttles; functions that must stay bounded declare reservedConcurrency.',
          }),
    });
    Validations.of(role).acknowledge(
      { id: 'AwsSolutions-IAM5[Resource::*]', reason: 'Only xray:PutTraceSegments and xray:PutTelemetryRecords, which take no resource (active tracing).' },
      {
        id: `AwsSolutions-IAM5[Resource::<${nagReference(role, props.table.node.defaultChild as CfnElement, 'Arn')}>/index/*]`,
        reason: 'The table grant covers its global secondary indexes, which every list Query reads.',
      },
    );

    if (spec.permissions.table) props.table.grant(fn, ...tableActions[spec.permissions.table]);
    if (spec.permissions.publishEvents) props.bus.grantPutEventsTo(fn);
    for (const { bucket, prefix, access, list } of spec.permissions.objects ?? []) {
      const target = props.buckets[bucket];
      fn.addEnvironment(`BUCKET_${bucket.toUpperCase()}`, target.bucketName);
      const actions = { read: ['s3:GetObject'], readWrite: ['s3:GetObject', 's3:PutObject'], delete: ['s3:GetObject', 's3:DeleteObject'] }[access];
      role.addToPolicy(new PolicyStatement({ actions, resources: [target.arnForObjects(`${prefix}*`)] }));
      if (list) {
        // Export and erasure list what a person left under their prefix.
        role.addToPolicy(new PolicyStatement({ actions: ['s3:ListBucket'], resources: [target.bucketArn], conditions: { StringLike: { 's3:prefix': [`${prefix}*`] } } }));
      }
      Validations.of(role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${nagReference(role, target.node.defaultChild as CfnElement, 'Arn')}>/${prefix}*]`,
        reason: `Object actions are limited to keys under ${bucket}/${prefix}, whose names are ids the function creates.`,
      });
    }
    if (spec.objectCreated) {
      const { bucket, prefix } = spec.objectCreated;
      props.buckets[bucket].addEventNotification(EventType.OBJECT_CREATED, new LambdaDestination(fn), { prefix });
      // S3 invokes asynchronously and drops an event after two retries: keep what still failed.
      fn.configureAsyncInvoke({ retryAttempts: 2, onFailure: new SqsDestination(this.deadLetters(`${id}ObjectDeadLetters`)) });
      // CDK configures bucket notifications through its own singleton custom resource.
      const notifications = Stack.of(props.buckets[bucket]).node.children.find((child) => child.node.id.startsWith('BucketNotificationsHandler'));
      const bucketNotifications = props.buckets[bucket].node.tryFindChild('Notifications');
      if (bucketNotifications) {
        acknowledgeNist(bucketNotifications, {
          IAMNoInlinePolicy: 'CDK\'s own policy for the handler that sets this bucket\'s notifications: s3:PutBucketNotification on this bucket alone.',
        });
      }
      if (notifications) {
        Validations.of(notifications).acknowledge({
          id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
          reason: 'CDK\'s own handler that sets the bucket notification configuration at deploy time; it only writes its logs.',
        });
      }
    }

    if (spec.routes?.length) {
      // One integration and one invoke permission per function, whatever its number of routes: CloudFormation
      // allows 500 resources a stack, and three per route would spend most of them.
      const integration = new HttpLambdaIntegration(`${id}Integration`, fn, { scopePermissionToRoute: false });
      for (const route of spec.routes) props.api.addRoute(this, route, integration);
    }
    if (spec.permissions.sendEmail) {
      fn.addEnvironment('MAIL_FROM', props.mailFrom);
      fn.addEnvironment('SES_CONFIGURATION_SET', props.email.configurationSet.configurationSetName);
      // Sending through a configuration set is authorised on the identity and on the configuration set.
      role.addToPolicy(
        new PolicyStatement({
          actions: spec.permissions.sendEmail === 'bulk' ? ['ses:SendEmail', 'ses:SendBulkEmail'] : ['ses:SendEmail'],
          resources: [
            Stack.of(this).formatArn({ service: 'ses', resource: 'identity', resourceName: props.email.identity.emailIdentityName }),
            Stack.of(this).formatArn({ service: 'ses', resource: 'configuration-set', resourceName: props.email.configurationSet.configurationSetName }),
          ],
        }),
      );
    }
    if (spec.permissions.invalidatesCdn) {
      fn.addEnvironment('DISTRIBUTION_ID', props.sites.distribution.distributionId);
      props.sites.distribution.grantCreateInvalidation(fn);
    }
    if (spec.permissions.signsLinks) {
      props.email.signingKey.grantRead(fn);
      fn.addEnvironment('TOKEN_SECRET_ARN', props.email.signingKey.secretArn);
      fn.addEnvironment('REPLY_DOMAIN', props.replyDomain);
    }
    if (spec.permissions.sealsSecrets) {
      props.email.sealingKey.grantRead(fn);
      fn.addEnvironment('SEALING_SECRET_ARN', props.email.sealingKey.secretArn);
    }
    if (spec.schedule) {
      new Rule(this, `${id}Schedule`, {
        description: `${spec.schedule.name}: ${spec.schedule.description}`,
        schedule: Schedule.expression(spec.schedule.cron),
        targets: [new LambdaFunction(fn, { deadLetterQueue: this.deadLetters(`${id}ScheduleDeadLetters`), retryAttempts: 2 })],
      });
    }
    if (spec.subscribes?.length) this.subscribe(id, fn, spec, props);
    if (spec.tableStream) this.consumeStream(id, fn, spec.tableStream, props);
    return fn;
  }

  private deadLetters(id: string) {
    const queue = new Queue(this, id, { encryption: QueueEncryption.SQS_MANAGED, enforceSSL: true, retentionPeriod: Duration.days(14) });
    Validations.of(queue).acknowledge({ id: 'AwsSolutions-SQS3', reason: 'This queue is itself a dead-letter queue.' });
    return queue;
  }

  private subscribe(id: string, fn: NodejsFunction, spec: FunctionSpec, props: BoundedContextProps) {
    const pattern = patternFor(...spec.subscribes!);
    const buses = new Set(spec.subscribes!.map((contract) => contract.bus ?? 'domain'));
    if (buses.size > 1) throw new Error(`${spec.name} subscribes to events on two buses; give each its own function`);
    new Rule(this, `${id}Rule`, {
      // AWS services (SES) publish to the default bus; the domain's events travel on the stack's own bus.
      eventBus: buses.has('default') ? EventBus.fromEventBusName(this, `${id}DefaultBus`, 'default') : props.bus,
      description: `${spec.name}: ${pattern['detail-type'].join(', ')}`,
      eventPattern: { source: pattern.source, detailType: pattern['detail-type'] },
      targets: [new LambdaFunction(fn, { deadLetterQueue: this.deadLetters(`${id}DeadLetters`), retryAttempts: 185, maxEventAge: Duration.hours(24) })],
    });
  }

  private consumeStream(id: string, fn: NodejsFunction, filter: StreamFilter, props: BoundedContextProps) {
    fn.addEventSource(
      new DynamoEventSource(props.table, {
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: 100,
        bisectBatchOnError: true,
        reportBatchItemFailures: true,
        retryAttempts: 20,
        onFailure: new SqsDlq(this.deadLetters(`${id}DeadLetters`)),
        // The same filter the local stack's stream relay applies.
        filters: [
          FilterCriteria.filter({
            eventName: FilterRule.or(...filter.eventNames),
            dynamodb: { Keys: { SK: { S: FilterRule.isEqual(filter.sortKey) } } },
          }),
        ],
      }),
    );
  }

}
