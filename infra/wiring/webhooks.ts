import * as integrations from '../../functions/integrations/api.ts';
import { webhookEvents } from '../../functions/integrations/domain/webhook-events.ts';
import type { FunctionSpec, WorkflowSpec } from '../manifest.ts';
import type { StateMachineDefinition } from '../workflows.ts';

const ATTEMPT = 'integrations-webhook-attempt';

export const functions: readonly FunctionSpec[] = [
  {
    name: 'integrations-webhooks',
    context: 'integrations',
    description: 'Outbound webhooks: subscribe, change, pause, remove; their deliveries and redelivery',
    entry: 'functions/integrations/handlers/webhooks.ts',
    routes: [
      integrations.createWebhook, integrations.listWebhooks, integrations.getWebhook, integrations.updateWebhook, integrations.deleteWebhook,
      integrations.listDeliveries, integrations.getDelivery, integrations.redeliver,
    ],
    permissions: { table: 'readWrite', sealsSecrets: true, startWorkflows: [integrations.DELIVERY_WORKFLOW] },
  },
  {
    name: 'integrations-webhook-dispatcher',
    context: 'integrations',
    description: 'Starts a signed delivery to each webhook subscribed to a domain event; forgets kept bodies of erased people',
    entry: 'functions/integrations/handlers/webhook-dispatcher.ts',
    subscribes: webhookEvents,
    permissions: { table: 'readWrite', startWorkflows: [integrations.DELIVERY_WORKFLOW] },
  },
  {
    name: ATTEMPT,
    context: 'integrations',
    description: 'Sends one signed attempt of a webhook delivery and records it (the Task of the delivery workflow)',
    entry: 'functions/integrations/handlers/delivery-attempt.ts',
    // The receiver has 10 s; the rest is reading the webhook and recording the attempt.
    timeoutSeconds: 20,
    permissions: { table: 'readWrite', sealsSecrets: true },
  },
];

/**
 * One webhook delivery: try, and after a failure wait (the back-off the Task computed, 30 s doubling to an hour) and
 * try again, until delivered or, after 24 hours, dead-lettered. Three transitions per failed try. Wait states with
 * SecondsPath, not Retry, carry the back-off: the schedule is the domain's, shown in the deliveries list as it runs.
 * The Task's own Retry covers failures on our side (a throttle, a crash); when those run out the delivery is
 * dead-lettered so it can be redelivered.
 */
function webhookDelivery(attemptArn: string): StateMachineDefinition {
  const ourFailures = { ErrorEquals: ['States.ALL'], IntervalSeconds: 5, MaxAttempts: 4, BackoffRate: 2 };
  return {
    Comment: 'Delivers one event to one webhook with exponential back-off for 24 hours, then dead-letters it',
    StartAt: 'Attempt',
    States: {
      Attempt: {
        Type: 'Task', Resource: attemptArn, Retry: [ourFailures], Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: 'GiveUp' }], Next: 'Done?',
      },
      'Done?': { Type: 'Choice', Choices: [{ Variable: '$.done', BooleanEquals: true, Next: 'Finished' }], Default: 'BackOff' },
      BackOff: { Type: 'Wait', SecondsPath: '$.waitSeconds', Next: 'Attempt' },
      GiveUp: { Type: 'Task', Resource: attemptArn, Retry: [ourFailures], Next: 'Failed' },
      Failed: { Type: 'Fail', Error: 'DeliveryFailed', Cause: 'Attempts kept failing on our side; the delivery is dead-lettered and can be redelivered.' },
      Finished: { Type: 'Succeed' },
    },
  };
}

export const workflows: readonly WorkflowSpec[] = [
  {
    name: integrations.DELIVERY_WORKFLOW,
    context: 'integrations',
    description: 'Delivers one event to one webhook, retrying with back-off for 24 hours before dead-lettering',
    invokes: [ATTEMPT],
    definition: (arn) => webhookDelivery(arn(ATTEMPT)),
  },
];
