/**
 * Silent barge-in: from `session.interrupt()` until a slow graph step that says nothing stops —
 * with the adapter following the session (`attach`: the run is aborted) and, as the baseline,
 * without (agents-js aborts the run only when it speaks again, so the step runs to its end).
 *
 * Run it: `npx tsx bench/barge-in.ts` (prints a markdown table). It asserts nothing.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { AIMessage } from '@langchain/core/messages';
import { END, MemorySaver, MessagesAnnotation, START, StateGraph } from '@langchain/langgraph';
import { Future, initializeLogger } from '@livekit/agents';
import { withTextSession, withTimeout } from '../fixtures/session.js';
import { LLMAdapter } from '../src/index.js';
import { atMost, progress, type Target } from './progress.js';
import { formatTable, percentile } from './stats.js';

/** How long the silent step would run if nothing stopped it. */
const SILENT_STEP_MS = 3_000;
/** What the issue asks: the run aborted within 50 ms of the interruption. */
const TARGET_MS = 50;

/** One barge-in: ms from the interruption until the silent step stops (aborted, or done). */
async function oneBargeIn(attach: boolean): Promise<number> {
  const inStep = new Future<void>();
  const stepEnded = new Future<number>();
  const graph = new StateGraph(MessagesAnnotation)
    .addNode('ack', async () => ({ messages: [new AIMessage('Let me check.')] }))
    .addNode('slow', async (_state, config) => {
      const ended = () => stepEnded.resolve(performance.now());
      config.signal?.addEventListener('abort', ended);
      inStep.resolve();
      await sleep(SILENT_STEP_MS, undefined, { signal: config.signal }).catch(() => undefined);
      ended();
      return { messages: [new AIMessage('Found it.')] };
    })
    .addEdge(START, 'ack')
    .addEdge('ack', 'slow')
    .addEdge('slow', END)
    .compile({ checkpointer: new MemorySaver() });
  const adapter = new LLMAdapter({ graph, input: 'latest', threadId: 'bench-barge-in' });
  return withTextSession({ llm: adapter }, async ({ session }) => {
    if (attach) adapter.attach(session);
    const run = session.run({ userInput: 'check it' });
    await withTimeout(inStep.await, 10_000, 'the silent step');
    const interruptedAt = performance.now();
    session.interrupt();
    const at = await withTimeout(stepEnded.await, 10_000, 'the silent step to stop');
    await withTimeout(run.wait(), 10_000, 'the reply').catch(() => undefined);
    return at - interruptedAt;
  });
}

/** Measures `runs` barge-ins with the session attached and `baselineRuns` without. */
export async function benchBargeIn({ runs = 50, baselineRuns = 5 } = {}): Promise<{
  markdown: string;
  targets: Target[];
}> {
  const attached: number[] = [];
  for (let i = 0; i < runs; i++) {
    progress('interrupt → step stops, attached', i + 1, runs);
    attached.push(await oneBargeIn(true));
  }
  const unattached: number[] = [];
  for (let i = 0; i < baselineRuns; i++) {
    progress('interrupt → step stops, not attached (baseline)', i + 1, baselineRuns);
    unattached.push(await oneBargeIn(false));
  }
  const row = (name: string, values: number[]) => [
    name,
    String(values.length),
    percentile(values, 0.5).toFixed(1),
    percentile(values, 0.99).toFixed(1),
  ];
  const p99 = percentile(attached, 0.99);
  const markdown = [
    '## Silent barge-in',
    '',
    `\`session.interrupt()\` while the graph is in a ${SILENT_STEP_MS / 1000} s step that says nothing → the step stops (its abort signal, or its end); ms, text-mode session, \`input: 'latest'\` with MemorySaver.`,
    '',
    formatTable(
      ['', 'runs', 'p50 ms', 'p99 ms'],
      [
        row('`adapter.attach(session)`', attached),
        row('not attached (agents-js alone)', unattached),
      ],
    ),
    '',
  ].join('\n');
  const ms = (n: number) => `${n.toFixed(1)} ms`;
  return { markdown, targets: [atMost('silent barge-in abort, p99', p99, TARGET_MS, ms)] };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  initializeLogger({ pretty: false, level: 'error' });
  const { markdown } = await benchBargeIn();
  process.stdout.write(`${markdown}\n`);
}
