/**
 * Hangup precision: from the moment the goodbye's local playback finishes to the moment the call
 * is being ended, for `hangupTool()` with its default drain (500 ms) and with `drainMs: 0` — the
 * span should equal `drainMs` — and, as a reference, for LiveKit's `beta.createEndCallTool()`.
 *
 * Run it: `npx tsx bench/hangup.ts` (prints a markdown table). It asserts nothing.
 */
import { once } from 'node:events';
import { pathToFileURL } from 'node:url';
import { beta, initializeLogger, llm, loggerOptions, voice } from '@livekit/agents';
import { type AudioSession, observeTool, withAudioSession } from '../fixtures/audio.js';
import { type RoomServiceStub, startRoomServiceStub } from '../fixtures/room-service-server.js';
import { withTimeout } from '../fixtures/session.js';
import { hangupTool } from '../src/call/hangup.js';
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
  receiver: ReturnType<typeof observeTool>,
): Promise<bigint> {
  session.generateReply({ userInput: 'bye' });
  await withTimeout(receiver.nextExecution(), STEP_TIMEOUT_MS, 'end_call');
  await withTimeout(output.waitForSegment(), STEP_TIMEOUT_MS, 'the goodbye audio');
  return output.finishPlayback();
}

/** Ours: playback finished → DeleteRoom received by the stub. */
async function hangupToolRun(stub: RoomServiceStub, drainMs: number): Promise<number> {
  const receiver = observeTool(
    hangupTool({ roomService: stub.client(), roomName: 'bench', drainMs }),
  );
  return withAudioSession({ llm: goodbyeLlm(), tools: { end_call: receiver.tool } }, async (s) => {
    const finishedAt = await playGoodbye(s, receiver);
    const request = await withTimeout(stub.nextRequest(), STEP_TIMEOUT_MS, 'DeleteRoom');
    return toMs(request.time - finishedAt);
  });
}

/** LiveKit's: playback finished → the session's `close` event (its DeleteRoom comes after). */
async function createEndCallToolRun(): Promise<number> {
  const toolset = beta.createEndCallTool({ endInstructions: null });
  const receiver = observeTool(toolset.tools[0] as llm.FunctionTool);
  const tools = [llm.Toolset.create({ id: toolset.id, tools: [receiver.tool] })];
  return withAudioSession({ llm: goodbyeLlm(), tools }, async (s) => {
    const closed = once(s.session, 'close');
    const finishedAt = await playGoodbye(s, receiver);
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

/** The drain `hangupTool()` uses by default. */
const DEFAULT_DRAIN_MS = 500;

interface HangupResults {
  /** Playback finished → DeleteRoom, minus the 500 ms drain. */
  drained: LatencyStats;
  /** Playback finished → DeleteRoom with `drainMs: 0`. */
  undrained: LatencyStats;
  /** Playback finished → session `close`, LiveKit's tool. */
  createEndCallTool: LatencyStats;
}

/**
 * Measures the hangup paths, interleaved run by run so they see the same machine state.
 *
 * @returns a markdown table with method notes, and the numbers.
 */
export async function benchHangup(
  opts: {
    runs?: number;
    /** Called after each round (warm-up ones included), for progress. */
    onRound?: (done: number, total: number) => void;
  } = {},
): Promise<{ markdown: string; results: HangupResults }> {
  const runs = opts.runs ?? 200;
  const stub = await startRoomServiceStub();
  const drained: number[] = [];
  const undrained: number[] = [];
  const theirs: number[] = [];
  try {
    for (let run = 0; run < WARMUP_RUNS + runs; run += 1) {
      const a = (await hangupToolRun(stub, DEFAULT_DRAIN_MS)) - DEFAULT_DRAIN_MS;
      const b = await hangupToolRun(stub, 0);
      const c = await createEndCallToolRun();
      if (run >= WARMUP_RUNS) {
        drained.push(a);
        undrained.push(b);
        theirs.push(c);
      }
      opts.onRound?.(run + 1, WARMUP_RUNS + runs);
    }
  } finally {
    await stub.close();
  }
  const results = {
    drained: stats(drained),
    undrained: stats(undrained),
    createEndCallTool: stats(theirs),
  };
  return { markdown: render(results), results };
}

function render({ drained, undrained, createEndCallTool: theirs }: HangupResults): string {
  const ms = (n: number) => n.toFixed(2);
  const row = (name: string, span: string, s: LatencyStats) =>
    `| ${name} | ${span} | ${s.runs} | ${ms(s.p50Ms)} | ${ms(s.p99Ms)} | ${ms(s.maxMs)} |`;
  return [
    '## Hangup precision',
    '',
    '| path | measured from local playback finished to | runs | p50 (ms) | p99 (ms) | max (ms) |',
    '|---|---|---:|---:|---:|---:|',
    row('`hangupTool()` (default `drainMs: 500`)', 'DeleteRoom received, minus 500 ms', drained),
    row('`hangupTool({ drainMs: 0 })`', 'DeleteRoom received', undrained),
    row('`beta.createEndCallTool()`', 'session `close` (DeleteRoom comes later)', theirs),
    '',
    'The first two rows are the error of the drain: DeleteRoom arrives `drainMs` after the',
    'goodbye played locally, within the p99 above. The drain is there so the last words clear',
    'WebRTC, the SFU and the SIP bridge before the call is cut (docs/ending-calls.md).',
    '',
    'Method: each run is a fresh audio-mode `AgentSession` (FakeLLM: "Goodbye!" plus one',
    '`end_call` call; a controlled audio output). Once the tool has run and the goodbye audio is',
    'captured, the bench finishes playback and takes `process.hrtime.bigint()`; the span ends when',
    'the local RoomService stub receives DeleteRoom (ours) or when the session emits `close`',
    "(LiveKit's). The three paths alternate run by run, after " +
      `${WARMUP_RUNS} discarded warm-up rounds.`,
    "LiveKit's tool shuts the session down on the goodbye's done callback and deletes the room only",
    'from a job shutdown callback, after `close`; there is no job here, so its number is a lower',
    'bound for its hangup. Most of it is `AgentSession` closing: it commits the user turn with a',
    '500 ms STT flush wait (`AudioRecognition.commitUserTurn`), even with no STT. Ours covers the',
    'in-process part only: the stub is on 127.0.0.1 over a kept-alive connection, so the round',
    'trip to a LiveKit server (and TLS setup on a first request) come on top.',
  ].join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  if (!loggerOptions()) initializeLogger({ pretty: false, level: 'error' });
  const { markdown } = await benchHangup();
  process.stdout.write(`${markdown}\n`);
}
