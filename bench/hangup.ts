/**
 * Hangup latency: from the moment the goodbye's playback finishes to the moment the call is
 * being ended, for `hangupTool()` and for LiveKit's `beta.createEndCallTool()`, in one run.
 *
 * Run it: `npx tsx bench/hangup.ts` (prints a markdown table). It asserts nothing.
 */
import { once } from 'node:events';
import { pathToFileURL } from 'node:url';
import { beta, initializeLogger, llm, loggerOptions, voice } from '@livekit/agents';
import { hangupTool } from '../src/call/hangup.js';
import { type AudioSession, observeTool, withAudioSession } from '../test/helpers/audio.js';
import { type RoomServiceStub, startRoomServiceStub } from '../test/helpers/room-service-server.js';
import { withTimeout } from '../test/helpers/session.js';
import { percentile } from './stats.js';

/** Latency percentiles over the measured runs, in ms. */
export interface LatencyStats {
  runs: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

/** Runs discarded before measuring (JIT, the stub's first keep-alive connection). */
const WARMUP_RUNS = 5;
const STEP_TIMEOUT_MS = 10_000;

const goodbyeLlm = () =>
  new voice.testing.FakeLLM([
    {
      input: 'bye',
      content: 'Goodbye!',
      toolCalls: [{ name: 'end_call', args: { reason: 'caller said bye' } }],
    },
  ]);

/** Says the goodbye, waits until end_call has run and its audio is captured, finishes playback. */
async function playGoodbye(
  { session, output }: AudioSession,
  endCall: ReturnType<typeof observeTool>,
): Promise<bigint> {
  session.generateReply({ userInput: 'bye' });
  await withTimeout(endCall.nextExecution(), STEP_TIMEOUT_MS, 'end_call');
  await withTimeout(output.waitForSegment(), STEP_TIMEOUT_MS, 'the goodbye audio');
  return output.finishPlayback();
}

/** Ours: playback finished → DeleteRoom received by the stub. */
async function hangupToolRun(stub: RoomServiceStub): Promise<number> {
  const endCall = observeTool(hangupTool({ roomService: stub.client(), roomName: 'bench' }));
  return withAudioSession({ llm: goodbyeLlm(), tools: { end_call: endCall.tool } }, async (s) => {
    const finishedAt = await playGoodbye(s, endCall);
    const request = await withTimeout(stub.nextRequest(), STEP_TIMEOUT_MS, 'DeleteRoom');
    return toMs(request.time - finishedAt);
  });
}

/** LiveKit's: playback finished → the session's `close` event (its DeleteRoom comes after). */
async function createEndCallToolRun(): Promise<number> {
  const toolset = beta.createEndCallTool({ endInstructions: null });
  const endCall = observeTool(toolset.tools[0] as llm.FunctionTool);
  const tools = [llm.Toolset.create({ id: toolset.id, tools: [endCall.tool] })];
  return withAudioSession({ llm: goodbyeLlm(), tools }, async (s) => {
    const closed = once(s.session, 'close');
    const finishedAt = await playGoodbye(s, endCall);
    await withTimeout(closed, STEP_TIMEOUT_MS, 'session close');
    return toMs(process.hrtime.bigint() - finishedAt);
  });
}

function toMs(ns: bigint): number {
  return Number(ns) / 1e6;
}

function stats(samples: number[]): LatencyStats {
  return {
    runs: samples.length,
    p50Ms: percentile(samples, 0.5),
    p99Ms: percentile(samples, 0.99),
    maxMs: percentile(samples, 1),
  };
}

/**
 * Measures both hangup paths, interleaved run by run so they see the same machine state.
 *
 * @returns a markdown table with method notes, and the numbers.
 */
export async function benchHangup(opts: { runs?: number } = {}): Promise<{
  markdown: string;
  results: { hangupTool: LatencyStats; createEndCallTool: LatencyStats };
}> {
  const runs = opts.runs ?? 200;
  const stub = await startRoomServiceStub();
  const ours: number[] = [];
  const theirs: number[] = [];
  try {
    for (let run = 0; run < WARMUP_RUNS + runs; run += 1) {
      const a = await hangupToolRun(stub);
      const b = await createEndCallToolRun();
      if (run >= WARMUP_RUNS) {
        ours.push(a);
        theirs.push(b);
      }
    }
  } finally {
    await stub.close();
  }
  const results = { hangupTool: stats(ours), createEndCallTool: stats(theirs) };
  return { markdown: render(results), results };
}

function render(results: { hangupTool: LatencyStats; createEndCallTool: LatencyStats }): string {
  const { hangupTool: a, createEndCallTool: b } = results;
  const ms = (n: number) => n.toFixed(2);
  const row = (name: string, span: string, s: LatencyStats) =>
    `| ${name} | ${span} | ${s.runs} | ${ms(s.p50Ms)} | ${ms(s.p99Ms)} | ${ms(s.maxMs)} |`;
  return [
    '## Hangup latency',
    '',
    '| path | measured from playback finished to | runs | p50 (ms) | p99 (ms) | max (ms) |',
    '|---|---|---:|---:|---:|---:|',
    row('`hangupTool()`', 'DeleteRoom received by the stub', a),
    row('`beta.createEndCallTool()`', 'session `close` (DeleteRoom comes later)', b),
    '',
    `\`hangupTool()\` is ${(b.p50Ms / a.p50Ms).toFixed(0)}× faster at p50 and ` +
      `${(b.p99Ms / a.p99Ms).toFixed(0)}× at p99.`,
    '',
    'Method: each run is a fresh audio-mode `AgentSession` (FakeLLM: "Goodbye!" plus one',
    '`end_call` call; a controlled audio output). Once the tool has run and the goodbye audio is',
    'captured, the bench finishes playback and takes `process.hrtime.bigint()`; the span ends when',
    'the local RoomService stub receives DeleteRoom (ours) or when the session emits `close`',
    "(LiveKit's). The two paths alternate run by run, after " +
      `${WARMUP_RUNS} discarded warm-up pairs.`,
    "LiveKit's tool shuts the session down on the goodbye's done callback and deletes the room only",
    'from a job shutdown callback, after `close`; there is no job here, so its number is a lower',
    'bound for its hangup. Most of it is `AgentSession` closing: it commits the user turn with a',
    '500 ms STT flush wait (`AudioRecognition.commitUserTurn`), even with no STT. Ours deletes the',
    'room before shutting the session down. Ours covers the in-process part only: the stub is on',
    '127.0.0.1 over a kept-alive connection, so the round trip to a LiveKit server (and TLS setup',
    'on a first request) come on top.',
  ].join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  if (!loggerOptions()) initializeLogger({ pretty: false, level: 'error' });
  const { markdown } = await benchHangup();
  process.stdout.write(`${markdown}\n`);
}
