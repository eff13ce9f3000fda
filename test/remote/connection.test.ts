/**
 * The bounded client and the wait for the server's answer, through a real SDK client and a real
 * RemoteGraph against small HTTP servers on 127.0.0.1: one that never answers, one that answers at
 * once and streams slowly (a healthy, slow graph).
 */
import { once } from 'node:events';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RemoteGraph } from '@langchain/langgraph/remote';
import { Client } from '@langchain/langgraph-sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../../fixtures/langgraph-server.js';
import { boundedClient, REQUEST_TIMEOUT_MS, serverUrl } from '../../src/remote/connection.js';
import { RemoteServerError } from '../../src/remote/errors.js';
import { type RemoteGraphLike, RemoteRunner } from '../../src/remote/runner.js';

const THREAD = 'call-connection';
const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    server.close();
    await once(server, 'close');
  }
});

async function serve(answer: (res: ServerResponse) => void): Promise<string> {
  const server = createServer((req, res) => {
    req.resume();
    answer(res);
  });
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function run(runner: RemoteRunner): Promise<unknown[]> {
  const parts: unknown[] = [];
  const options = { configurable: { thread_id: THREAD }, streamMode: ['custom'], subgraphs: false };
  for await (const part of await runner.stream({ messages: [] }, options as never))
    parts.push(part);
  return parts;
}

const remote = (url: string) =>
  new RemoteGraph({ graphId: 'g', url, apiKey: 'lsv2_key' }) as unknown as RemoteGraphLike;

describe('boundedClient', () => {
  it('keeps the URL, headers, API key, timeout and hooks, but makes one attempt per request', async () => {
    const requests: [string, Record<string, string>][] = [];
    const refused = async (input: unknown, init?: { headers?: Record<string, string> }) => {
      requests.push([String(input), init?.headers ?? {}]);
      throw new TypeError('fetch failed', {
        cause: Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }),
      });
    };
    const seen: string[] = [];
    const client = new Client({
      apiUrl: 'http://127.0.0.1:1/base',
      apiKey: 'lsv2_key',
      defaultHeaders: { 'x-tenant': 'acme' },
      timeoutMs: 1_234,
      onRequest: (url, init) => {
        seen.push(url.pathname);
        return init;
      },
      callerOptions: { fetch: refused },
    });
    const bounded = boundedClient(client);
    expect(bounded).not.toBe(client);
    expect((bounded.runs as unknown as { timeoutMs: number }).timeoutMs).toBe(1_234);
    const error = await bounded.threads.get('t').catch((e: unknown) => e);
    // the SDK alone retries a refused GET 4 times, with backoff
    expect(requests).toHaveLength(1);
    expect(requests[0]?.[0]).toBe('http://127.0.0.1:1/base/threads/t');
    expect(requests[0]?.[1]).toMatchObject({ 'x-api-key': 'lsv2_key', 'x-tenant': 'acme' });
    expect(seen).toEqual(['/base/threads/t']);
    expect([(error as Error).name, ((error as Error).cause as Error).message]).toEqual([
      'ConnectFailure',
      'fetch failed',
    ]);
    expect(serverUrl(client)).toBe('http://127.0.0.1:1/base');
  });

  it('times out requests other than run streams when the client has no timeout of its own', () => {
    const bounded = boundedClient(new Client({ apiUrl: 'http://127.0.0.1:1' }));
    expect((bounded.threads as unknown as { timeoutMs: number }).timeoutMs).toBe(
      REQUEST_TIMEOUT_MS,
    );
  });

  it('leaves a client that is not from the SDK as it is', () => {
    const client = { runs: { stream() {}, cancel() {} } };
    expect(boundedClient(client)).toBe(client);
    expect(serverUrl(client)).toBe('(unknown URL)');
  });
});

describe('the wait for the answer', () => {
  it('fails a run on a server that accepts the connection and never answers', async () => {
    const url = await serve(() => {});
    const runner = new RemoteRunner(remote(url), 200);
    const error = await run(runner).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RemoteServerError);
    expect((error as Error).message).toMatch(
      new RegExp(`^LangGraph Server at ${url} did not answer within 200 ms — `),
    );
    // the state read before a run gives up too, instead of holding the turn
    const read = await runner.getState({ configurable: { thread_id: THREAD } }).catch((e) => e);
    expect((read as Error).name).toBe('TimeoutError');
  });

  it('does not bound a run the server answered: a slow graph streams as long as it needs', async () => {
    const url = await serve((res) => {
      res.writeHead(200, { 'Content-Type': 'text/event-stream' });
      res.write('event: metadata\ndata: {"run_id":"r1"}\n\n');
      setTimeout(() => {
        res.end('event: custom\ndata: "still thinking"\n\n');
      }, 600);
    });
    const runner = new RemoteRunner(remote(url), 200);
    expect(await run(runner)).toEqual([['custom', 'still thinking']]);
  });

  it('names a port nobody listens on', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const error = await run(new RemoteRunner(remote(url))).catch((e: unknown) => e);
    expect([(error as RemoteServerError).message, (error as RemoteServerError).retryable]).toEqual([
      `LangGraph Server at ${url} is unreachable (ECONNREFUSED) — check that the server is running ` +
        "(`langgraph dev` locally, or your deployment) and that the RemoteGraph's url is right",
      true,
    ]);
  });
});
