/**
 * `npm run lab`: builds livekit-server, creates the lab's network namespace, starts the server in
 * it and prints its URL and keys; Ctrl-C stops everything. `npm run lab -- <command…>` runs the
 * command inside the namespace with LIVEKIT_URL, LIVEKIT_API_KEY and LIVEKIT_API_SECRET set,
 * then stops the lab and exits with the command's code (the live tests run this way).
 * `npm run lab -- --build-only` builds the server and the SIP bridge and stops there (CI).
 *
 * Two processes: the outer one (outside, as root) builds and owns the namespace; it starts this
 * file again inside the namespace, where the inner one runs the services and the command. When
 * the inner one ends, however it ends, the outer one kills what is left in the namespace and
 * deletes it.
 */
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildServer, CACHE_DIR, LIVEKIT_SERVER_VERSION } from './build.js';
import {
  createNamespace,
  deleteNamespace,
  killProcessesIn,
  namespaceName,
  removeStaleNamespaces,
} from './netns.js';
import { killAllSync } from './processes.js';
import { startServices } from './services.js';
import { bridgeMissing, buildBridge, LIVEKIT_SIP_VERSION } from './sip/bridge.js';

const say = (line: string) => process.stderr.write(`lab: ${line}\n`);

/** Builds what the lab runs (once; a second run finds both binaries in the cache). */
async function buildAll(): Promise<void> {
  const bridgeProblem = bridgeMissing();
  if (bridgeProblem) throw new Error(`lab: ${bridgeProblem}`);
  for (const [label, build] of [
    [`livekit-server ${LIVEKIT_SERVER_VERSION}`, buildServer],
    [`livekit-sip ${LIVEKIT_SIP_VERSION}`, buildBridge],
  ] as const) {
    const built = await build(undefined, say);
    if (built.builtSeconds !== undefined)
      say(`built ${label} in ${built.builtSeconds.toFixed(1)} s`);
  }
}

async function outer(command: string[]): Promise<number> {
  const stale = removeStaleNamespaces();
  if (stale.length > 0) say(`removed namespaces of crashed runs: ${stale.join(', ')}`);
  await buildAll();
  const namespace = namespaceName();
  createNamespace(namespace);
  const cleanUp = () => {
    killProcessesIn(namespace);
    deleteNamespace(namespace);
  };
  process.once('exit', cleanUp);
  const inner = spawn(
    'ip',
    [
      'netns',
      'exec',
      namespace,
      process.execPath,
      ...process.execArgv,
      fileURLToPath(import.meta.url),
      ...command,
    ],
    { stdio: 'inherit', env: { ...process.env, LAB_NETNS: namespace } },
  );
  // Ctrl-C reaches the inner process through the terminal; a plain kill of this one is passed on
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => inner.kill(signal));
  }
  const code = await new Promise<number>((resolve) => {
    inner.once('exit', (exitCode, signal) => resolve(exitCode ?? (signal ? 130 : 1)));
    inner.once('error', () => resolve(1));
  });
  cleanUp();
  return code;
}

async function innerProcess(namespace: string, command: string[]): Promise<number> {
  const runDir = join(CACHE_DIR, 'runs', namespace);
  mkdirSync(runDir, { recursive: true });
  process.once('exit', killAllSync);
  const lab = await startServices(runDir);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await lab.stop();
  };
  say(
    `livekit-server ${LIVEKIT_SERVER_VERSION} ready at ${lab.env.LIVEKIT_URL} in ` +
      `${lab.startMs.toFixed(0)} ms (namespace ${namespace}, logs in ${runDir})`,
  );
  if (command.length === 0) {
    say(`API key ${lab.env.LIVEKIT_API_KEY}, secret ${lab.env.LIVEKIT_API_SECRET}`);
    say(`run a program inside: sudo ip netns exec ${namespace} <command>; Ctrl-C stops the lab`);
    await new Promise<void>((resolve) => {
      for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(signal, resolve);
    });
    await stop();
    return 0;
  }
  const [file, ...args] = command;
  const child = spawn(file as string, args, {
    stdio: 'inherit',
    env: { ...process.env, ...lab.env, LAB_RUN_DIR: runDir },
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => child.kill(signal));
  }
  const code = await new Promise<number>((resolve) => {
    child.once('exit', (exitCode, signal) => resolve(exitCode ?? (signal ? 130 : 1)));
    child.once('error', (error) => {
      say(`could not run ${file}: ${error.message}`);
      resolve(127);
    });
  });
  await stop();
  return code;
}

const command = process.argv.slice(2);
const namespace = process.env.LAB_NETNS;
const main =
  command[0] === '--build-only'
    ? buildAll().then(() => 0)
    : namespace
      ? innerProcess(namespace, command)
      : outer(command);
main.then(
  (code) => process.exit(code),
  (error: unknown) => {
    say((error as Error).message.replace(/^lab: /, ''));
    process.exit(1);
  },
);
