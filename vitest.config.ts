import { defineConfig } from 'vitest/config';

/** Quiet, local-only Powertools settings for every test process. */
const env = { POWERTOOLS_DEV: 'true', POWERTOOLS_LOG_LEVEL: 'SILENT', POWERTOOLS_METRICS_DISABLED: 'true' };

const schedulesActingOnEveryone = ['test/integration/privacy-audit.test.ts'];
/** Checks totals over the whole pool (pool size, consent coverage, NPS) against exact numbers: no other file's people may count. */
const readsEveryone = ['test/integration/analytics.test.ts'];
/** Thousands of generated requests each, and a check of the whole table for what a rejected request left: one at a time, on a stack of their own. */
const fuzzing = ['test/integration/fuzz-public.test.ts', 'test/integration/fuzz-api.test.ts'];
/** Ranks the whole pool: which people outrank the file's own depends on everyone in the stack. */
const ranksEveryone = ['test/integration/matching.test.ts'];

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts', 'test/handler/**/*.test.ts'],
          env: { ...env, TABLE_NAME: 'talent-relay-test', EVENT_BUS_NAME: 'talent-relay-test', AWS_REGION: 'eu-west-1', TOKEN_SECRET: 'talent-relay-test-signing-key', SEALING_SECRET: 'talent-relay-test-sealing-key' },
        },
      },
      {
        test: { name: 'infra', include: ['test/infra/**/*.test.ts'], env, testTimeout: 180_000, hookTimeout: 180_000 },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts', 'test/browser/**/*.test.ts'],
          exclude: [...schedulesActingOnEveryone, ...readsEveryone, ...fuzzing, ...ranksEveryone],
          globalSetup: ['test/integration/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        // Schedules that act on every person (the Art. 14 notice emails and updates everyone pending) would upset
        // other files' people: they run afterwards, one file at a time, on a stack of their own.
        test: {
          name: 'schedules',
          include: schedulesActingOnEveryone,
          globalSetup: ['test/integration/global-setup.ts'],
          fileParallelism: false,
          sequence: { groupOrder: 1 },
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'ranking',
          include: ranksEveryone,
          globalSetup: ['test/integration/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'fuzz',
          include: fuzzing,
          globalSetup: ['test/integration/global-setup.ts'],
          fileParallelism: false,
          testTimeout: 600_000,
          hookTimeout: 120_000,
        },
      },
      {
        // Its own stack: the analytics checks count everyone in it.
        test: {
          name: 'analytics',
          include: readsEveryone,
          globalSetup: ['test/integration/global-setup.ts'],
          fileParallelism: false,
          testTimeout: 240_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
