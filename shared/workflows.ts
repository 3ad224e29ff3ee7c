import type { SFNClient } from '@aws-sdk/client-sfn';

// Loaded on first use: most invocations of the functions that can start a workflow never do.
let client: Promise<{ sfn: typeof import('@aws-sdk/client-sfn'); client: SFNClient }> | undefined;
const sfn = () => (client ??= import('@aws-sdk/client-sfn').then((module) => ({ sfn: module, client: new module.SFNClient({}) })));

/** The environment variable a function reads a workflow's ARN from (set by the CDK app and the local stack). */
export const workflowVariable = (workflow: string) => `WORKFLOW_${workflow.toUpperCase().replace(/-/g, '_')}`;

const arnOf = (workflow: string) => {
  const name = workflowVariable(workflow);
  const arn = process.env[name];
  if (!arn) throw new Error(`Missing environment variable ${name}`);
  return arn;
};

/**
 * Starts a workflow execution named after what it works on, so a redelivered trigger cannot start a second one:
 * Step Functions refuses a name that a running or finished execution already has.
 */
export async function startWorkflow(workflow: string, executionName: string, input: Record<string, unknown>): Promise<void> {
  const { sfn: module, client: sfnClient } = await sfn();
  try {
    await sfnClient.send(new module.StartExecutionCommand({ stateMachineArn: arnOf(workflow), name: executionName, input: JSON.stringify(input) }));
  } catch (error) {
    if (!(error instanceof module.ExecutionAlreadyExists)) throw error;
  }
}

/** Stops the execution of a workflow with this name, if one runs; a finished or unknown one is left as it is. */
export async function stopWorkflow(workflow: string, executionName: string, cause: string): Promise<void> {
  const { sfn: module, client: sfnClient } = await sfn();
  const executionArn = `${arnOf(workflow).replace(':stateMachine:', ':execution:')}:${executionName}`;
  try {
    await sfnClient.send(new module.StopExecutionCommand({ executionArn, cause }));
  } catch (error) {
    if (!(error instanceof module.ExecutionDoesNotExist)) throw error;
  }
}
