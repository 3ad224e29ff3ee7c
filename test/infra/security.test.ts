import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CfnElement } from 'aws-cdk-lib';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/stack.ts';
import { buckets, functions } from '../../infra/manifest.ts';
import { resourcesOf, synthesize } from './synth.ts';

let synth: ReturnType<typeof synthesize>;
beforeAll(() => {
  synth = synthesize();
});

type Json = Record<string, unknown>;
type Statement = { Effect: 'Allow' | 'Deny'; Action: string | string[]; Resource?: unknown; Principal?: unknown; Condition?: Json };
const list = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);
const of = (type: string) => resourcesOf(synth.template, type);
/** The logical id of a construct of the parent stack, by its path under the stack. */
const logicalId = (path: string[]) => {
  const construct = path.reduce<IConstruct>((scope, id) => scope.node.findChild(id), synth.stack);
  return synth.stack.getLogicalId(construct.node.defaultChild as CfnElement);
};
const bucketId = (name: (typeof buckets)[number]) => logicalId(['Files', name[0]!.toUpperCase() + name.slice(1)]);

/**
 * What a `Ref` names: a resource of the merged template, or a nested stack's parameter, which the parent passes in
 * (CDK names it `referenceto…`) and which is followed to the resource it carries.
 */
function resolveRef(name: string): string {
  if (name in (synth.template.toJSON() as { Resources: Json }).Resources) return name;
  for (const nested of Object.values(of('AWS::CloudFormation::Stack'))) {
    const passed = (nested.Properties.Parameters as Record<string, unknown> | undefined)?.[name] as { Ref?: string; 'Fn::GetAtt'?: [string, string] } | undefined;
    if (passed?.Ref) return resolveRef(passed.Ref);
    if (passed?.['Fn::GetAtt']) return passed['Fn::GetAtt'][0];
  }
  return name;
}
const referenced = (value: unknown): string | undefined => {
  const ref = (value as { Ref?: string })?.Ref ?? (value as { 'Fn::GetAtt'?: [string] })?.['Fn::GetAtt']?.[0];
  return ref === undefined ? undefined : resolveRef(ref);
};

describe('encryption at rest', () => {
  it('encrypts the table with KMS under the AWS managed key aws/dynamodb (no key to administer; every use in CloudTrail)', () => {
    // A customer managed key would add a key policy to keep and a monthly fee for nothing the threat model needs:
    // the data is read only through the functions' roles, which this file checks.
    const [table] = Object.values(of('AWS::DynamoDB::GlobalTable'));
    expect(table!.Properties.SSESpecification).toEqual({ SSEEnabled: true, SSEType: 'KMS' });
    for (const replica of table!.Properties.Replicas as Json[]) expect(replica.SSESpecification).toBeUndefined();
  });

  it('encrypts every bucket by default', () => {
    const all = Object.values(of('AWS::S3::Bucket'));
    expect(all).toHaveLength(buckets.length);
    for (const bucket of all) {
      const [rule] = (bucket.Properties.BucketEncryption as { ServerSideEncryptionConfiguration: { ServerSideEncryptionByDefault: { SSEAlgorithm: string } }[] })
        .ServerSideEncryptionConfiguration;
      expect(['AES256', 'aws:kms']).toContain(rule!.ServerSideEncryptionByDefault.SSEAlgorithm);
    }
  });

  it('encrypts every queue (all of them dead-letter queues)', () => {
    const queues = Object.values(of('AWS::SQS::Queue'));
    expect(queues.length).toBeGreaterThan(0);
    for (const queue of queues) expect(queue.Properties.SqsManagedSseEnabled === true || queue.Properties.KmsMasterKeyId !== undefined).toBe(true);
  });
});

describe('buckets', () => {
  /** Why the other buckets keep no previous versions; a new bucket must be placed in one list or the other. */
  const unversioned: Record<string, string> = {
    imports: 'working copies of files the recruiter still has; they expire after 30 days',
    inbound: 'raw replies are read once, and their text is kept on the candidate\'s timeline',
    sites: 'every page and feed is rendered again from the table',
  };

  it('keeps previous versions of candidates\' documents as long as the table\'s point-in-time recovery (35 days), exports a day', () => {
    expect([...Object.keys(unversioned), 'documents'].sort()).toEqual([...buckets].sort());
    for (const name of Object.keys(unversioned)) expect(of('AWS::S3::Bucket')[bucketId(name as never)]!.Properties.VersioningConfiguration, name).toBeUndefined();
    const documents = of('AWS::S3::Bucket')[bucketId('documents')]!.Properties;
    expect(documents.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    const rules = (documents.LifecycleConfiguration as { Rules: Json[] }).Rules;
    expect(rules).toContainEqual(expect.objectContaining({ NoncurrentVersionExpiration: { NoncurrentDays: 35 }, ExpiredObjectDeleteMarker: true }));
    expect(rules).toContainEqual(expect.objectContaining({ Prefix: 'exports/', NoncurrentVersionExpiration: { NoncurrentDays: 1 } }));
  });

  it('blocks every kind of public access on every bucket', () => {
    for (const bucket of Object.values(of('AWS::S3::Bucket'))) {
      expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
    }
  });

  it('refuses every request to every bucket that does not come over TLS', () => {
    const policies = Object.values(of('AWS::S3::BucketPolicy'));
    for (const id of buckets.map(bucketId)) {
      const policy = policies.find((p) => referenced(p.Properties.Bucket) === id);
      expect(policy, id).toBeDefined();
      const statements = (policy!.Properties.PolicyDocument as { Statement: Statement[] }).Statement;
      expect(statements).toContainEqual(
        expect.objectContaining({ Effect: 'Deny', Action: 's3:*', Principal: { AWS: '*' }, Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      );
      const deny = statements.find((s) => s.Effect === 'Deny')!;
      expect(JSON.stringify(deny.Resource)).toContain(`"${id}","Arn"]},"/*"`);
    }
  });

  it('grants no one outside the account: the sites bucket is read by the distribution alone, SES writes replies for this account only', () => {
    const distribution = Object.keys(of('AWS::CloudFront::Distribution'))[0]!;
    const allowed = Object.values(of('AWS::S3::BucketPolicy')).flatMap((policy) =>
      (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement.filter((s) => s.Effect === 'Allow').map((s) => ({ bucket: referenced(policy.Properties.Bucket), ...s })),
    );
    for (const statement of allowed) {
      const principal = statement.Principal as { AWS?: unknown; Service?: string } | string;
      expect(principal, JSON.stringify(statement)).not.toBe('*');
      if (typeof principal === 'object' && principal.AWS !== undefined) {
        // CDK's deploy-time handler that empties non-production buckets before they are deleted: a role of this stack.
        expect(of('AWS::IAM::Role')[referenced(principal.AWS)!], JSON.stringify(statement)).toBeDefined();
        continue;
      }
      const service = (principal as { Service: string }).Service;
      if (service === 'cloudfront.amazonaws.com') {
        expect(statement.bucket).toBe(bucketId('sites'));
        expect(statement.Action).toBe('s3:GetObject');
        expect(JSON.stringify(statement.Condition)).toContain(`"AWS:SourceArn":{"Fn::Join":["",["arn:",{"Ref":"AWS::Partition"},":cloudfront::",{"Ref":"AWS::AccountId"},":distribution/",{"Ref":"${distribution}"}]]}`);
      } else {
        expect(service).toBe('ses.amazonaws.com');
        expect(statement.bucket).toBe(bucketId('inbound'));
        expect(statement.Condition).toEqual({ StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } });
      }
    }
    expect(allowed.filter((s) => (s.Principal as { Service?: string }).Service === 'cloudfront.amazonaws.com')).toHaveLength(1);
  });

  it('serves the sites bucket only through CloudFront origin access control, signed on every request', () => {
    const config = Object.values(of('AWS::CloudFront::Distribution'))[0]!.Properties.DistributionConfig as { Origins: Json[] };
    expect(config.Origins).toHaveLength(1);
    const [origin] = config.Origins;
    expect(referenced(origin!.DomainName)).toBe(bucketId('sites'));
    expect(origin!.S3OriginConfig).toEqual({ OriginAccessIdentity: '' });
    const control = of('AWS::CloudFront::OriginAccessControl')[referenced(origin!.OriginAccessControlId)!]!;
    expect(control.Properties.OriginAccessControlConfig).toMatchObject({ OriginAccessControlOriginType: 's3', SigningBehavior: 'always', SigningProtocol: 'sigv4' });
  });
});

describe('the career sites\' CDN', () => {
  it('sends a content security policy, HSTS, nosniff and DENY framing on every behaviour, over HTTPS only', () => {
    for (const distribution of Object.values(of('AWS::CloudFront::Distribution'))) {
      const config = distribution.Properties.DistributionConfig as { DefaultCacheBehavior: Json; CacheBehaviors?: Json[] };
      for (const behaviour of [config.DefaultCacheBehavior, ...(config.CacheBehaviors ?? [])]) {
        expect(['redirect-to-https', 'https-only']).toContain(behaviour.ViewerProtocolPolicy);
        const policy = of('AWS::CloudFront::ResponseHeadersPolicy')[referenced(behaviour.ResponseHeadersPolicyId)!];
        expect(policy, 'response headers policy').toBeDefined();
        const headers = (policy!.Properties.ResponseHeadersPolicyConfig as { SecurityHeadersConfig: Record<string, Json> }).SecurityHeadersConfig;
        const csp = JSON.stringify(headers.ContentSecurityPolicy!.ContentSecurityPolicy);
        for (const directive of ["default-src 'none'", "frame-ancestors 'none'", "base-uri 'none'", 'form-action ']) expect(csp).toContain(directive);
        expect(headers.StrictTransportSecurity).toMatchObject({ IncludeSubdomains: true, Override: true });
        expect(headers.StrictTransportSecurity!.AccessControlMaxAgeSec).toBeGreaterThanOrEqual(365 * 24 * 3600);
        expect(headers.ContentTypeOptions).toEqual({ Override: true });
        expect(headers.FrameOptions).toEqual({ FrameOption: 'DENY', Override: true });
        for (const header of Object.values(headers)) expect(header.Override).toBe(true);
      }
    }
  });
});

describe('the public API surface', () => {
  it('throttles every route, public ones included (HTTP APIs take no WAF: per-route throttles are the edge guard)', () => {
    const stage = Object.values(of('AWS::ApiGatewayV2::Stage'))[0]!.Properties;
    // The default applies to each route on its own; a route setting replaces it (rate-limited public routes).
    const defaults = stage.DefaultRouteSettings as { ThrottlingRateLimit: number; ThrottlingBurstLimit: number };
    const publicRoutes = functions.flatMap((fn) => fn.routes ?? []).filter((route) => route.access === 'public');
    expect(publicRoutes.length).toBeGreaterThan(0);
    for (const route of publicRoutes) {
      const throttle = (stage.RouteSettings as Record<string, typeof defaults>)[`${route.method} ${route.path}`] ?? defaults;
      expect(throttle.ThrottlingRateLimit, `${route.method} ${route.path}`).toBeGreaterThan(0);
      expect(throttle.ThrottlingBurstLimit, `${route.method} ${route.path}`).toBeGreaterThan(0);
    }
  });
});

describe('least privilege', () => {
  /** Actions granted on `Resource: "*"`, each because the service cannot scope it to a resource. */
  const onEveryResource: Record<string, string> = {
    'xray:PutTraceSegments': 'X-Ray has no resource-level permissions (active tracing of functions and workflows)',
    'xray:PutTelemetryRecords': 'X-Ray has no resource-level permissions (active tracing)',
    'xray:GetSamplingRules': 'X-Ray has no resource-level permissions (Step Functions tracing reads the sampling rules)',
    'xray:GetSamplingTargets': 'X-Ray has no resource-level permissions (Step Functions tracing)',
    'logs:CreateLogDelivery': 'Step Functions logging goes through CloudWatch Logs vended delivery, which takes no resource ARN',
    'logs:GetLogDelivery': 'vended log delivery (Step Functions logging), no resource ARN',
    'logs:UpdateLogDelivery': 'vended log delivery (Step Functions logging), no resource ARN',
    'logs:DeleteLogDelivery': 'vended log delivery (Step Functions logging), no resource ARN',
    'logs:ListLogDeliveries': 'vended log delivery (Step Functions logging), a list call with no resource',
    'logs:PutResourcePolicy': 'vended log delivery writes the account\'s log resource policy (Step Functions logging), which has no ARN',
    'logs:DescribeResourcePolicies': 'vended log delivery reads the account\'s log resource policies, which have no ARN',
    'logs:DescribeLogGroups': 'vended log delivery lists log groups, a call without a resource',
  };
  /** AWS managed policies on roles: only on CDK's own deploy-time handlers, never on a function of ours. */
  const managedPolicies = ['service-role/AWSLambdaBasicExecutionRole'];

  const statements = () => {
    const found: { owner: string; statement: Statement }[] = [];
    for (const [id, policy] of Object.entries({ ...of('AWS::IAM::Policy'), ...of('AWS::IAM::ManagedPolicy') })) {
      for (const statement of (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement) found.push({ owner: id, statement });
    }
    for (const [id, role] of Object.entries(of('AWS::IAM::Role'))) {
      for (const inline of (role.Properties.Policies as { PolicyDocument: { Statement: Statement[] } }[] | undefined) ?? []) {
        for (const statement of inline.PolicyDocument.Statement) found.push({ owner: id, statement });
      }
    }
    return found;
  };

  it('grants no wildcard action to any role', () => {
    const all = statements();
    expect(all.length).toBeGreaterThan(functions.length);
    for (const { owner, statement } of all) {
      for (const action of list(statement.Action)) expect(action, owner).not.toContain('*');
      expect((statement as { NotAction?: unknown }).NotAction, owner).toBeUndefined();
      expect((statement as { NotResource?: unknown }).NotResource, owner).toBeUndefined();
    }
  });

  it('grants `Resource: "*"` only for actions AWS offers no resource for, each listed with its reason', () => {
    for (const { owner, statement } of statements()) {
      if (!list(statement.Resource).includes('*')) continue;
      for (const action of list(statement.Action)) expect(onEveryResource[action], `${owner}: ${action} on *`).toBeDefined();
    }
  });

  it('narrows every other wildcard resource to keys under a concrete resource of this stack (a suffix after its reference)', () => {
    for (const { owner, statement } of statements()) {
      for (const resource of list(statement.Resource)) {
        if (resource === '*') continue;
        if (typeof resource === 'string') {
          expect(resource, owner).not.toContain('*');
          continue;
        }
        const join = (resource as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
        if (!join) continue;
        const parts = join[1];
        parts.forEach((part, i) => {
          if (typeof part !== 'string' || !part.includes('*')) return;
          expect(i, `${owner}: ${JSON.stringify(resource)}`).toBe(parts.length - 1);
          expect(part, owner).toMatch(/^(\/[\w./-]*|:)\*$/);
          expect(parts.slice(0, i).some((p) => typeof p === 'object' && !JSON.stringify(p).includes('AWS::')), `${owner}: ${JSON.stringify(resource)}`).toBe(true);
        });
      }
    }
  });

  it('attaches AWS managed policies only to CDK\'s deploy-time handler roles, never to a function of ours', () => {
    const ours = new Set(Object.values(of('AWS::Lambda::Function')).filter((fn) => (fn.Properties.Environment as { Variables?: Json })?.Variables?.TABLE_NAME).map((fn) => referenced(fn.Properties.Role)));
    expect(ours.size).toBe(functions.length);
    for (const [id, role] of Object.entries(of('AWS::IAM::Role'))) {
      const arns = list(role.Properties.ManagedPolicyArns).map((arn) => JSON.stringify(arn));
      if (ours.has(id)) expect(arns, id).toEqual([]);
      for (const arn of arns) expect(managedPolicies.some((name) => arn.includes(`:iam::aws:policy/${name}`)), `${id}: ${arn}`).toBe(true);
    }
  });
});

describe('secrets', () => {
  const secretLike = /SECRET|KEY|TOKEN|PASSWORD|CREDENTIAL|PRIVATE/i;

  it('keeps the link-signing and sealing keys in Secrets Manager, generated there, so their values are in no template', () => {
    const secrets = Object.values(of('AWS::SecretsManager::Secret'));
    expect(secrets).toHaveLength(2);
    for (const secret of secrets) {
      expect(secret.Properties.GenerateSecretString).toMatchObject({ PasswordLength: expect.any(Number) });
      expect((secret.Properties.GenerateSecretString as { PasswordLength: number }).PasswordLength).toBeGreaterThanOrEqual(32);
      expect(secret.Properties.SecretString).toBeUndefined();
    }
    expect(Object.keys(of('AWS::SSM::Parameter'))).toEqual([]);
  });

  it('gives functions secrets by ARN only: a secret-named variable references a Secrets Manager secret, and no value is a secret', () => {
    const secretIds = new Set(Object.keys(of('AWS::SecretsManager::Secret')));
    let secretVariables = 0;
    for (const fn of Object.values(of('AWS::Lambda::Function'))) {
      for (const [name, value] of Object.entries((fn.Properties.Environment as { Variables?: Json } | undefined)?.Variables ?? {})) {
        // A dynamic reference would resolve the secret's plain value into the function's configuration.
        expect(JSON.stringify(value), name).not.toContain('{{resolve:');
        if (typeof value === 'string') expect(value, name).not.toMatch(/^[A-Za-z0-9+/=_-]{32,}$/);
        if (!secretLike.test(name)) continue;
        secretVariables++;
        expect(name).toMatch(/_ARN$/);
        expect(secretIds.has(referenced(value) ?? ''), `${name} = ${JSON.stringify(value)}`).toBe(true);
      }
    }
    expect(secretVariables).toBe(functions.filter((fn) => fn.permissions.signsLinks).length + functions.filter((fn) => fn.permissions.sealsSecrets).length);
  });
});

describe('logs', () => {
  it('keeps every log group for a set time', () => {
    for (const [id, group] of Object.entries(of('AWS::Logs::LogGroup'))) expect(group.Properties.RetentionInDays, id).toBeGreaterThan(0);
  });

  it('logs every function, CDK\'s deploy-time handlers included, and every workflow and the API to one of those groups', () => {
    const groups = of('AWS::Logs::LogGroup');
    for (const [id, fn] of Object.entries(of('AWS::Lambda::Function'))) {
      const group = (fn.Properties.LoggingConfig as { LogGroup?: unknown } | undefined)?.LogGroup;
      expect(groups[referenced(group) ?? ''], id).toBeDefined();
    }
    for (const [id, machine] of Object.entries(of('AWS::StepFunctions::StateMachine'))) {
      const [destination] = (machine.Properties.LoggingConfiguration as { Destinations: { CloudWatchLogsLogGroup: { LogGroupArn: unknown } }[] }).Destinations;
      expect(groups[referenced(destination!.CloudWatchLogsLogGroup.LogGroupArn) ?? ''], id).toBeDefined();
    }
    const stage = Object.values(of('AWS::ApiGatewayV2::Stage'))[0]!;
    expect(groups[referenced((stage.Properties.AccessLogSettings as { DestinationArn: unknown }).DestinationArn) ?? '']).toBeDefined();
  });
});

describe('cdk-nag NIST 800-53 rev. 5', () => {
  type Report = { pluginReports: { pluginName: string; violations: { ruleName: string }[] }[] };
  const reportIn = (directory: string) => JSON.parse(readFileSync(join(directory, 'validation-report.json'), 'utf8')) as Report;

  it('reports no unacknowledged finding for the whole app', () => {
    expect(reportIn(synth.assembly.directory).pluginReports).toEqual([]);
  });

  it('checks every synth: a finding only the NIST pack makes (a log group without a KMS key) fails it', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'talent-relay-nist-'));
    const { app, stack } = buildApp({ 'aws:cdk:bundling-stacks': [] }, outdir);
    new LogGroup(stack, 'UnacknowledgedLogs', { retention: RetentionDays.ONE_DAY });
    expect(() => app.synth()).toThrow();
    expect(reportIn(outdir).pluginReports.flatMap((plugin) => plugin.violations.map((v) => v.ruleName))).toEqual(['NIST.800.53.R5-CloudWatchLogGroupEncrypted']);
  });
});
