/**
 * Processes the lab starts: each in a process group of its own, its output in a log file, stopped
 * as a group (so `ip netns exec` wrappers, tsx and the job processes an agent worker forks go too).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/** A process the lab started and will stop. */
export interface LabProcess {
  readonly name: string;
  readonly child: ChildProcess;
  readonly logFile: string;
  /** Resolves with the exit code (or signal name) once the process has ended. */
  readonly exited: Promise<number | string>;
  /** Stops the whole process group: SIGTERM, then SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

/** How long a stopped process may take before it is killed. */
const STOP_GRACE_MS = 5_000;

/** Starts `command` detached (its own process group) with stdout and stderr in `logFile`. */
export function startProcess(
  name: string,
  command: string[],
  logFile: string,
  env: NodeJS.ProcessEnv = process.env,
): LabProcess {
  const [file, ...args] = command;
  if (file === undefined) throw new Error(`lab: no command given for ${name}`);
  const fd = openSync(logFile, 'a');
  const child = spawn(file, args, { detached: true, stdio: ['ignore', fd, fd], env });
  closeSync(fd);
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown'));
    child.once('error', (error) => resolve(`spawn failed: ${error.message}`));
  });
  groups.add(child);
  exited.then(() => groups.delete(child));
  return {
    name,
    child,
    logFile,
    exited,
    stop: async (graceMs = STOP_GRACE_MS) => {
      if (!signalGroup(child, 'SIGTERM')) return;
      const ended = await Promise.race([exited.then(() => true), sleep(graceMs, false)]);
      if (!ended) signalGroup(child, 'SIGKILL');
      await exited;
    },
  };
}

/** Every group still running, so a process exit can take them down (see killAllSync). */
const groups = new Set<ChildProcess>();

/** Signals the process group of `child`; false when it is already gone. */
function signalGroup(child: ChildProcess, signal: NodeJS.Signals): boolean {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return false;
  try {
    process.kill(-child.pid, signal);
    return true;
  } catch {
    // ESRCH: the group ended between the check and the signal
    return false;
  }
}

/** Kills every group the lab started, at once: the last resort of an exiting process. */
export function killAllSync(): void {
  for (const child of groups) signalGroup(child, 'SIGKILL');
}

/** The last `lines` lines of a log file, for an error message. */
export function tailOf(logFile: string, lines = 15): string {
  try {
    return readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log written)';
  }
}

/**
 * Waits until `ready()` is true, checking every `everyMs`, for at most `timeoutMs`; fails early
 * when `process` exits. The error names what was awaited and where to look.
 */
export async function waitUntil(
  what: string,
  ready: () => Promise<boolean>,
  {
    timeoutMs,
    everyMs = 100,
    process: proc,
  }: { timeoutMs: number; everyMs?: number; process?: LabProcess },
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exit: number | string | undefined;
  proc?.exited.then((code) => {
    exit = code;
  });
  while (Date.now() < deadline) {
    if (await ready()) return;
    if (exit !== undefined && proc) {
      throw new Error(
        `lab: ${proc.name} exited (${exit}) while waiting for ${what}; its log ${proc.logFile} ends:\n${tailOf(proc.logFile)}`,
      );
    }
    await sleep(everyMs);
  }
  const where = proc ? `; see ${proc.logFile}:\n${tailOf(proc.logFile)}` : '';
  throw new Error(`lab: ${what} did not happen within ${timeoutMs} ms${where}`);
}
