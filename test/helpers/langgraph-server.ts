/**
 * A real LangGraph API server (`langgraphjs dev`, in memory) serving the graphs of
 * test/fixtures/, for the remote tests and the benchmark.
 *
 * The server keeps its state in `<config dir>/.langgraph_api/`, so it runs on a copy of
 * test/fixtures/langgraph.json in a fresh temporary directory, with the graph paths rewritten
 * to point back at test/fixtures/ (the server resolves `@langchain/langgraph` next to the
 * first graph file, so the files must stay inside this project). It spawns three processes
 * (CLI, `tsx watch`, server): they run in their own process group, which `stop()` kills.
 *
 * @example
 * ```ts
 * const server = await startLangGraphServer();
 * const graph = new RemoteGraph({ graphId: 'echo', url: server.url });
 * // ...
 * await server.stop();
 * ```
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { Client } from '@langchain/langgraph-sdk';

const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));
/** How much of the server's output is kept for the error message of a failed start. */
const OUTPUT_TAIL_CHARS = 4_000;

export interface LangGraphServer {
  /** `http://127.0.0.1:<port>`: the `url` of a `RemoteGraph`. */
  url: string;
  /** An SDK client for the server, to read threads and runs. */
  client: Client;
  /** Kills the server's process group and deletes its temporary directory. */
  stop(): Promise<void>;
}

/**
 * Starts the server and resolves once it answers `GET /ok` (it listens only after loading every
 * graph). A graph that fails to load leaves `tsx watch` waiting for a change instead of exiting,
 * so that case ends at `readyTimeoutMs` with the server's output in the error.
 */
export async function startLangGraphServer({
  readyTimeoutMs = 45_000,
  /** The port to listen on (e.g. that of a server stopped before); default: a free one. */
  port: wantedPort = undefined as number | undefined,
} = {}): Promise<LangGraphServer> {
  const dir = mkdtempSync(join(tmpdir(), 'livekit-langgraph-server-'));
  writeFileSync(join(dir, 'langgraph.json'), JSON.stringify(configIn(dir)));
  const port = wantedPort ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(
    process.execPath,
    [
      cliPath(),
      'dev',
      '--port',
      String(port),
      '--host',
      '127.0.0.1',
      '--no-browser',
      '--config',
      dir,
    ],
    {
      cwd: dir,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, LANGGRAPH_CLI_NO_ANALYTICS: '1', BROWSER: 'none' },
    },
  );
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-OUTPUT_TAIL_CHARS);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  // a test process that dies without afterAll must not leave the server behind
  const killOnExit = () => killGroup(child, 'SIGKILL');
  process.once('exit', killOnExit);

  const stop = async () => {
    process.off('exit', killOnExit);
    if (child.exitCode === null && child.signalCode === null) {
      const exited = once(child, 'exit');
      killGroup(child, 'SIGTERM');
      const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    await waitUntilReady(url, child, readyTimeoutMs, () => output);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, client: new Client({ apiUrl: url }), stop };
}

/** test/fixtures/langgraph.json with each graph path made relative to `dir`. */
function configIn(dir: string): Record<string, unknown> {
  const config = JSON.parse(readFileSync(join(FIXTURES, 'langgraph.json'), 'utf8')) as {
    graphs: Record<string, string>;
  };
  const graphs = Object.fromEntries(
    Object.entries(config.graphs).map(([id, spec]) => {
      const [file = '', symbol] = spec.split(':');
      const path = relative(dir, resolve(FIXTURES, file));
      return [id, symbol ? `${path}:${symbol}` : path];
    }),
  );
  return { ...config, graphs };
}

function cliPath(): string {
  const manifest = fileURLToPath(import.meta.resolve('@langchain/langgraph-cli/package.json'));
  const { bin } = JSON.parse(readFileSync(manifest, 'utf8')) as { bin: Record<string, string> };
  return join(dirname(manifest), bin.langgraphjs ?? 'dist/cli/cli.mjs');
}

async function waitUntilReady(
  url: string,
  child: ChildProcess,
  timeoutMs: number,
  output: () => string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`langgraphjs dev exited before it was ready:\n${output()}`);
    }
    const ok = await fetch(`${url}/ok`).then(
      (response) => response.ok,
      // not listening yet: try again
      () => false,
    );
    if (ok) return;
    await sleep(100);
  }
  throw new Error(`langgraphjs dev did not answer ${url}/ok within ${timeoutMs} ms:\n${output()}`);
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // ESRCH: the group is gone already, which is what was asked for
  }
}

/** A port nobody listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  await once(server, 'close');
  if (typeof address !== 'object' || address === null) throw new Error('freePort: no address');
  return address.port;
}
