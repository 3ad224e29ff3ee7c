import type { Context } from 'aws-lambda';
import { logger } from '../../../shared/observability.ts';
import { sending } from '../adapters/services-sending.ts';
import type { SendInput } from '../domain/send-service.ts';

/** Leaves this much of the invocation for the batch under way and its settling. */
const RESERVE_MS = 20_000;
/** A chunk of work stops after this long: the execution history grows by a few events per chunk, not per batch. */
const CHUNK_MS = 60_000;

/**
 * Sends one shard's recipients from its checkpoint (a Task of the send workflow). The Lambda request id names the
 * attempt: a retry after a crash is a new attempt and takes over the claims the crashed one left, once they are old.
 */
export const handler = async (input: SendInput, context: Context) => {
  logger.addContext(context);
  // As the invocation starts, its remaining time is the function's timeout (from the manifest): how long a try can last.
  const timeoutMs = context.getRemainingTimeInMillis();
  const deadline = Math.min(Date.now() + CHUNK_MS, Date.now() + timeoutMs - RESERVE_MS);
  return sending.sendShard(input, { id: context.awsRequestId, timeoutMs }, deadline);
};
