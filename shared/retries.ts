import type { DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';

/** Retries of AWS calls, written here rather than configured from @smithy/core, which adds 15 KiB to every bundle. */

/**
 * Ten attempts, as the SDKs used to give DynamoDB: with the v3 default of four, a burst of throttling
 * (ProvisionedThroughputExceeded, ThrottlingException) reached callers as 500s when injected at 20 % locally.
 */
export const MAX_ATTEMPTS = 10;
const BASE_DELAY_MS = 25;
const MAX_DELAY_MS = 1000;

/**
 * The wait before retry `attempt` (from 1): full jitter under 50 ms, 100 ms, … never over 1 s, so a call's nine
 * retries take 5.5 s at most (half that on average) and fit in an API function's 10 s. The SDK's own waits after a
 * throttle start at 1 s and grow to 20 s: a call throttled four times in a row outlasted its function, which answered
 * 500 long after the table had recovered.
 */
export const backoff = (attempt: number) => Math.floor(Math.random() * Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** attempt));

/** The SDK's retry strategy interface (the same for every v3 client; only the type is imported). */
type RetryStrategy = Extract<NonNullable<DynamoDBClientConfig['retryStrategy']>, { recordSuccess: unknown }>;
type ErrorType = Parameters<RetryStrategy['refreshRetryTokenForRetry']>[1]['errorType'];
type RetryToken = Awaited<ReturnType<RetryStrategy['acquireInitialRetryToken']>> & { cost?: number };

/** What the container may spend on retries, as the SDK's standard strategy keeps it: a failing service stops being retried. */
const RETRY_CAPACITY = 500;

/**
 * The SDK's standard strategy (throttles and transient failures are retried, from a shared budget that successes
 * refill) with `backoff`'s waits. `retrying` narrows what is retried: a call that is not safe to repeat (sending an
 * email) retries only a throttle, which certainly did nothing, never a timeout, which may hide a success.
 */
export function boundedRetries(retrying: readonly ErrorType[] = ['THROTTLING', 'TRANSIENT']): RetryStrategy {
  let capacity = RETRY_CAPACITY;
  const token = (count: number, delay: number, cost?: number): RetryToken => ({ getRetryCount: () => count, getRetryDelay: () => delay, cost });
  return {
    acquireInitialRetryToken: async () => token(0, 0),
    async refreshRetryTokenForRetry(previous, { errorType }) {
      const count = previous.getRetryCount() + 1;
      const cost = errorType === 'THROTTLING' ? 5 : 14;
      if (!retrying.includes(errorType) || count >= MAX_ATTEMPTS || capacity < cost) throw new Error('No retry token available');
      capacity -= cost;
      return token(count, backoff(count), cost);
    },
    recordSuccess(last: RetryToken) {
      capacity = Math.min(RETRY_CAPACITY, capacity + (last.cost ?? 1));
    },
  };
}

