/**
 * The lab's measurements, run inside the lab by bench/lab.ts (`npm run bench -- --only lab`):
 * calls through the real server, timed at the caller. Writes raw figures as JSON to `--out`.
 *
 * - goodbye: how much of the goodbye's last word reaches the caller, with the hangup's drain and
 *   without it, and when its last frame arrives after the agent's local playout ended;
 * - phone goodbye: the same on a SIP phone behind the bridge, for drainMs 0, 250, 500 and 1000;
 * - phone BYE: when the phone gets its BYE after the hangup request, with `delete_room` and with
 *   `remove_participant` (default drain);
 * - barge-in: from the caller's speech start to the last frame of the cut answer;
 * - latency: from the caller's end of speech to the first frame of the answer, `LLMAdapter`
 *   around a graph against the same fake model behind a plain `llm.LLM`.
 */
import { writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { readJournal, waitForJobEvent } from './agent/journal.js';
import * as say from './agent/lines.js';
import type { LabCaller } from './caller.js';
import { type LabContext, labContext, placeCall, startLabWorker } from './session.js';
import { PHONE_DRAINS, type PhoneGoodbyeFigure, phoneGoodbye } from './sip/goodbye-figures.js';
import { CALLER_PORTS, Phone } from './sip/phone.js';
import { speechOf } from './voice/speech.js';
import { GAP_MS, toneOf, WORD_MS, wordsOf } from './voice/tones.js';

/** One goodbye call. */
export interface GoodbyeFigure {
  drainMs: number | 'default';
  /** Every word of greeting and goodbye heard, in order, the last one whole. */
  whole: boolean;
  /** Milliseconds of the last word's tone that arrived (of WORD_MS). */
  lastWordMs: number;
  /** Arrival of the last word's last frame after the agent's local playout ended. */
  tailAfterPlayoutMs: number;
}

/** Everything measured, as bench/lab.ts reads it. */
export interface LabFigures {
  goodbye: GoodbyeFigure[];
  /** The goodbye on a phone line: per drainMs of PHONE_DRAINS, and per action with the default drain. */
  phoneGoodbye: PhoneGoodbyeFigure[];
  /** Speech start → last frame of the cut answer, per call. */
  bargeIn: number[];
  /** End of speech → first answer frame, per turn. */
  latency: { adapter: number[]; plain: number[] };
  /** Calls that failed (a bound ran out), with why: on a starved machine real-time audio lags. */
  failed: string[];
}

const greeting = wordsOf(say.GREETING);
const spelled = (caller: LabCaller, words: readonly string[]) => {
  const heard = caller.heard();
  return heard.length === words.length && heard.every((w, i) => w.tone === toneOf(words[i] ?? ''));
};

async function greeted(lab: LabContext, spec: say.ScenarioSpec) {
  const call = await placeCall(lab, spec);
  await call.caller.waitFor('greeting', () => call.caller.heard().length >= greeting.length);
  return call;
}

async function goodbye(lab: LabContext, drainMs: number | undefined): Promise<GoodbyeFigure> {
  const { room, caller } = await greeted(lab, {
    scenario: 'goodbye',
    ...(drainMs !== undefined && { drainMs }),
  });
  try {
    await caller.speak(speechOf(say.THANKS));
    await caller.waitFor('disconnection', () => caller.disconnectedAt !== undefined, 30_000);
    await waitForJobEvent(lab.LAB_RUN_DIR, room, 'hangup');
    const playedAt = readJournal(lab.LAB_RUN_DIR, room)
      .filter((event) => event.type === 'playout-finished')
      .at(-1)?.at;
    const last = caller.heard().at(-1);
    const lastWordMs = last?.ms ?? 0;
    return {
      drainMs: drainMs ?? 'default',
      whole: spelled(caller, [...greeting, ...wordsOf(say.GOODBYE)]) && lastWordMs >= WORD_MS - 10,
      lastWordMs,
      tailAfterPlayoutMs: (last?.lastAt ?? 0) + 10 - (playedAt ?? Number.NaN),
    };
  } finally {
    await caller.leave();
  }
}

async function bargeIn(lab: LabContext): Promise<number> {
  const { room, caller } = await greeted(lab, { scenario: 'barge-in' });
  const stopped = wordsOf(say.STOPPED);
  try {
    await caller.speak(speechOf(say.HOURS));
    await waitForJobEvent(lab.LAB_RUN_DIR, room, 'silent-step');
    await caller.waitFor('the answer', () => caller.heard().length >= greeting.length + 3);
    const { startedAt } = await caller.speak(speechOf(say.WAIT));
    await caller.waitFor(
      'the reply',
      () =>
        caller.heard().length > greeting.length + 3 + stopped.length - 1 &&
        caller
          .heard()
          .slice(-stopped.length)
          .every((w, i) => w.tone === toneOf(stopped[i] ?? '')),
    );
    const cut = caller.heard().slice(0, -stopped.length).at(-1);
    return (cut?.lastAt ?? Number.NaN) + 10 - startedAt;
  } finally {
    await caller.leave();
  }
}

async function latency(lab: LabContext, plain: boolean, turns: number): Promise<number[]> {
  const { caller } = await greeted(lab, { scenario: 'latency', plain });
  const figures: number[] = [];
  try {
    for (let turn = 0; turn < turns; turn++) {
      const before = caller.heard().length;
      const { endedAt } = await caller.speak(speechOf(say.HELLO));
      await caller.waitFor('the answer', () => caller.heard().length > before);
      figures.push((caller.heard()[before]?.firstAt ?? Number.NaN) - endedAt);
      // the whole answer, so the next turn starts in silence
      // the whole one-word answer, so the next turn starts in silence (a bench may sleep)
      await sleep(WORD_MS + GAP_MS + 300);
    }
  } finally {
    await caller.leave();
  }
  return figures;
}

/** The measurements `--parts` can name, comma-separated; all by default. */
const PARTS = ['goodbye', 'phone', 'bye', 'barge-in', 'latency'];
const { values } = parseArgs({
  options: {
    calls: { type: 'string', default: '20' },
    out: { type: 'string' },
    parts: { type: 'string', default: PARTS.join(',') },
  },
});
const calls = Number(values.calls);
const parts = new Set(values.parts.split(','));
const unknown = [...parts].filter((part) => !PARTS.includes(part));
if (unknown.length > 0) {
  throw new Error(`lab bench: unknown --parts ${unknown.join(', ')}; expected some of ${PARTS}`);
}
/** The runs of a part: none unless `--parts` names it. */
const runsOf = (part: string, runs: number) => (parts.has(part) ? runs : 0);
const lab = labContext();
const worker = await startLabWorker(lab);
const figures: LabFigures = {
  goodbye: [],
  phoneGoodbye: [],
  bargeIn: [],
  latency: { adapter: [], plain: [] },
  failed: [],
};
const note = (line: string) => process.stderr.write(`lab bench: ${line}\n`);
/** Runs one measured call; a failed one is counted and the bench goes on. */
async function measured<T>(what: string, call: () => Promise<T>, keep: (figure: T) => void) {
  try {
    keep(await call());
  } catch (error) {
    figures.failed.push(`${what}: ${(error as Error).message}`);
  }
}

try {
  for (let i = 0; i < runsOf('goodbye', calls); i++) {
    await measured(
      'goodbye, drainMs 0',
      () => goodbye(lab, 0),
      (f) => figures.goodbye.push(f),
    );
    await measured(
      'goodbye, default drain',
      () => goodbye(lab, undefined),
      (f) => figures.goodbye.push(f),
    );
    note(`goodbye ${i + 1}/${calls}`);
  }
  const phone = await Phone.start({ name: 'caller', ports: CALLER_PORTS, runDir: lab.LAB_RUN_DIR });
  try {
    for (let i = 0; i < runsOf('phone', calls); i++) {
      // the drains in turn, so a spell of load falls on all of them alike
      for (const drainMs of PHONE_DRAINS) {
        await measured(
          `phone goodbye, drainMs ${drainMs}`,
          () => phoneGoodbye(lab, phone, drainMs),
          (f) => figures.phoneGoodbye.push(f),
        );
      }
      note(`phone goodbye ${i + 1}/${calls}`);
    }
    for (let i = 0; i < runsOf('bye', calls); i++) {
      for (const action of ['delete_room', 'remove_participant'] as const) {
        await measured(
          `phone BYE, ${action}`,
          () => phoneGoodbye(lab, phone, undefined, action),
          (f) => figures.phoneGoodbye.push(f),
        );
      }
      note(`phone BYE ${i + 1}/${calls}`);
    }
  } finally {
    await phone.stop();
  }
  for (let i = 0; i < runsOf('barge-in', Math.ceil(calls / 2)); i++) {
    await measured(
      'barge-in',
      () => bargeIn(lab),
      (f) => figures.bargeIn.push(f),
    );
    note(`barge-in ${i + 1}/${Math.ceil(calls / 2)}`);
  }
  for (let i = 0; i < runsOf('latency', Math.ceil(calls / 4)); i++) {
    await measured(
      'latency, adapter',
      () => latency(lab, false, 5),
      (f) => figures.latency.adapter.push(...f),
    );
    await measured(
      'latency, plain',
      () => latency(lab, true, 5),
      (f) => figures.latency.plain.push(...f),
    );
    note(`latency ${i + 1}/${Math.ceil(calls / 4)}`);
  }
} finally {
  await worker.stop();
}
writeFileSync(values.out ?? '/dev/stdout', JSON.stringify(figures));
// the callers' rooms keep native handles open: end here rather than wait for them
process.exit(0);
