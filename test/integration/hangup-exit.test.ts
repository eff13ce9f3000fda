/**
 * A script that ends a call with `hangupTool()` exits: the closed session leaves no timer behind
 * (agents-js 1.9 re-arms its user-away timer during the close; see `clearUserAwayTimer`). The
 * script sets `userAwayTimeout` to 10 minutes, so a timer left behind would hold it far beyond
 * the hang guards below; how soon it exits is measured by bench/exit.ts (docs/benchmarks.md).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withTimeout } from '../../fixtures/session.js';

const ROOT = resolve(import.meta.dirname, '../..');

/** Resolves when `child` prints `line` on stdout. */
function printed(child: ChildProcess, line: string): Promise<void> {
  return new Promise((resolve) => {
    let out = '';
    child.stdout?.on('data', (data: Buffer) => {
      out += data.toString();
      if (out.split('\n').includes(line)) resolve();
    });
  });
}

describe('a script that ends a call with hangupTool()', () => {
  it('exits once the session closed', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'fixtures/ended-call.ts'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = once(child, 'exit') as Promise<[number | null]>;
    const failedEarly = exited.then(([code]) => {
      throw new Error(`the script exited (code ${code}) before its session closed`);
    });
    // it rejects on every exit; only the race below reads it
    failedEarly.catch(() => {});
    try {
      // loading LiveKit and LangGraph through tsx takes seconds, far more on a loaded machine
      await withTimeout(
        Promise.race([printed(child, 'closed'), failedEarly]),
        120_000,
        'the session closing',
      );
      const [code] = await withTimeout(exited, 30_000, 'the process exiting after the close');
      expect(code).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 180_000);
});
