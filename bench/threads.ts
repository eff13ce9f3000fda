/**
 * The cost of durable threads: `input: 'latest'` turns with SQLite against MemorySaver, and the
 * first token through a local LangGraph API server against the same graph in process. Reports
 * ratios against the baseline measured in the same run; asserts nothing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { type BaseCheckpointSaver, MemorySaver } from '@langchain/langgraph';
import { RemoteGraph } from '@langchain/langgraph/remote';
import { SqliteSaver } from '@langchain/langgraph-checkpoint-sqlite';
import { initializeLogger, llm } from '@livekit/agents';
import { chatGraph, echoModel, unforked } from '../fixtures/graphs.js';
import { startLangGraphServer } from '../fixtures/langgraph-server.js';
import { LLMAdapter } from '../src/index.js';
import { progress } from './progress.js';
import { formatTable, median, percentile } from './stats.js';

interface Turn {
  totalMs: number;
  firstTokenMs: number;
}

/**
 * One call of `turns` turns on its own thread, driven as the agent session does: each turn adds
 * the caller's words to the chat context, runs `chat()`, and adds the answer it streamed.
 */
async function conversation(
  adapter: LLMAdapter,
  turns: number,
  { cutEvery = 0, preempt = false } = {},
): Promise<Turn[]> {
  const chatCtx = new llm.ChatContext();
  const timings: Turn[] = [];
  for (let turn = 0; turn < turns; turn++) {
    if (preempt) {
      // a preemptive run on an interim transcript that agents-js then discards
      const interim = chatCtx.copy();
      interim.addMessage({ role: 'user', content: `question number ${turn}` });
      for await (const _ of adapter.chat({ chatCtx: interim })) {
        // drained, then dropped
      }
    }
    chatCtx.addMessage({ role: 'user', content: `question number ${turn} about my order` });
    const start = performance.now();
    let firstTokenMs = -1;
    let text = '';
    for await (const chunk of adapter.chat({ chatCtx })) {
      if (!chunk.delta?.content) continue;
      if (firstTokenMs < 0) firstTokenMs = performance.now() - start;
      text += chunk.delta.content;
    }
    timings.push({ totalMs: performance.now() - start, firstTokenMs });
    if (!text) throw new Error('bench: a turn produced no answer');
    // a barge-in: LiveKit commits the part of the answer that was played
    const cut = cutEvery > 0 && turn % cutEvery === 0;
    chatCtx.addMessage({
      role: 'assistant',
      content: cut ? text.slice(0, Math.ceil(text.length / 2)) : text,
      interrupted: cut,
    });
  }
  return timings;
}

let calls = 0;
const localAdapter = (checkpointer: BaseCheckpointSaver, { pinned = true } = {}) => {
  const graph = chatGraph(echoModel()).compile({ checkpointer });
  return new LLMAdapter({
    graph: pinned ? graph : unforked(graph),
    input: 'latest',
    threadId: `bench-call-${++calls}`,
  });
};

const meanMs = (ts: Turn[] = []) => ts.reduce((sum, t) => sum + t.totalMs, 0) / ts.length;

/**
 * Forking every run from the checkpoint the caller got (and storing cut answers as heard)
 * against runs on the thread's head, as before: calls alternate, the ratio is the median of
 * paired per-turn ratios.
 */
async function pinningCost(repetitions: number, turns: number) {
  const dir = mkdtempSync(join(tmpdir(), 'livekit-langgraph-bench-'));
  const sqlite = SqliteSaver.fromConnString(join(dir, 'pinning.sqlite'));
  const cases = [
    ['MemorySaver', new MemorySaver(), { cutEvery: 0, preempt: false }],
    ['SqliteSaver', sqlite, { cutEvery: 0, preempt: false }],
    [
      'MemorySaver, every 2nd answer interrupted',
      new MemorySaver(),
      { cutEvery: 2, preempt: false },
    ],
    [
      'MemorySaver, a discarded preemptive run every turn',
      new MemorySaver(),
      { cutEvery: 0, preempt: true },
    ],
    ['SqliteSaver, a discarded preemptive run every turn', sqlite, { cutEvery: 0, preempt: true }],
  ] as const;
  const results = cases.map(([name]) => ({
    name,
    pinned: [] as number[],
    unpinned: [] as number[],
    ratios: [] as number[],
  }));
  try {
    for (let i = -2; i < repetitions; i++) {
      progress('forked vs head, calls of each kind', i + 3, repetitions + 2);
      for (const [index, [, saver, shape]] of cases.entries()) {
        const order = i % 2 === 0 ? [true, false] : [false, true];
        const per: Record<string, number> = {};
        for (const pinned of order) {
          const adapter = localAdapter(saver, { pinned });
          per[String(pinned)] = meanMs(await conversation(adapter, turns, shape));
        }
        if (i < 0) continue; // warm-up
        const result = results[index];
        result?.pinned.push(per.true ?? Number.NaN);
        result?.unpinned.push(per.false ?? Number.NaN);
        result?.ratios.push((per.true ?? Number.NaN) / (per.false ?? Number.NaN));
      }
    }
  } finally {
    sqlite.db.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return results;
}

/** SQLite against MemorySaver: calls of `turns` turns, alternating, after warm-up calls. */
async function checkpointerCost(repetitions: number, turns: number) {
  const dir = mkdtempSync(join(tmpdir(), 'livekit-langgraph-bench-'));
  const sqlite = SqliteSaver.fromConnString(join(dir, 'bench.sqlite'));
  const memory = new MemorySaver();
  const perTurn = { memory: [] as number[], sqlite: [] as number[], ratios: [] as number[] };
  const lastTurn = { memory: [] as number[], sqlite: [] as number[] };
  try {
    for (let i = -2; i < repetitions; i++) {
      progress('SQLite vs memory, pairs of calls', i + 3, repetitions + 2);
      const order = i % 2 === 0 ? (['memory', 'sqlite'] as const) : (['sqlite', 'memory'] as const);
      const runs: Record<string, Turn[]> = {};
      for (const kind of order) {
        runs[kind] = await conversation(localAdapter(kind === 'memory' ? memory : sqlite), turns);
      }
      if (i < 0) continue; // warm-up
      perTurn.memory.push(meanMs(runs.memory));
      perTurn.sqlite.push(meanMs(runs.sqlite));
      perTurn.ratios.push(meanMs(runs.sqlite) / meanMs(runs.memory));
      lastTurn.memory.push(runs.memory?.at(-1)?.totalMs ?? Number.NaN);
      lastTurn.sqlite.push(runs.sqlite?.at(-1)?.totalMs ?? Number.NaN);
    }
  } finally {
    sqlite.db.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return { perTurn, lastTurn };
}

/** First tokens through `langgraphjs dev` against the same graph in process, alternating. */
async function serverCost(calls: number, turns: number) {
  progress('starting a LangGraph API server');
  const server = await startLangGraphServer();
  const remote = { first: [] as number[], later: [] as number[] };
  const local = { first: [] as number[], later: [] as number[] };
  try {
    const memory = new MemorySaver();
    for (let i = -1; i < calls; i++) {
      progress('server vs in process, pairs of calls', i + 2, calls + 1);
      const remoteAdapter = new LLMAdapter({
        graph: new RemoteGraph({ graphId: 'echo', url: server.url }),
        threadId: `bench-remote-${i}`,
      });
      const pair = [
        await conversation(remoteAdapter, turns),
        await conversation(localAdapter(memory), turns),
      ] as const;
      if (i < 0) continue; // warm-up: the server compiles the graph on its first run
      for (const [timings, into] of [
        [pair[0], remote],
        [pair[1], local],
      ] as const) {
        into.first.push(timings[0]?.firstTokenMs ?? Number.NaN);
        into.later.push(...timings.slice(1).map((t) => t.firstTokenMs));
      }
    }
  } finally {
    await server.stop();
  }
  return { remote, local };
}

const ms = (value: number) => `${value.toFixed(2)} ms`;

/** Runs the thread benchmarks and returns their markdown section. */
export async function benchThreads({
  repetitions = 20,
  turns = 20,
  serverCalls = 8,
  serverTurns = 4,
} = {}): Promise<{ markdown: string }> {
  initializeLogger({ pretty: false, level: 'error' });
  const { perTurn, lastTurn } = await checkpointerCost(repetitions, turns);
  const pinning = await pinningCost(repetitions, turns);
  const { remote, local } = await serverCost(serverCalls, serverTurns);

  const checkpointRows = [
    [
      `per turn, mean of a ${turns}-turn call (p50 of ${repetitions} calls)`,
      ms(median(perTurn.memory)),
      ms(median(perTurn.sqlite)),
      `${median(perTurn.ratios).toFixed(2)}×`,
    ],
    [
      `turn ${turns} alone (thread of ${2 * turns} messages)`,
      ms(median(lastTurn.memory)),
      ms(median(lastTurn.sqlite)),
      `${(median(lastTurn.sqlite) / median(lastTurn.memory)).toFixed(2)}×`,
    ],
  ];
  const serverRow = (name: string, remoteMs: number[], localMs: number[]) => [
    name,
    ms(median(localMs)),
    `${ms(median(remoteMs))} (p90 ${ms(percentile(remoteMs, 0.9))})`,
    `${(median(remoteMs) / median(localMs)).toFixed(0)}×`,
  ];
  const markdown = [
    '## Durable threads',
    '',
    `\`input: 'latest'\` calls of ${turns} turns through \`LLMAdapter.chat()\`, each turn adding the caller's words and ` +
      'the streamed answer to the chat context as the agent session does; the model answers synchronously, so the ' +
      'numbers are the cost of the graph run, its checkpoints and the adapter. MemorySaver and SqliteSaver (a file in ' +
      'the temporary directory, WAL) calls alternate; the ratio is the median of paired ratios.',
    '',
    formatTable(['measure', 'MemorySaver', 'SqliteSaver', 'SQLite vs memory'], checkpointRows),
    '',
    '### Forking each run from the checkpoint the caller got',
    '',
    `The same ${turns}-turn calls, each run forked from the checkpoint of the last turn the caller got ` +
      '(`checkpoints` stream mode, `configurable.checkpoint_id`), against the same adapter running every turn on ' +
      "the thread's head as it did before (the graph wrapped to drop both). A run forks only when something " +
      "else ran on the thread since the caller's last turn (forking costs LangGraph a second checkpoint read); " +
      'with interrupted answers, the next turn rewrites each to what was heard; with a discarded preemptive run ' +
      'before every turn, every turn forks (and the head runs pile the discarded turns into the thread). ' +
      `Per-turn means of the turns the caller got, p50 of ${repetitions} calls; the ratio is the median of paired ratios.`,
    '',
    formatTable(
      ['calls', 'on the head', 'forked', 'forked vs head'],
      pinning.map((row) => [
        row.name,
        ms(median(row.unpinned)),
        ms(median(row.pinned)),
        `${median(row.ratios).toFixed(2)}×`,
      ]),
    ),
    '',
    `Time to first token through a local LangGraph API server (\`langgraphjs dev\`, in memory, on 127.0.0.1) ` +
      `against the same graph in process (MemorySaver): ${serverCalls} calls of ${serverTurns} turns each, alternating. ` +
      'The first turn of a call also reads the thread state once (is the graph paused on `interrupt()`?).',
    '',
    formatTable(
      ['measure', 'in process', 'LangGraph server', 'server vs in process'],
      [
        serverRow('first token, first turn of a call', remote.first, local.first),
        serverRow('first token, later turns', remote.later, local.later),
      ],
    ),
    '',
    'The development server starts queued runs from a polling loop (a random wait of up to a second per idle ' +
      'worker, ten workers), which dominates its numbers; a LangGraph Platform deployment adds one HTTP round trip ' +
      'and its own queueing instead. Each server turn also ends about 500 ms after its last token, when the server ' +
      'closes the event stream; that tail is not in these numbers.',
    '',
  ].join('\n');
  return { markdown };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.stdout.write(`${(await benchThreads()).markdown}\n`);
}
