/**
 * The lab's private network namespace: a veth pair with addresses of its own (WebRTC ignores
 * loopback, so 127.x cannot carry a call), no route out, IPv6 off. Everything the lab runs lives
 * in it, so no packet can leave the machine. Each run has its own namespace, named after its
 * process id; one left by a crashed run is removed by the next.
 */
import { execFileSync } from 'node:child_process';

/** The server's address (first end of the veth pair). */
export const SERVER_IP = '10.99.0.1';
/** The other end, a second address that clients may gather candidates on. */
export const PEER_IP = '10.99.0.2';
/** Every address a packet of the lab may carry, besides 127.0.0.0/8. */
export const LAB_SUBNET = '10.99.0.0/24';

const PREFIX = 'lkglab-';

/** The namespace of this run. */
export function namespaceName(pid = process.pid): string {
  return `${PREFIX}${pid}`;
}

/** `command` run inside `namespace`. */
export function inNamespace(namespace: string, command: string[]): string[] {
  return ['ip', 'netns', 'exec', namespace, ...command];
}

function ip(args: string[]): string {
  return execFileSync('ip', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** What a failed `ip` command printed. */
function reasonOf(error: unknown): string {
  const stderr = (error as { stderr?: string }).stderr?.trim();
  return stderr || (error as Error).message;
}

/**
 * Creates the namespace with its veth pair. Throws a message naming the fix when the machine does
 * not allow it (not root, no `ip`, no veth).
 */
export function createNamespace(namespace: string): void {
  if (process.platform !== 'linux') {
    throw new Error('lab: network namespaces exist only on Linux — run the lab on a Linux machine');
  }
  try {
    ip(['netns', 'add', namespace]);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new Error('lab: `ip` not found — install iproute2 (Debian: apt-get install iproute2)');
    }
    throw new Error(
      `lab: \`ip netns add ${namespace}\` failed (${reasonOf(error)}) — the lab needs root ` +
        '(CAP_SYS_ADMIN and CAP_NET_ADMIN) to create its network namespace; run it as root',
    );
  }
  try {
    const steps = [
      ['link', 'add', 'lab0', 'type', 'veth', 'peer', 'name', 'lab1'],
      ['addr', 'add', `${SERVER_IP}/24`, 'dev', 'lab0'],
      ['addr', 'add', `${PEER_IP}/24`, 'dev', 'lab1'],
      ['link', 'set', 'lo', 'up'],
      ['link', 'set', 'lab0', 'up'],
      ['link', 'set', 'lab1', 'up'],
    ];
    // IPv6 off before the links come up: no link-local fe80:: address to gather
    execFileSync(
      'ip',
      inNamespace(namespace, [
        'sysctl',
        '-q',
        '-w',
        'net.ipv6.conf.all.disable_ipv6=1',
        'net.ipv6.conf.default.disable_ipv6=1',
      ]).slice(1),
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    for (const step of steps) ip(['-n', namespace, ...step]);
  } catch (error) {
    deleteNamespace(namespace);
    throw new Error(`lab: setting up the veth pair in ${namespace} failed: ${reasonOf(error)}`);
  }
}

/** Deletes the namespace (its veth pair goes with it). Quiet when it is already gone. */
export function deleteNamespace(namespace: string): void {
  try {
    ip(['netns', 'del', namespace]);
  } catch {
    // already deleted (a second stop, or a crashed run cleaned by another)
  }
}

/**
 * Removes namespaces of earlier lab runs whose process is gone, killing what still runs in them
 * (they were started by that run).
 */
export function removeStaleNamespaces(): string[] {
  let list: string;
  try {
    list = ip(['netns', 'list']);
  } catch {
    return [];
  }
  const stale = list
    .split('\n')
    .map((line) => line.split(' ')[0] ?? '')
    .filter((name) => name.startsWith(PREFIX) && !isAlive(Number(name.slice(PREFIX.length))));
  for (const name of stale) {
    killProcessesIn(name);
    deleteNamespace(name);
  }
  return stale;
}

/** Kills every process still running in `namespace` (all of them started by the lab). */
export function killProcessesIn(namespace: string): void {
  let pids: string;
  try {
    pids = ip(['netns', 'pids', namespace]);
  } catch {
    return; // the namespace is gone
  }
  for (const pid of pids.split('\n').filter(Boolean)) {
    try {
      process.kill(Number(pid), 'SIGKILL');
    } catch {
      // ended meanwhile
    }
  }
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
