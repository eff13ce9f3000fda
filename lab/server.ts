/**
 * livekit-server inside the namespace, closed: it binds and advertises the lab's address only,
 * hands clients a STUN server where nothing listens (the defaults are Google's and Twilio's), and
 * never asks the outside for its own address.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LAB_SUBNET, SERVER_IP } from './netns.js';
import { type LabProcess, startProcess, waitUntil } from './processes.js';
import { REDIS_ADDRESS } from './sip/redis.js';

/** The lab's API key and secret: dev credentials, valid only inside the namespace. */
export const LAB_API_KEY = 'labkey';
export const LAB_API_SECRET = 'lab-secret-lab-secret-lab-secret-0000';

/** The server's HTTP/WebSocket port (in the namespace, so it clashes with nothing outside). */
export const HTTP_PORT = 7880;
/** How long the server may take to answer after it was started. */
export const SERVER_READY_TIMEOUT_MS = 20_000;

/** A STUN address inside the namespace where nothing listens: clients ask it and get nothing. */
const DEAD_STUN = `${SERVER_IP}:3478`;

/** The environment a program in the lab connects with (the variables agents-js reads). */
export interface LabEnv {
  LIVEKIT_URL: string;
  LIVEKIT_API_KEY: string;
  LIVEKIT_API_SECRET: string;
}

/** The server's config file contents. */
export function serverConfig(): string {
  return [
    `port: ${HTTP_PORT}`,
    `bind_addresses: [${SERVER_IP}]`,
    'logging:',
    '  level: info',
    'rtc:',
    '  tcp_port: 7881',
    '  port_range_start: 50000',
    '  port_range_end: 50200',
    `  node_ip: ${SERVER_IP}`,
    '  use_external_ip: false',
    '  ips:',
    `    includes: [${LAB_SUBNET}]`,
    `  stun_servers: [${DEAD_STUN}]`,
    // the SIP bridge reaches the server through Redis (without it: "sip not connected")
    'redis:',
    `  address: ${REDIS_ADDRESS}`,
    'keys:',
    `  ${LAB_API_KEY}: ${LAB_API_SECRET}`,
    '',
  ].join('\n');
}

/** The running server. */
export interface LabServer {
  /** `ws://10.99.0.1:7880`, reachable inside the namespace only. */
  url: string;
  process: LabProcess;
  /** Milliseconds from spawn to the first answer. */
  startMs: number;
}

/**
 * Starts the server (the caller runs inside the namespace) and waits, bounded, until it answers
 * HTTP. Throws naming the log file when it exits or stays silent.
 */
export async function startServer(binary: string, runDir: string): Promise<LabServer> {
  const config = join(runDir, 'livekit.yaml');
  writeFileSync(config, serverConfig());
  const started = performance.now();
  const proc = startProcess(
    'livekit-server',
    [binary, '--config', config],
    join(runDir, 'livekit-server.log'),
  );
  const http = `http://${SERVER_IP}:${HTTP_PORT}/`;
  await waitUntil(`livekit-server to answer ${http}`, () => answers(http), {
    timeoutMs: SERVER_READY_TIMEOUT_MS,
    process: proc,
  });
  return {
    url: `ws://${SERVER_IP}:${HTTP_PORT}`,
    process: proc,
    startMs: performance.now() - started,
  };
}

async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(1_000) });
    return response.ok;
  } catch {
    return false;
  }
}
