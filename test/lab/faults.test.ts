/**
 * The lab fails fast and clearly, and leaves nothing running: a process that dies while awaited
 * is named with its log's last lines, a wait that times out says what it waited for, a failed or
 * impossible build says why, and stopping a process stops its whole group.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildServer, goMissing } from '../../lab/build.js';
import { startProcess, waitUntil } from '../../lab/processes.js';

const dir = mkdtempSync(join(tmpdir(), 'lab-faults-'));
const env = { ...process.env };
afterEach(() => {
  process.env.PATH = env.PATH;
  process.env.GOPROXY = env.GOPROXY;
  if (env.GOPROXY === undefined) delete process.env.GOPROXY;
});

describe('lab faults', () => {
  it('names a process that exited while awaited, with the end of its log', async () => {
    const log = join(dir, 'dies.log');
    const proc = startProcess(
      'dies',
      ['sh', '-c', 'echo "listen tcp 10.99.0.1:7880: address already in use"; exit 3'],
      log,
    );
    await expect(
      waitUntil('dies to answer', async () => false, { timeoutMs: 10_000, process: proc }),
    ).rejects.toThrow(
      `lab: dies exited (3) while waiting for dies to answer; its log ${log} ends:\nlisten tcp 10.99.0.1:7880: address already in use`,
    );
  });

  it('says what a bounded wait waited for, and where to look', async () => {
    const log = join(dir, 'silent.log');
    const proc = startProcess('silent', ['sleep', '30'], log);
    try {
      await expect(
        waitUntil('silent to answer', async () => false, { timeoutMs: 200, process: proc }),
      ).rejects.toThrow(`lab: silent to answer did not happen within 200 ms; see ${log}`);
    } finally {
      await proc.stop();
    }
  });

  it('stops the whole process group, children included', async () => {
    const log = join(dir, 'group.log');
    const proc = startProcess('group', ['sh', '-c', 'sleep 30 & echo $!; wait'], log);
    await waitUntil('the child to start', async () => readFileSync(log, 'utf8').trim() !== '', {
      timeoutMs: 5_000,
      process: proc,
    });
    const child = Number(readFileSync(log, 'utf8').trim());
    await proc.stop();
    // gone, or a zombie waiting for init to reap it: either way no longer running
    const running = () => {
      try {
        return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${child}/stat`, 'utf8'));
      } catch {
        return false;
      }
    };
    await waitUntil('the orphaned child to end', async () => !running(), { timeoutMs: 5_000 });
    expect(running()).toBe(false);
  });

  it('says how to get Go when it is missing, and shows the last lines of a failed build', async () => {
    process.env.PATH = dir;
    expect(goMissing()).toMatch(/^Go is not installed .* install Go ≥ 1\.25 and put `go` on PATH$/);
    await expect(buildServer('v0.0.0-lab-test')).rejects.toThrow(/^lab: Go is not installed/);
    process.env.PATH = env.PATH;
    process.env.GOPROXY = 'off'; // offline: the module cannot be fetched
    await expect(buildServer('v0.0.0-lab-test')).rejects.toThrow(
      /^lab: building livekit-server v0\.0\.0-lab-test failed \(go install exited 1\); last lines:\n.*GOPROXY=off/s,
    );
  });
});
