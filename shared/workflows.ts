import { ExecutionAlreadyExists, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';

const client = new SFNClient({});

const arnOf = (workflow: string) => {
  const name = `WORKFLOW_${workflow.toUpperCase().replace(/-/g, '_')}`;
  const arn = process.env[name];
  if (!arn) throw new Error(`Missing environment variable ${name}`);
  return arn;
};

/**
 * Starts a workflow execution named after what it works on, so a redelivered trigger cannot start a second one:
 * Step Functions refuses a name that a running or finished execution already has.
 */
export async function startWorkflow(workflow: string, executionName: string, input: Record<string, unknown>): Promise<void> {
  try {
    await client.send(new StartExecutionCommand({ stateMachineArn: arnOf(workflow), name: executionName, input: JSON.stringify(input) }));
  } catch (error) {
    if (!(error instanceof ExecutionAlreadyExists)) throw error;
  }
}
