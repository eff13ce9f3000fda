/**
 * A script that ends a call with `hangupTool()` exits: the closed session leaves no timer behind
 * (agents-js 1.9 re-arms its user-away timer during the close; see `clearUserAwayTimer`). The
 * script sets `userAwayTimeout` to 10 minutes, so a timer left behind would hold it far beyond
 * the hang guard below; how soon it exits is measured by hand (docs/benchmarks.md), not here.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withTimeout } from '../helpers/session.js';

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
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/fixtures/ended-call.ts'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = once(child, 'exit');
    try {
      await withTimeout(printed(child, 'closed'), 30_000, 'the session closing');
      const [code] = await withTimeout(exited, 20_000, 'the process exiting after the close');
      expect(code).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 60_000);
});
