/**
 * Durable threads on a real PostgreSQL (PostgresSaver), when `POSTGRES_URL` points at one.
 * `npm run test:postgres` starts a local PostgreSQL, runs this file with it, and stops it.
 */
import { randomUUID } from 'node:crypto';
import { PostgresSaver } from '@langchain/langgraph-checkpoint-postgres';
import { describe } from 'vitest';
import { durableThreadTests, uniqueChannelVersion } from '../helpers/durable-threads.js';

const url = process.env.POSTGRES_URL;
// a database outlives the test run: each run writes threads of its own
const run = randomUUID();
const SKIPPED =
  'SKIPPED: POSTGRES_URL is not set; `npm run test:postgres` starts a PostgreSQL and runs them';
// vitest lists skipped tests without saying why: say it once, where the run's output shows it
if (!url) process.stderr.write(`test/integration/postgres.test.ts: ${SKIPPED}\n`);

describe.skipIf(!url)(
  url ? 'PostgreSQL threads (PostgresSaver)' : `PostgreSQL threads (PostgresSaver) — ${SKIPPED}`,
  () => {
    durableThreadTests(
      async () => {
        const saver = PostgresSaver.fromConnString(url ?? '');
        // what docs/threads-and-memory.md tells users: forked runs need unique channel versions
        Object.assign(saver, { getNextVersion: uniqueChannelVersion });
        await saver.setup();
        return { saver, close: () => saver.end() };
      },
      (name) => `call-postgres-${name}-${run}`,
    );
  },
);
