import { App, ArnFormat, CfnElement, CfnOutput, NestedStack, Stack, Token, Validations, type StackProps } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import type { Construct } from 'constructs';
import { BUS_NAME } from '../events/contract.ts';
import { Auth } from './constructs/auth.ts';
import { BoundedContext } from './constructs/bounded-context.ts';
import { DomainEvents } from './constructs/events-bus.ts';
import { Api } from './constructs/http-api.ts';
import { Storage } from './constructs/storage.ts';
import { Files } from './constructs/files.ts';
import { Email } from './constructs/email.ts';
import { Sites } from './constructs/sites.ts';
import { Workflow } from './constructs/workflow.ts';
import { nagReference } from './constructs/nag.ts';
import { retainHandlerLogs } from './constructs/handler-logs.ts';
import { contexts, functions, workflows, type ContextName } from './manifest.ts';
import { workflowVariable } from '../shared/workflows.ts';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';

const pascal = (name: string) => name.replace(/(^|-)(\w)/g, (_, __, c: string) => c.toUpperCase());

export interface TalentRelayProps extends StackProps {
  /** `prod` retains the table and the user pool and protects the table from deletion. */
  stage: string;
  /** Career-site origins allowed to call public routes from a browser. */
  corsOrigins: string[];
  /** The sender of the stack's emails; its domain becomes the SES identity (publish its DKIM records). */
  mailFrom: string;
  /** Where replies come back to; its MX record points at SES receiving. Default: `reply.` + the sending domain. */
  replyDomain?: string;
  /** The employer the career sites and job feeds speak for. */
  organisation: { name: string; url?: string; logoUrl?: string };
}

export class TalentRelayStack extends Stack {
  /** How cdk-nag writes a value in a finding's id: the literal when the environment is known, else the pseudo parameter. */
  private nagValue(value: string, pseudo: string): string {
    return Token.isUnresolved(value) ? `<${pseudo}>` : value;
  }

  constructor(scope: Construct, id: string, props: TalentRelayProps) {
    super(scope, id, props);
    const retain = props.stage === 'prod';
    const { table } = new Storage(this, 'Storage', { retain });
    const { bus } = new DomainEvents(this, 'Events', { busName: `${BUS_NAME}-${props.stage}` });
    const auth = new Auth(this, 'Auth', { retain });
    const api = new Api(this, 'Api', { authorizer: auth.authorizer });
    const { buckets } = new Files(this, 'Files', { retain });
    const domain = /@([^>\s]+)>?$/.exec(props.mailFrom)?.[1] ?? props.mailFrom;
    const replyDomain = props.replyDomain ?? `reply.${domain}`;
    const email = new Email(this, 'Email', { domain, replyDomain, inbound: buckets.inbound });
    const sites = new Sites(this, 'Sites', { bucket: buckets.sites, apiUrl: api.httpApi.apiEndpoint });

    // Each bounded context is a nested stack: its functions, rules, routes and workflows. One stack would pass
    // CloudFormation's 500 resources; a context stays far below it.
    const deployed = new Map<string, NodejsFunction>();
    const contextStacks = new Map<ContextName, NestedStack>();
    for (const context of contexts) {
      const members = functions.filter((fn) => fn.context === context);
      if (!members.length) continue;
      const nested = new NestedStack(this, `${pascal(context)}Context`, { description: `Talent Relay ${context} context` });
      contextStacks.set(context, nested);
      if (members.some((fn) => fn.routes?.length)) api.stage.node.addDependency(nested);
      const bounded = new BoundedContext(nested, 'Functions', {
        context,
        functions: members,
        table,
        bus,
        api,
        buckets,
        corsOrigins: [sites.url, ...props.corsOrigins],
        mailFrom: props.mailFrom,
        email,
        publicApiUrl: api.httpApi.apiEndpoint,
        replyDomain,
        sites: { url: sites.url, distribution: sites.distribution, organisation: { ...props.organisation, url: props.organisation.url ?? sites.url } },
      });
      for (const [name, fn] of bounded.functions) deployed.set(name, fn);
    }

    for (const spec of workflows) {
      const home = contextStacks.get(spec.context);
      if (!home) throw new Error(`Workflow ${spec.name} belongs to ${spec.context}, which has no functions`);
      const starters = functions.filter((fn) => fn.permissions.startWorkflows?.includes(spec.name));
      // A Task function that starts its own workflow gets the ARN from the machine's fixed name, not a reference to it
      // (the machine refers to the function: a cycle CloudFormation refuses).
      const name = starters.some((fn) => spec.invokes.includes(fn.name)) ? `${this.stackName}-${spec.name}` : undefined;
      const { stateMachine } = new Workflow(home, `${pascal(spec.name)}Workflow`, { spec, functions: deployed, ...(name ? { name } : {}) });
      for (const starter of starters) {
        const fn = deployed.get(starter.name)!;
        if (name) {
          const arn = Stack.of(fn).formatArn({ service: 'states', resource: 'stateMachine', resourceName: name, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
          fn.addEnvironment(workflowVariable(spec.name), arn);
          fn.addToRolePolicy(new PolicyStatement({ actions: ['states:StartExecution'], resources: [arn] }));
        } else {
          fn.addEnvironment(workflowVariable(spec.name), stateMachine.stateMachineArn);
          stateMachine.grantStartExecution(fn);
        }
      }
      for (const stopper of functions.filter((fn) => fn.permissions.stopWorkflows?.includes(spec.name))) {
        const fn = deployed.get(stopper.name)!;
        fn.addEnvironment(workflowVariable(spec.name), stateMachine.stateMachineArn);
        stateMachine.grantExecution(fn, 'states:StopExecution');
        const machine = nagReference(fn.role!, stateMachine.node.defaultChild as CfnElement, 'Ref');
        Validations.of(fn.role!).acknowledge({
          id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:${this.nagValue(this.region, 'AWS::Region')}:${this.nagValue(this.account, 'AWS::AccountId')}:execution:{"Fn::Select":[6,{"Fn::Split":[":",{"Ref":"${machine}"}]}]}:*]`,
          reason: `Stops executions of ${spec.name} only; their names (one per enrollment) are not known in advance.`,
        });
      }
    }

    retainHandlerLogs(this);

    new CfnOutput(this, 'ApiUrl', { value: api.httpApi.apiEndpoint });
    new CfnOutput(this, 'UserPoolId', { value: auth.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: auth.client.userPoolClientId });
    new CfnOutput(this, 'SitesUrl', { value: sites.url });
    new CfnOutput(this, 'TableName', { value: table.tableName });
    new CfnOutput(this, 'EventBusName', { value: bus.eventBusName });
  }
}

/**
 * The app with cdk-nag's AwsSolutions and NIST 800-53 rev. 5 checks: an unacknowledged finding fails the synth.
 * (The HIPAA security pack asks the same eleven things of this app as NIST does.)
 */
export function buildApp(context: Record<string, unknown> = {}, outdir?: string) {
  const app = new App({ context, outdir });
  const stage = String(app.node.tryGetContext('stage') ?? 'dev');
  const corsOrigins = String(app.node.tryGetContext('corsOrigins') ?? '').split(',').filter(Boolean);
  const mailFrom = String(app.node.tryGetContext('mailFrom') ?? 'Talent Relay <talent@example.com>');
  const replyDomain = app.node.tryGetContext('replyDomain') as string | undefined;
  const organisation = {
    name: String(app.node.tryGetContext('organisationName') ?? 'Talent Relay'),
    ...(app.node.tryGetContext('organisationUrl') ? { url: String(app.node.tryGetContext('organisationUrl')) } : {}),
    ...(app.node.tryGetContext('organisationLogoUrl') ? { logoUrl: String(app.node.tryGetContext('organisationLogoUrl')) } : {}),
  };
  const stack = new TalentRelayStack(app, `TalentRelay-${stage}`, {
    stage,
    corsOrigins,
    mailFrom,
    organisation,
    ...(replyDomain ? { replyDomain } : {}),
    env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
    description: 'Talent Relay: serverless candidate relationship management',
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new NIST80053R5Checks(app));
  return { app, stack };
}
