import { INVITATION_WORKFLOW } from '../../functions/engagement/domain/survey-service.ts';
import * as surveys from '../../functions/engagement/survey-api.ts';
import type { FunctionSpec, WorkflowSpec } from '../manifest.ts';
import { recordFailure, retryAll, type StateMachineDefinition } from '../workflows.ts';

const SENDER = 'engagement-survey-sender';

/**
 * One survey invitation: wait until the delay after its trigger has passed, then send (the task claims the send
 * before emailing, so a retry never sends twice). Three state transitions per invitation; when the retries run out
 * the task is called once more with `error` to record the failure on the invitation.
 */
export function waitThenSend(senderArn: string): StateMachineDefinition {
  return {
    Comment: "Sends one survey invitation after the survey's delay",
    StartAt: 'WaitForDelay',
    States: {
      WaitForDelay: { Type: 'Wait', TimestampPath: '$.sendAt', Next: 'Send' },
      Send: {
        Type: 'Task',
        Resource: senderArn,
        Retry: [retryAll],
        Catch: recordFailure(),
        End: true,
      },
      RecordFailure: { Type: 'Task', Resource: senderArn, Retry: [retryAll], Next: 'Failed' },
      Failed: { Type: 'Fail', Error: 'SendFailed', Cause: 'The invitation could not be sent; the survey counts it as failed.' },
    },
  };
}

export const functions: readonly FunctionSpec[] = [
  {
    name: 'engagement-survey-api',
    context: 'engagement',
    description: 'Feedback surveys: create, list, read, pause or resume, send by hand, results (JSON or CSV)',
    entry: 'functions/engagement/handlers/survey-api.ts',
    timeoutSeconds: 30,
    routes: [surveys.createSurvey, surveys.listSurveys, surveys.getSurvey, surveys.updateSurvey, surveys.sendSurvey, surveys.surveyResults],
    permissions: { table: 'readWrite', startWorkflows: [INVITATION_WORKFLOW] },
  },
  {
    name: 'engagement-survey-public',
    context: 'engagement',
    description: 'The survey behind the emailed link: the form, and its answers stored once',
    entry: 'functions/engagement/handlers/survey-public.ts',
    routes: [surveys.surveyForm, surveys.answerSurvey],
    permissions: { table: 'readWrite', signsLinks: true },
  },
  {
    name: 'engagement-survey-triggers',
    context: 'engagement',
    description: 'Starts the delayed survey invitations that applications, their status changes and attended hiring events trigger',
    entry: 'functions/engagement/handlers/survey-triggers.ts',
    subscribes: surveys.surveyTriggers,
    permissions: { table: 'read', startWorkflows: [INVITATION_WORKFLOW] },
  },
  {
    name: SENDER,
    context: 'engagement',
    description: 'Sends one survey invitation once, unless the person is suppressed, objects or may not be contacted (the Task of the invitation workflow)',
    entry: 'functions/engagement/handlers/survey-sender.ts',
    timeoutSeconds: 30,
    permissions: { table: 'readWrite', sendEmail: 'single', signsLinks: true },
  },
];

export const workflows: readonly WorkflowSpec[] = [
  {
    name: INVITATION_WORKFLOW,
    context: 'engagement',
    description: 'One survey invitation: waits for the survey\'s delay after its trigger, then sends it once',
    invokes: [SENDER],
    definition: (arn) => waitThenSend(arn(SENDER)),
  },
];
