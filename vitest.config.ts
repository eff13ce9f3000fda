import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    setupFiles: ['test/helpers/setup.ts'],
    // logs (agents-js's included, see test/helpers/setup.ts) only for the tests that fail
    silent: 'passed-only',
    testTimeout: 20_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: ['test/integration/**', 'test/live/**'],
        },
      },
      {
        extends: true,
        test: { name: 'integration', include: ['test/integration/**/*.test.ts'] },
      },
      {
        // through a real livekit-server in a network namespace: `npm test` runs this project
        // inside the lab (lab/test.ts), or says in one line why it cannot
        extends: true,
        test: {
          name: 'live',
          include: ['test/live/**/*.test.ts'],
          globalSetup: ['test/live/global-setup.ts'],
          // one call at a time, after the other projects: real-time audio on two shared cores
          // breaks up (late job processes, VAD behind real time) while hundreds of tests run
          fileParallelism: false,
          sequence: { groupOrder: 1 },
          // rtc-node logs at debug level unless NODE_ENV is production (the caller's room)
          env: { NODE_ENV: 'production' },
          testTimeout: 90_000,
          hookTimeout: 90_000,
        },
      },
    ],
  },
});
