import type { Context } from 'aws-lambda';
import { logger } from '../../../shared/observability.ts';
import { invitations } from '../adapters/survey-services.ts';
import type { SendInput } from '../domain/survey-service.ts';

/** The invitation workflow's task: sends one invitation once; with `error`, records that its retries ran out. */
export const handler = async (input: SendInput & { error?: { Error?: string; Cause?: string } }, context: Context) => {
  logger.addContext(context);
  if (input.error) return invitations.recordFailure(input, `${input.error.Error ?? 'Error'}: ${input.error.Cause ?? ''}`);
  return invitations.send(input, context.awsRequestId);
};
