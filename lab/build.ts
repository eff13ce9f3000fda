/**
 * Builds the pinned livekit-server into a git-ignored cache keyed by version, once: a second run
 * finds the binary and builds nothing. v1.13.5 is the last tag without replace directives, which
 * `go install pkg@version` refuses: they came after it with https://github.com/livekit/livekit/pull/4649
 * (https://github.com/livekit/livekit/blob/788d4c354474383956067e3a22ffba88dd4803e4/go.mod#L166-L170);
 * no upstream issue as of 2026-12.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The livekit-server release the lab runs. */
export const LIVEKIT_SERVER_VERSION = 'v1.13.5';

/** The lab's git-ignored cache: binaries, logs, configs, generated speech. */
export const CACHE_DIR = join(dirname(fileURLToPath(import.meta.url)), '.cache');

/** Where the built server lives. */
export function serverBinary(version = LIVEKIT_SERVER_VERSION): string {
  return join(CACHE_DIR, `livekit-server-${version}`, 'server');
}

/** What a build did: nothing (cached) or a build of `seconds`. */
export interface BuildResult {
  binary: string;
  builtSeconds?: number;
}

/** Why the lab cannot build here, or undefined when Go is available. */
export function goMissing(): string | undefined {
  try {
    execFileSync('go', ['version'], { stdio: 'ignore' });
    return undefined;
  } catch {
    return 'Go is not installed (the lab builds livekit-server with `go install`) — install Go ≥ 1.25 and put `go` on PATH';
  }
}

/** Builds livekit-server unless the cache has it. Throws with the build's last lines on failure. */
export function buildServer(
  version = LIVEKIT_SERVER_VERSION,
  onProgress: (line: string) => void = () => {},
): Promise<BuildResult> {
  return buildCached(`livekit-server ${version}`, serverBinary(version), onProgress, () => ({
    command: ['go', 'install', `github.com/livekit/livekit-server/cmd/server@${version}`],
  }));
}

/** How to build a binary into a scratch folder: a command, where to run it, extra environment. */
export interface BuildPlan {
  command: string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

/**
 * Builds `binary` with the plan `plan(scratch)` returns, unless the cache has it: into a scratch
 * folder (GOBIN), then moved, so an interrupted build leaves no half binary behind. Throws with
 * the build's last lines on failure.
 */
export async function buildCached(
  label: string,
  binary: string,
  onProgress: (line: string) => void,
  plan: (scratch: string) => BuildPlan,
): Promise<BuildResult> {
  if (existsSync(binary)) return { binary };
  const missing = goMissing();
  if (missing) throw new Error(`lab: ${missing}`);
  const scratch = `${dirname(binary)}.building-${process.pid}`;
  rmSync(scratch, { recursive: true, force: true });
  mkdirSync(scratch, { recursive: true });
  onProgress(`building ${label} with Go (a few minutes the first time)`);
  const started = performance.now();
  const output: string[] = [];
  let code: number | null;
  let what = 'the build';
  try {
    const { command, cwd, env } = plan(scratch);
    const [file, ...args] = command as [string, ...string[]];
    what = `${file} ${args[0] ?? ''}`.trim();
    code = await new Promise<number | null>((resolve) => {
      const go = spawn(file, args, {
        cwd,
        env: { ...process.env, GOBIN: scratch, ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const keep = (chunk: Buffer) => output.push(...chunk.toString().split('\n').filter(Boolean));
      go.stdout.on('data', keep);
      go.stderr.on('data', keep);
      go.once('error', () => resolve(-1));
      go.once('exit', resolve);
    });
  } catch (error) {
    output.push((error as { stderr?: string }).stderr?.trim() || (error as Error).message);
    code = -1;
  }
  if (code !== 0 || !existsSync(join(scratch, basename(binary)))) {
    rmSync(scratch, { recursive: true, force: true });
    throw new Error(
      `lab: building ${label} failed (${what} exited ${code}); last lines:\n${output.slice(-15).join('\n')}`,
    );
  }
  rmSync(dirname(binary), { recursive: true, force: true });
  renameSync(scratch, dirname(binary));
  return { binary, builtSeconds: (performance.now() - started) / 1000 };
}
