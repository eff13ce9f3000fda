/**
 * Redis for the lab: the server and the SIP bridge find each other through it. On 127.0.0.1 in the
 * namespace, nothing saved to disk.
 */
import { connect } from 'node:net';
import { join } from 'node:path';
import { type LabProcess, startProcess, waitUntil } from '../processes.js';

/** Where Redis listens (inside the namespace). */
export const REDIS_ADDRESS = '127.0.0.1:6379';
/** How long Redis may take to answer after it was started. */
const READY_TIMEOUT_MS = 10_000;

/** Starts Redis (nothing saved to disk) and waits until it answers PING. */
export async function startRedis(runDir: string): Promise<LabProcess> {
  const [host, port] = REDIS_ADDRESS.split(':') as [string, string];
  const redis = startProcess(
    'redis-server',
    [
      'redis-server',
      '--bind',
      host,
      '--port',
      port,
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      runDir,
    ],
    join(runDir, 'redis.log'),
  );
  await waitUntil(
    `redis-server to answer PING on ${REDIS_ADDRESS}`,
    () => pings(host, Number(port)),
    {
      timeoutMs: READY_TIMEOUT_MS,
      process: redis,
    },
  );
  return redis;
}

function pings(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, host);
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data: Buffer) => done(data.toString().startsWith('+PONG')));
  });
}
