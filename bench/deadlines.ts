/**
 * How soon each bounded wait gives up — the figures the tests no longer assert (a test proves
 * the failure and its words; how long it took on this machine belongs here):
 *
 * - a graph that says nothing: the turn fails at `firstOutputTimeoutMs` and the caller hears the
 *   error line;
 * - a RoomService that never answers: `hangupCall` reports the failure at `actionTimeoutMs`;
 * - an unreachable LangGraph Server: the turn fails after the session's retries.
 *
 * Run it: `npm run bench -- --only deadlines`. It asserts nothing.
 */
import { pathToFileURL } from 'node:url';
import type { AIMessage } from '@langchain/core/messages';
import { END, MessagesAnnotation, START, StateGraph } from '@langchain/langgraph';
import { RemoteGraph } from '@langchain/langgraph/remote';
import { initializeLogger, voice } from '@livekit/agents';
import { freePort } from '../fixtures/langgraph-server.js';
import { startRoomServiceStub } from '../fixtures/room-service-server.js';
import { withTextSession, withTimeout } from '../fixtures/session.js';
import { hangupCall, LLMAdapter } from '../src/index.js';
import { atMost, progress, type Target } from './progress.js';
import { formatTable, percentile } from './stats.js';

const FIRST_OUTPUT_MS = 1_000;
const ACTION_TIMEOUT_MS = 1_000;
/** The session's retries of an unreachable server: 3, 2 s apart. */
const SESSION_RETRIES = { maxRetry: 3, retryIntervalMs: 2_000 };

/** ms from the caller's turn until a graph that never speaks is stopped and the error line plays. */
async function silentTurn(): Promise<number> {
  const graph = new StateGraph(MessagesAnnotation)
    .addNode('work', () => new Promise<{ messages: AIMessage[] }>(() => {}))
    .addEdge(START, 'work')
    .addEdge('work', END)
    .compile();
  const adapter = new LLMAdapter({ graph });
  adapter.on('error', () => {});
  return withTextSession(
    {
      llm: adapter,
      llmConnOptions: { timeoutMs: FIRST_OUTPUT_MS, maxRetry: 3, retryIntervalMs: 50 },
    },
    async ({ say }) => {
      const startedAt = performance.now();
      await say('hello?');
      return performance.now() - startedAt;
    },
  );
}

/** ms from `hangupCall` until it reports a RoomService that never answers. */
async function hangingRoomService(): Promise<number> {
  const stub = await startRoomServiceStub();
  try {
    stub.respondWith('hang');
    return await withTextSession({ llm: new voice.testing.FakeLLM([]) }, async ({ session }) => {
      const startedAt = performance.now();
      await withTimeout(
        hangupCall({
          session,
          roomService: stub.client(),
          roomName: 'bench-deadline',
          actionTimeoutMs: ACTION_TIMEOUT_MS,
        }),
        30_000,
        'hangupCall',
      );
      return performance.now() - startedAt;
    });
  } finally {
    await stub.close();
  }
}

/** ms from the caller's turn until a turn on an unreachable LangGraph Server fails. */
async function unreachableServer(): Promise<number> {
  const url = `http://127.0.0.1:${await freePort()}`;
  const adapter = new LLMAdapter({
    graph: new RemoteGraph({ graphId: 'echo', url, apiKey: 'bench-key' }),
  });
  // listening before the session starts: the session takes over the LLM's error listeners
  let failed = () => {};
  const done = new Promise<void>((resolve) => (failed = resolve));
  adapter.on('error', () => failed());
  return withTextSession({ llm: adapter, llmConnOptions: SESSION_RETRIES }, async ({ session }) => {
    const startedAt = performance.now();
    session.run({ userInput: 'hello?' });
    await withTimeout(done, 60_000, 'the turn to fail');
    return performance.now() - startedAt;
  });
}

/** Measures each bounded wait `runs` times (the unreachable server, slower, `serverRuns` times). */
export async function benchDeadlines({ runs = 5, serverRuns = 2 } = {}): Promise<{
  markdown: string;
  targets: Target[];
}> {
  const measure = async (what: string, times: number, once: () => Promise<number>) => {
    const values: number[] = [];
    for (let i = 0; i < times; i++) {
      progress(what, i + 1, times);
      values.push(await once());
    }
    return values;
  };
  const silent = await measure('silent graph → error line', runs, silentTurn);
  const hangup = await measure('RoomService that never answers', runs, hangingRoomService);
  const server = await measure('unreachable LangGraph Server', serverRuns, unreachableServer);
  const row = (name: string, bound: string, values: number[]) => [
    name,
    bound,
    String(values.length),
    percentile(values, 0.5).toFixed(0),
    percentile(values, 0.99).toFixed(0),
  ];
  const markdown = [
    '## Deadlines',
    '',
    'How soon a bounded wait gives up, ms from the start of the turn (or of `hangupCall`); text-mode sessions, local stand-ins.',
    '',
    formatTable(
      ['', 'bound', 'runs', 'p50 ms', 'p99 ms'],
      [
        row('silent graph → error line', `firstOutputTimeoutMs ${FIRST_OUTPUT_MS}`, silent),
        row('RoomService never answers', `actionTimeoutMs ${ACTION_TIMEOUT_MS}`, hangup),
        row('LangGraph Server unreachable', 'session maxRetry 3, retryIntervalMs 2000', server),
      ],
    ),
    '',
  ].join('\n');
  const ms = (n: number) => `${n.toFixed(0)} ms`;
  return {
    markdown,
    targets: [
      atMost('silent graph → error line, p99', percentile(silent, 0.99), 2 * FIRST_OUTPUT_MS, ms),
      atMost('hangup deadline, p99', percentile(hangup, 0.99), ACTION_TIMEOUT_MS + 500, ms),
      atMost('unreachable server, p99', percentile(server, 0.99), 12_000, ms),
    ],
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  initializeLogger({ pretty: false, level: 'error' });
  const { markdown } = await benchDeadlines();
  process.stdout.write(`${markdown}\n`);
}
