/**
 * The lab's agent worker: `cli.runApp` in production mode (`start`), registered under
 * LAB_AGENT_NAME so only explicit dispatches reach it, with few processes (the lab shares two
 * cores with the server and the caller). Run by agent-worker.ts inside the lab.
 */
import { fileURLToPath } from 'node:url';
import { cli, ServerOptions } from '@livekit/agents';
import { LAB_AGENT_NAME, LAB_WORKER_PORT } from './names.js';

cli.runApp(
  new ServerOptions({
    agent: fileURLToPath(new URL('./entry.ts', import.meta.url)),
    agentName: LAB_AGENT_NAME,
    numIdleProcesses: 1,
    // a job process compiles and loads agents-js, LangGraph and Silero: on two busy cores that
    // outlasted the default 10 s ("runner initialization timed out") and the call went unanswered
    initializeProcessTimeout: 60_000,
    // the worker reports the machine's CPU load, and livekit-server sends no job to a worker at
    // full load (checked: "no servers available" while the lab's two cores were busy); the lab
    // runs one call at a time, so the worker reports itself idle
    loadFunc: async () => 0,
    host: '127.0.0.1',
    port: LAB_WORKER_PORT,
  }),
);
