/**
 * The test side of the lab: the lab's environment, an agent worker started inside it, and calls
 * placed to it (a caller joins a fresh room, then the agent is dispatched there explicitly).
 */

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AgentDispatchClient, RoomServiceClient } from 'livekit-server-sdk';
import type { ScenarioSpec } from './agent/lines.js';
import { LAB_AGENT_NAME } from './agent/names.js';
import { LabCaller } from './caller.js';
import { type LabProcess, startProcess, waitUntil } from './processes.js';
import type { LabEnv } from './services.js';

/** The lab's environment in a process lab.ts started, with its run folder. */
export interface LabContext extends LabEnv {
  LAB_RUN_DIR: string;
  LAB_NETNS: string;
}

/** Why this process cannot reach a lab, or undefined when it can. */
export function labMissing(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const missing = [
    'LIVEKIT_URL',
    'LIVEKIT_API_KEY',
    'LIVEKIT_API_SECRET',
    'LAB_RUN_DIR',
    'LAB_NETNS',
  ].filter((name) => !env[name]);
  return missing.length === 0
    ? undefined
    : `not inside the lab (${missing.join(', ')} unset) — run through \`npm test\` or \`npm run lab -- <command>\``;
}

/** The lab's environment; throws naming how to get one. */
export function labContext(env: NodeJS.ProcessEnv = process.env): LabContext {
  const missing = labMissing(env);
  if (missing) throw new Error(`lab: ${missing}`);
  return env as unknown as LabContext;
}

/** The server's HTTP address (the Twirp API) for the server-sdk clients. */
export const httpUrl = (lab: LabEnv) => lab.LIVEKIT_URL.replace(/^ws/, 'http');

export const roomService = (lab: LabEnv) =>
  new RoomServiceClient(httpUrl(lab), lab.LIVEKIT_API_KEY, lab.LIVEKIT_API_SECRET);

/** How long a worker may take to register (tsx compiles, agents-js loads). */
const WORKER_READY_TIMEOUT_MS = 60_000;

/**
 * Starts an agent worker program (`tsx <script> <command>`) in the lab and waits until it
 * registered with the server. `name` names its log file.
 */
export async function startWorker(
  lab: LabContext,
  script: string,
  name: string,
  { env = {}, command = 'start' }: { env?: NodeJS.ProcessEnv; command?: 'start' | 'dev' } = {},
): Promise<LabProcess> {
  const tsx = fileURLToPath(new URL('../node_modules/.bin/tsx', import.meta.url));
  const logFile = join(lab.LAB_RUN_DIR, `${name}.log`);
  const worker = startProcess(name, [tsx, script, command], logFile, {
    ...process.env,
    ...env,
    LOG_LEVEL: 'info',
  });
  await waitUntil(
    `agent worker ${name} to register with livekit-server`,
    async () => {
      try {
        return readFileSync(logFile, 'utf8').includes('registered worker');
      } catch {
        return false;
      }
    },
    { timeoutMs: WORKER_READY_TIMEOUT_MS, everyMs: 200, process: worker },
  );
  return worker;
}

/** Starts the lab's own agent worker (lab/agent/worker.ts). */
export function startLabWorker(lab: LabContext): Promise<LabProcess> {
  return startWorker(
    lab,
    fileURLToPath(new URL('./agent/worker.ts', import.meta.url)),
    'lab-worker',
  );
}

let calls = 0;

/** A call in progress: its room, the caller in it. */
export interface LabCall {
  room: string;
  caller: LabCaller;
}

/**
 * Places a call: a caller joins a new room, then `agentName` is dispatched to it with `metadata`
 * (the lab agent's scenario).
 */
export async function placeCall(
  lab: LabContext,
  spec: ScenarioSpec | string,
  agentName = LAB_AGENT_NAME,
): Promise<LabCall> {
  const label = typeof spec === 'string' ? 'call' : spec.scenario;
  const room = `lab-${label}-${process.pid}-${++calls}`;
  const caller = await LabCaller.join(lab, room);
  const dispatch = new AgentDispatchClient(
    httpUrl(lab),
    lab.LIVEKIT_API_KEY,
    lab.LIVEKIT_API_SECRET,
  );
  await dispatch.createDispatch(room, agentName, {
    metadata: typeof spec === 'string' ? spec : JSON.stringify(spec),
  });
  return { room, caller };
}
