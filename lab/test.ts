/**
 * `npm test`'s vitest run. Where the lab can start (Linux, root, `ip netns`, Go or a built
 * server and bridge, the bridge's build libraries, Redis, baresip, espeak-ng, tcpdump) every project runs inside it, the live tests included. Elsewhere the live
 * tests are left out with one line saying why and how to enable them — except with CI=true,
 * where a lab that cannot start fails the run. Arguments go to vitest.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { goMissing, serverBinary } from './build.js';
import { createNamespace, deleteNamespace } from './netns.js';
import { bridgeBinary, bridgeMissing } from './sip/bridge.js';

const bin = (name: string) =>
  fileURLToPath(new URL(`../node_modules/.bin/${name}`, import.meta.url));

/** Why the lab cannot start on this machine, or undefined when it can. */
function labUnavailable(): string | undefined {
  if (process.env.LAB === '0') return 'LAB=0 is set';
  if (process.platform !== 'linux') return 'the lab needs Linux network namespaces';
  if (process.getuid?.() !== 0) return 'the lab needs root to create its network namespace';
  if (!existsSync(serverBinary()) || !existsSync(bridgeBinary())) {
    const missing = goMissing();
    if (missing) return missing;
  }
  const bridgeProblem = bridgeMissing();
  if (bridgeProblem) return bridgeProblem;
  for (const [tool, why] of [
    ['espeak-ng', 'the caller’s speech is made with it'],
    ['tcpdump', 'a live test captures every packet of a call'],
  ]) {
    try {
      execFileSync(tool as string, ['--version'], { stdio: 'ignore' });
    } catch {
      return `${tool} is not installed (${why})`;
    }
  }
  // the real test: some containers run as root without the right to create a namespace
  const probe = `lkglab-probe-${process.pid}`;
  try {
    createNamespace(probe);
  } catch (error) {
    return (error as Error).message.replace(/^lab: /, '');
  } finally {
    deleteNamespace(probe);
  }
  return undefined;
}

function run(command: string[]): Promise<number> {
  const [file, ...args] = command;
  const child = spawn(file as string, args, { stdio: 'inherit' });
  // Ctrl-C reaches the child through the terminal; this process waits for its exit code
  process.on('SIGINT', () => {});
  return new Promise((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 130 : 1)));
    child.once('error', () => resolve(1));
  });
}

const args = process.argv.slice(2);
const unavailable = labUnavailable();
let code: number;
if (unavailable === undefined) {
  code = await run([
    bin('tsx'),
    fileURLToPath(new URL('./lab.ts', import.meta.url)),
    bin('vitest'),
    'run',
    ...args,
  ]);
} else if (process.env.CI === 'true') {
  process.stderr.write(`live tests: the lab cannot start (${unavailable}); CI requires them\n`);
  code = await run([bin('vitest'), 'run', ...args]);
  code ||= 1;
} else {
  process.stderr.write(
    `live tests skipped: ${unavailable} — run \`sudo npm test\` on Linux with Go, espeak-ng and tcpdump (docs/local-lab.md)\n`,
  );
  code = await run([
    bin('vitest'),
    'run',
    '--project',
    'unit',
    '--project',
    'integration',
    ...args,
  ]);
}
process.exit(code);
