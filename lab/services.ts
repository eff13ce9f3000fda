/**
 * What runs in the namespace for every lab: livekit-server. Part 2 of the lab (the SIP bridge,
 * Redis, softphones) adds its services here, each started after what it depends on and stopped
 * in reverse order.
 */
import { LIVEKIT_SERVER_VERSION, serverBinary } from './build.js';
import type { LabProcess } from './processes.js';
import { LAB_API_KEY, LAB_API_SECRET, startServer } from './server.js';

/** The environment a program in the lab connects with (the variables agents-js reads). */
export interface LabEnv {
  LIVEKIT_URL: string;
  LIVEKIT_API_KEY: string;
  LIVEKIT_API_SECRET: string;
}

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
  const server = await startServer(serverBinary(LIVEKIT_SERVER_VERSION), runDir);
  const processes = [server.process];
  return {
    env: {
      LIVEKIT_URL: server.url,
      LIVEKIT_API_KEY: LAB_API_KEY,
      LIVEKIT_API_SECRET: LAB_API_SECRET,
    },
    startMs: server.startMs,
    processes,
    stop: async () => {
      for (const proc of [...processes].reverse()) await proc.stop();
    },
  };
}
