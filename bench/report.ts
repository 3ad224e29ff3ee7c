/** Small helpers the load and cost sections share: percentiles, waiting, and the Markdown tables they print. */
import { invocationStats } from '../infra/local/lambda.ts';

export const percentile = (values: number[], p: number) => {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Reads until `done` holds or the time is up; answers the last value either way. */
export async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 15 * 60_000, everyMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await sleep(everyMs);
  }
}

export function table(header: string[], rows: string[][]) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

export const int = (value: number) => Math.round(value).toLocaleString('en');

/**
 * Resolves once the stack has done nothing for `quietMs`: no event delivery, workflow or stream batch under way and no
 * invocation started (the stream relay's work is not in `idle`, so invocations are watched too).
 */
export async function settle(stack: { idle: () => Promise<void> }, quietMs = 2000) {
  const total = () => [...invocationStats().values()].reduce((n, s) => n + s.count, 0);
  for (;;) {
    await stack.idle();
    const before = total();
    await sleep(quietMs);
    if (total() === before) return;
  }
}

/**
 * `fetch` that tries again when the connection fails (on a busy machine a kept-alive socket is sometimes closed just
 * as it is reused). Only for requests that may be repeated: reads, PATCHes, and POSTs carrying an Idempotency-Key.
 */
export async function fetchAgain(url: string, init: RequestInit = {}): Promise<Response> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fetch(url, init);
    } catch (error) {
      if (attempt >= 5 || !(error instanceof TypeError)) throw error;
      await sleep(500 * attempt);
    }
  }
}

/**
 * Tries `work` again when it fails: on a busy machine DynamoDB Local now and then drops a connection mid-answer
 * (starting the stack, or the bench's own reads). Only for work that may be repeated.
 */
export async function retried<T>(work: () => Promise<T>, attempts = 4): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (attempt >= attempts) throw error;
      await sleep(1000 * attempt);
    }
  }
}

/**
 * On a starved machine an emulator sometimes drops a connection under a call nobody awaits (the SDK reports
 * `socket hang up`), which would end the whole process and every figure with it. The bench notes them instead.
 */
export function strayRejections() {
  const seen: string[] = [];
  const note = (reason: unknown) => seen.push(String((reason as Error)?.message ?? reason));
  process.on('unhandledRejection', note);
  return { seen, stop: () => process.off('unhandledRejection', note) };
}
