/**
 * The lab's phone line: Redis (the server and the bridge talk through it) and livekit-sip, the
 * LiveKit SIP bridge, both inside the namespace. SIP and RTP stay on 127.0.0.1 (plain RTP needs
 * no ICE, so loopback carries it); the bridge joins rooms over WebRTC at the server's lab address
 * like any participant.
 *
 * Why v1.8.0 and not a newer bridge: the Go module proxy this project can reach serves
 * github.com/livekit/sip only at some versions (v1.8.0 yes; v1.9.0–v1.11.x "403 This module
 * version is not available") and refuses its version list, which `go install pkg@version`
 * reads first — so the module is downloaded at its pinned version and its command built in place.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildCached, CACHE_DIR } from '../build.js';
import { type LabProcess, startProcess, waitUntil } from '../processes.js';
import type { LabEnv } from '../server.js';
import { REDIS_ADDRESS } from './redis.js';

/** The livekit-sip release the lab runs. */
export const LIVEKIT_SIP_VERSION = 'v1.8.0';
/** Where the bridge takes SIP (UDP and TCP). */
export const SIP_PORT = 5060;
/** The bridge's RTP ports: a few calls at a time is all the lab places. */
const RTP_PORTS = '20000-20049';
/** The bridge's health port (answers 200 when it takes calls). */
const HEALTH_PORT = 8082;
/** How long the bridge may take to answer after it was started. */
const READY_TIMEOUT_MS = 20_000;

/** Debian packages the bridge's build needs (cgo: Opus, Opus files, SoX resampler). */
export const BRIDGE_BUILD_PACKAGES = [
  'pkg-config',
  'libopus-dev',
  'libopusfile-dev',
  'libsoxr-dev',
];

/** Where the built bridge lives. */
export function bridgeBinary(version = LIVEKIT_SIP_VERSION): string {
  return join(CACHE_DIR, `livekit-sip-${version}`, 'livekit-sip');
}

/** Why the bridge cannot be built or run here, or undefined when it can. */
export function bridgeMissing(): string | undefined {
  try {
    execFileSync('pkg-config', ['--exists', 'opus', 'opusfile', 'soxr'], { stdio: 'ignore' });
  } catch {
    return `the SIP bridge's build needs ${BRIDGE_BUILD_PACKAGES.join(' ')} (Debian: apt-get install ${BRIDGE_BUILD_PACKAGES.join(' ')})`;
  }
  for (const program of ['redis-server', 'baresip']) {
    try {
      execFileSync('which', [program], { stdio: 'ignore' });
    } catch {
      return `${program} is not installed (Debian: apt-get install redis-server baresip-core)`;
    }
  }
  return undefined;
}

/** Builds livekit-sip unless the cache has it (see the header for why not `go install`). */
export function buildBridge(
  version = LIVEKIT_SIP_VERSION,
  onProgress: (line: string) => void = () => {},
) {
  return buildCached(`livekit-sip ${version}`, bridgeBinary(version), onProgress, (scratch) => {
    const download = execFileSync(
      'go',
      ['mod', 'download', '-json', `github.com/livekit/sip@${version}`],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const { Dir: moduleDir, Error: error } = JSON.parse(download) as {
      Dir?: string;
      Error?: string;
    };
    if (!moduleDir) throw new Error(`go mod download github.com/livekit/sip@${version}: ${error}`);
    return {
      command: ['go', 'build', '-o', join(scratch, 'livekit-sip'), './cmd/livekit-sip'],
      cwd: moduleDir,
      env: { CGO_ENABLED: '1', GOFLAGS: '-mod=readonly' },
    };
  });
}

/** The bridge's config: closed like the server's (no STUN, loopback SIP/RTP, no held ports). */
export function bridgeConfig(lab: LabEnv): string {
  return [
    `api_key: ${lab.LIVEKIT_API_KEY}`,
    `api_secret: ${lab.LIVEKIT_API_SECRET}`,
    `ws_url: ${lab.LIVEKIT_URL}`,
    'redis:',
    `  address: ${REDIS_ADDRESS}`,
    `sip_port: ${SIP_PORT}`,
    'listen_ip: 127.0.0.1',
    'nat_1_to_1_ip: 127.0.0.1',
    `rtp_port: ${RTP_PORTS}`,
    // a finished call's port is free at once (default: held 30 s)
    'rtp_draining_idle_timeout: -1s',
    'rtp_draining_duration: -1s',
    // the bridge refuses calls while the CPU is above 90 % (the lab's two cores often are)
    'max_cpu_utilization: 1',
    `health_port: ${HEALTH_PORT}`,
    'logging:',
    '  level: debug',
    '',
  ].join('\n');
}

/** Starts the bridge (the server must be up) and waits until its health port says OK. */
export async function startBridge(lab: LabEnv, runDir: string): Promise<LabProcess> {
  const config = join(runDir, 'livekit-sip.yaml');
  writeFileSync(config, bridgeConfig(lab));
  const bridge = startProcess(
    'livekit-sip',
    [bridgeBinary(), '--config', config],
    join(runDir, 'livekit-sip.log'),
  );
  const health = `http://127.0.0.1:${HEALTH_PORT}/`;
  await waitUntil(
    `livekit-sip to report healthy at ${health}`,
    async () => {
      try {
        return (await fetch(health, { signal: AbortSignal.timeout(1_000) })).ok;
      } catch {
        return false;
      }
    },
    { timeoutMs: READY_TIMEOUT_MS, process: bridge },
  );
  return bridge;
}
