import { CfnElement, Stack, Validations } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { DefinitionBody, LogLevel, StateMachine, StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { WorkflowSpec } from '../manifest.ts';
import { acknowledgeNist, nistReasons } from './nag.ts';

/** A manifest workflow as a Standard state machine whose Task states invoke the manifest's functions. */
export class Workflow extends Construct {
  readonly stateMachine: StateMachine;

  /**
   * `name` fixes the state machine's name, so its ARN can be written without referring to it: a Task function that
   * starts its own workflow must not (the machine already refers to the function, and CloudFormation refuses cycles).
   */
  constructor(scope: Construct, id: string, props: { spec: WorkflowSpec; functions: ReadonlyMap<string, IFunction>; name?: string }) {
    super(scope, id);
    const invoked = (name: string) => {
      const fn = props.functions.get(name);
      if (!fn || !props.spec.invokes.includes(name)) throw new Error(`Workflow ${props.spec.name} invokes ${name}, which it does not declare`);
      return fn;
    };
    const definition = props.spec.definition((name) => invoked(name).functionArn);
    this.stateMachine = new StateMachine(this, 'StateMachine', {
      stateMachineType: StateMachineType.STANDARD,
      ...(props.name ? { stateMachineName: props.name } : {}),
      comment: props.spec.description,
      definitionBody: DefinitionBody.fromString(Stack.of(this).toJsonString(definition)),
      tracingEnabled: true,
      logs: { destination: new LogGroup(this, 'Logs', { retention: RetentionDays.ONE_MONTH }), level: LogLevel.ALL },
    });
    acknowledgeNist(this, { ...nistReasons.logGroup, ...nistReasons.rolePolicy });
    const stack = Stack.of(this);
    Validations.of(this.stateMachine).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'X-Ray tracing and CloudWatch Logs delivery, which Step Functions needs on every resource.',
    });
    for (const name of props.spec.invokes) {
      const fn = invoked(name);
      fn.grantInvoke(this.stateMachine);
      Validations.of(this.stateMachine).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${stack.getLogicalId(fn.node.defaultChild as CfnElement)}.Arn>:*]`,
        reason: `Invoking any version of ${name}, the function this workflow's Task states run.`,
      });
    }
  }
}
