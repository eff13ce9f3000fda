/** Vitest's setup file: agents-js's logger, created once, writes through `console.warn`. */
import { Writable } from 'node:stream';
import { initializeLogger } from '@livekit/agents';

/**
 * agents-js logs (pino) to `process.stdout`, which vitest cannot tie to a test, so every passing
 * test's warnings (agents-js's "skipping user input" on close, retries a test provokes on
 * purpose) would flood the run. Through `console.warn` they are buffered per test and, with
 * `silent: 'passed-only'` (vitest.config.ts), shown only for the tests that fail.
 */
const toConsole = new Writable({
  write(chunk: Buffer, _encoding, callback) {
    console.warn(chunk.toString().trimEnd());
    callback();
  },
});

// agents-js reads `process.stdout` once, when the logger is created: swap it for that moment only
const stdout = Object.getOwnPropertyDescriptor(process, 'stdout');
Object.defineProperty(process, 'stdout', { value: toConsole, configurable: true });
try {
  initializeLogger({ pretty: false, level: 'warn' });
} finally {
  if (stdout) Object.defineProperty(process, 'stdout', stdout);
}
