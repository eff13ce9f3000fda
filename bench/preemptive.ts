/**
 * What `holdPreemptiveRuns()` costs: from the end of the caller's turn to the answer being ready
 * to play, with and without the hold, in real audio-mode sessions driven as agents-js drives a
 * call (an interim transcript, then the end of turn). Asserts nothing.
 *
 * Run it: `npx tsx bench/preemptive.ts` (prints a markdown table).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { MemorySaver } from '@langchain/langgraph';
import { initializeLogger } from '@livekit/agents';
import { withAudioSession } from '../fixtures/audio.js';
import { chatGraph } from '../fixtures/graphs.js';
import { callerIn } from '../fixtures/remembered-call.js';
import { ScriptedChatModel } from '../fixtures/scripted-chat-model.js';
import { LLMAdapter } from '../src/index.js';
import { progress } from './progress.js';
import { formatTable, median, percentile } from './stats.js';

/** When a hosted model sends its first token (a typical time to first token). */
const MODEL_FIRST_TOKEN_MS = 250;
/** How long before the end of the turn the interim transcript arrives. */
const PREEMPTIVE_LEAD_MS = 400;

interface Timings {
  preemptive: number[];
  ordinary: number[];
}

/** One call of `turns` pairs of turns (one preemptive, one ordinary), held or not. */
async function call(hold: boolean, turns: number, into: Timings): Promise<void> {
  const model = new ScriptedChatModel({
    script: [(messages) => ({ text: `You said: ${String(messages.at(-1)?.content)}` })],
    firstTokenDelayMs: MODEL_FIRST_TOKEN_MS,
  });
  const graph = chatGraph(model).compile({ checkpointer: new MemorySaver() });
  const adapter = new LLMAdapter({ graph, input: 'latest' });
  await withAudioSession({ llm: adapter }, async (s) => {
    if (hold) adapter.holdPreemptiveRuns(s.session);
    const caller = callerIn(s);
    let messages = 0;
    const turn = async (said: string, preempt: boolean): Promise<number> => {
      if (preempt) {
        caller.preempt(said.toLowerCase());
        await sleep(PREEMPTIVE_LEAD_MS);
      }
      const start = performance.now();
      await caller.endTurn(said);
      const ready = performance.now() - start;
      caller.hear();
      messages += 2;
      await caller.answered(messages);
      return ready;
    };
    for (let i = 0; i < turns; i++) {
      into.preemptive.push(await turn(`Where is order ${i}?`, true));
      into.ordinary.push(await turn(`And order ${i}?`, false));
    }
  });
}

const ms = (value: number) => `${value.toFixed(1)} ms`;
const signedMs = (value: number) => `${value < 0 ? '−' : '+'}${ms(Math.abs(value))}`;
const cell = (values: number[]) => `${ms(median(values))} (p90 ${ms(percentile(values, 0.9))})`;

/** Runs the benchmark and returns its markdown section. */
export async function benchPreemptive({ calls = 6, turns = 3 } = {}): Promise<{
  markdown: string;
}> {
  initializeLogger({ pretty: false, level: 'error' });
  const held: Timings = { preemptive: [], ordinary: [] };
  const free: Timings = { preemptive: [], ordinary: [] };
  for (let i = -1; i < calls; i++) {
    progress('held vs not held, pairs of calls', i + 2, calls + 1);
    const warmup = { preemptive: [], ordinary: [] };
    for (const hold of i % 2 === 0 ? [true, false] : [false, true]) {
      await call(hold, turns, i < 0 ? warmup : hold ? held : free);
    }
  }
  const row = (name: string, key: keyof Timings) => [
    name,
    cell(free[key]),
    cell(held[key]),
    signedMs(median(held[key]) - median(free[key])),
  ];
  const markdown = [
    '## Holding preemptive runs',
    '',
    "From the end of the caller's turn to the answer being ready to play, in real audio-mode sessions " +
      `(\`input: 'latest'\`, MemorySaver) whose model sends its first token after ${MODEL_FIRST_TOKEN_MS} ms. A ` +
      `preemptive turn gets its interim transcript ${PREEMPTIVE_LEAD_MS} ms before the end of the turn, and ` +
      'agents-js reuses the run it started; an ordinary turn has no interim transcript. ' +
      `${calls} calls of ${2 * turns} turns each way, alternating.`,
    '',
    formatTable(
      ['turn', 'not held', '`holdPreemptiveRuns(session)`', 'cost of the hold'],
      [row('preemptive (reused)', 'preemptive'), row('ordinary', 'ordinary')],
    ),
    '',
    'Held, a preemptive run starts only when its turn is confirmed, so the caller waits for the whole time to ' +
      "first token that preemptive generation would have hidden; an ordinary turn's run is confirmed as soon as " +
      'agents-js schedules its reply, so the hold costs it next to nothing.',
    '',
  ].join('\n');
  return { markdown };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.stdout.write(`${(await benchPreemptive()).markdown}\n`);
}
