/**
 * When a failed delivery is tried again: after 30 s, doubling up to an hour between tries, until the back-off waited
 * reaches 24 hours; a failure after that dead-letters the delivery. That is 31 tries over a little more than a day.
 */
const FIRST_BACKOFF_SECONDS = 30;
const MAX_BACKOFF_SECONDS = 3600;
export const RETRY_WINDOW_SECONDS = 24 * 3600;

/** The wait after the n-th failed try of a run (1-based). */
export const backoffSeconds = (tries: number): number => Math.min(FIRST_BACKOFF_SECONDS * 2 ** (tries - 1), MAX_BACKOFF_SECONDS);

/** After a failed try: how long to wait before the next, or undefined when the retry window has passed. */
export function nextWait(tries: number, waitedSeconds: number): number | undefined {
  return waitedSeconds >= RETRY_WINDOW_SECONDS ? undefined : backoffSeconds(tries);
}

/** The whole schedule: the wait after each failed try until giving up (for the documentation and its test). */
export function retrySchedule(): number[] {
  const waits: number[] = [];
  for (let waited = 0, tries = 1, wait = nextWait(tries, waited); wait !== undefined; tries++, wait = nextWait(tries, waited)) {
    waits.push(wait);
    waited += wait;
  }
  return waits;
}

/** What a receiver's answer means: 2xx delivered; 410 Gone asks us to stop; anything else (or none) is tried again. */
export function outcomeOf(httpStatus: number | undefined): 'delivered' | 'gone' | 'failed' {
  if (httpStatus !== undefined && httpStatus >= 200 && httpStatus < 300) return 'delivered';
  return httpStatus === 410 ? 'gone' : 'failed';
}
