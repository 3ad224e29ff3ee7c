import { describe, expect, it } from 'vitest';
import { backoff, boundedRetries, MAX_ATTEMPTS } from '../../shared/retries.ts';

type Strategy = ReturnType<typeof boundedRetries>;
type Token = Awaited<ReturnType<Strategy['acquireInitialRetryToken']>>;
const throttled = { errorType: 'THROTTLING' as const };

/** Retries a call until the strategy refuses: the waits it asked for. */
async function waits(strategy: Strategy, errorType: 'THROTTLING' | 'TRANSIENT' | 'SERVER_ERROR' | 'CLIENT_ERROR') {
  const asked: number[] = [];
  let token: Token = await strategy.acquireInitialRetryToken('');
  for (;;) {
    try {
      token = await strategy.refreshRetryTokenForRetry(token, { errorType });
      asked.push(token.getRetryDelay());
    } catch {
      return { asked, token };
    }
  }
}

describe('retries of AWS calls', () => {
  it('retry a throttle nine times at most, each wait under a second, all of them within 5.5 s', async () => {
    const { asked } = await waits(boundedRetries(), 'THROTTLING');
    expect(asked).toHaveLength(MAX_ATTEMPTS - 1);
    expect(Math.max(...asked)).toBeLessThan(1000);
    expect(asked.reduce((sum, wait) => sum + wait, 0)).toBeLessThan(5500);
  });

  it('back off exponentially with full jitter, never past 1 s', () => {
    const bounds = Array.from({ length: 12 }, (_, i) => Math.max(...Array.from({ length: 500 }, () => backoff(i + 1))));
    expect(bounds.slice(0, 5).every((bound, i) => bound < 50 * 2 ** i)).toBe(true);
    expect(bounds.every((bound) => bound < 1000)).toBe(true);
    expect(bounds.at(-1)).toBeGreaterThan(500);
  });

  it('retry transient failures too, but not a client error or a server error the SDK does not call transient', async () => {
    expect((await waits(boundedRetries(), 'TRANSIENT')).asked).toHaveLength(MAX_ATTEMPTS - 1);
    expect((await waits(boundedRetries(), 'CLIENT_ERROR')).asked).toEqual([]);
    expect((await waits(boundedRetries(), 'SERVER_ERROR')).asked).toEqual([]);
  });

  it('retry only a throttle for a call not safe to repeat (an email send): a timeout may hide an accepted email', async () => {
    const sending = () => boundedRetries(['THROTTLING']);
    expect((await waits(sending(), 'THROTTLING')).asked).toHaveLength(MAX_ATTEMPTS - 1);
    expect((await waits(sending(), 'TRANSIENT')).asked).toEqual([]);
  });

  it('stop retrying once the shared budget is spent, and retry again as calls succeed', async () => {
    const strategy = boundedRetries();
    let last: Token | undefined;
    for (let round = 0; round < 100; round++) {
      const { asked, token } = await waits(strategy, 'THROTTLING');
      last = token;
      if (!asked.length) break;
    }
    expect((await waits(strategy, 'THROTTLING')).asked).toEqual([]);
    for (let i = 0; i < 5; i++) strategy.recordSuccess(last!);
    await expect(strategy.refreshRetryTokenForRetry(await strategy.acquireInitialRetryToken(''), throttled)).resolves.toBeDefined();
  });
});
