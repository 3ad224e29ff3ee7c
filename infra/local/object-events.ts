import type { FunctionSpec } from '../manifest.ts';
import { invoke } from './lambda.ts';
import { localBucket, type S3EventRecord } from './sites.ts';

const RETRIES = 3;

/** S3 event notifications: an object created under a function's declared prefix invokes it, asynchronously, with retries. */
export function localObjectEvents(functions: readonly FunctionSpec[], log: (line: string) => void) {
  const pending = new Set<Promise<void>>();

  async function deliver(fn: FunctionSpec, record: S3EventRecord) {
    for (let attempt = 1; ; attempt++) {
      try {
        await invoke(fn, { Records: [record] });
        return;
      } catch (error) {
        if (attempt >= RETRIES) return log(`object event ${record.s3.object.key} to ${fn.name} failed ${attempt} times: ${(error as Error).message}`);
        await new Promise((resolve) => setTimeout(resolve, 200 * 2 ** attempt));
      }
    }
  }

  return {
    deliver(records: S3EventRecord[]) {
      for (const record of records) {
        if (!record.eventName.startsWith('ObjectCreated:')) continue;
        for (const fn of functions) {
          const wanted = fn.objectCreated;
          if (!wanted || record.s3.bucket.name !== localBucket(wanted.bucket) || !record.s3.object.key.startsWith(wanted.prefix)) continue;
          const delivery = deliver(fn, record);
          pending.add(delivery);
          void delivery.finally(() => pending.delete(delivery));
        }
      }
    },
    async idle() {
      while (pending.size) await Promise.allSettled([...pending]);
    },
  };
}
