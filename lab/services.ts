/**
 * What runs in the namespace for every lab: Redis, livekit-server and the SIP bridge, each started
 * after what it depends on and stopped in reverse order. (The phones are the tests': lab/sip/phone.ts.)
 */
import { LIVEKIT_SERVER_VERSION, serverBinary } from './build.js';
import type { LabProcess } from './processes.js';
import { LAB_API_KEY, LAB_API_SECRET, type LabEnv, startServer } from './server.js';
import { startBridge } from './sip/bridge.js';
import { startRedis } from './sip/redis.js';

export type { LabEnv } from './server.js';

/** The running services. */
export interface RunningLab {
  env: LabEnv;
  /** Milliseconds from the first spawn until every service answered. */
  startMs: number;
  processes: LabProcess[];
  /** Stops every service, the last started first. */
  stop(): Promise<void>;
}

/** Starts the lab's services; must run inside the namespace (lab.ts sees to it). */
export async function startServices(runDir: string): Promise<RunningLab> {
  const started = performance.now();
  const processes: LabProcess[] = [];
  const stopAll = async () => {
    for (const proc of [...processes].reverse()) await proc.stop();
  };
  try {
    processes.push(await startRedis(runDir));
    const server = await startServer(serverBinary(LIVEKIT_SERVER_VERSION), runDir);
    processes.push(server.process);
    const env = {
      LIVEKIT_URL: server.url,
      LIVEKIT_API_KEY: LAB_API_KEY,
      LIVEKIT_API_SECRET: LAB_API_SECRET,
    };
    processes.push(await startBridge(env, runDir));
    return { env, startMs: performance.now() - started, processes, stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
