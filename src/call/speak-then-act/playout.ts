/**
 * The two waits before a call action (a hangup, a transfer): for the last line to finish playing
 * locally, then for its last audio to clear the network (the drain). Also the options that set
 * them, shared by every call action that speaks first.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { voice } from '@livekit/agents';
import { z } from 'zod';

/** How long a last line may play before the action comes anyway, in ms. */
export const DEFAULT_PLAYOUT_TIMEOUT_MS = 20_000;

/**
 * Half a second, measured: on the call lab's SIP line the last word reached the phone at most
 * 180 ms after local playout (250 ms never cut it, 0 cut 15 calls of 20); the rest is margin for a
 * carrier's jitter buffer the lab lacks (docs/ending-calls.md, "Why 500 ms, measured").
 */
export const DEFAULT_DRAIN_MS = 500;

/** A wait longer than this is a mistake (seconds passed as ms), not a drain. */
const MAX_DRAIN_MS = 10_000;

/** The zod shape of `playoutTimeoutMs` and `drainMs`, the options of every action that speaks first. */
export const playoutOptionsShape = {
  playoutTimeoutMs: z.number().int().nonnegative().optional(),
  drainMs: z
    .number()
    .int()
    .nonnegative()
    .max(MAX_DRAIN_MS, { error: `expected at most ${MAX_DRAIN_MS} (ms)` })
    .optional(),
};

/** What a call action learned while it waited for its last line. */
export interface Playout {
  /** How long the wait for the last line took, in ms. */
  playoutWaitMs: number;
  /** Whether the last line was interrupted. */
  interrupted: boolean;
  /** Whether the last line was still playing after the timeout. */
  timedOut: boolean;
  /**
   * `performance.now()` when the session's audio output last reported some of the line played
   * (its `playbackFinished` event); `undefined` when it reported none, so there is nothing to drain.
   */
  audioEndedAt: number | undefined;
}

/** What {@link waitForLastLine} needs of a session: its audio output. */
export interface SessionOutput {
  output: { readonly audio: voice.AudioOutput | null; readonly audioEnabled: boolean };
}

/**
 * Waits until `speech` — the last line before a call action — is done (played out or
 * interrupted), at most `timeoutMs`, and notes when the session's audio output last finished
 * playing some of it.
 *
 * Call it when the action starts: the audio output is watched from then on, so a line whose
 * audio finished before counts as silent. Without `speech` it returns at once. `played` says when
 * the line is done: by default the speech's done callback, which fires only once the tools it
 * carried have returned, so a tool that waits inside its own execution (a transfer) passes
 * `ctx.waitForPlayout()` instead — the other way round is a circular wait.
 *
 * @throws the reason of `signal` when it aborts.
 */
export async function waitForLastLine(
  session: SessionOutput,
  speech: voice.SpeechHandle | undefined,
  timeoutMs: number,
  signal: AbortSignal | undefined,
  played?: () => Promise<unknown>,
): Promise<Playout> {
  const startedAt = performance.now();
  if (!speech) {
    return { playoutWaitMs: 0, interrupted: false, timedOut: false, audioEndedAt: undefined };
  }
  let audioEndedAt: number | undefined;
  const onPlaybackFinished = (ev: voice.PlaybackFinishedEvent) => {
    // Position 0: the segment was cleared before any of it played, so nothing is in flight.
    if (ev.playbackPosition > 0) audioEndedAt = performance.now();
  };
  // Text mode (no audio output, or audio turned off) speaks nothing aloud: nothing to watch.
  const audio = session.output.audioEnabled ? session.output.audio : null;
  audio?.on(voice.AudioOutput.EVENT_PLAYBACK_FINISHED, onPlaybackFinished);
  const done = new AbortController();
  const onDone = () => done.abort();
  if (played) void played().then(onDone, onDone);
  else speech.addDoneCallback(onDone);
  let timedOut = false;
  try {
    // The timer is the timeout; the done callback (or `signal`) aborts it, which clears it.
    await delay(timeoutMs, undefined, {
      signal: signal ? AbortSignal.any([done.signal, signal]) : done.signal,
    });
    timedOut = true;
  } catch (error) {
    if (!done.signal.aborted) throw error;
  } finally {
    speech.removeDoneCallback(onDone);
    audio?.off(voice.AudioOutput.EVENT_PLAYBACK_FINISHED, onPlaybackFinished);
  }
  return {
    playoutWaitMs: Math.round(performance.now() - startedAt),
    interrupted: speech.interrupted,
    timedOut,
    audioEndedAt,
  };
}

/**
 * Waits until `drainMs` have passed since the last line's audio finished playing locally, so its
 * tail clears WebRTC, the SFU and the SIP bridge before the action. Skipped (returns 0) when
 * there is nothing in flight: no audio, `drainMs` 0, or a line cut by the timeout. Meanwhile it
 * loads `fetch`, so the action's request does not pay for it.
 *
 * @returns how long after the local playout end it returned, in ms (0 when skipped).
 * @throws the reason of `signal` when it aborts.
 */
export async function drainAfterPlayout(
  playout: Playout,
  drainMs: number,
  signal: AbortSignal | undefined,
): Promise<number> {
  void warmUpHttp();
  const { audioEndedAt } = playout;
  if (drainMs === 0 || playout.timedOut || audioEndedAt === undefined) return 0;
  // Node's timers count from the event loop's cached clock and may fire a fraction of a ms early:
  // waiting again for what is left makes sure the action never comes before `drainMs`.
  for (
    let remaining = audioEndedAt + drainMs - performance.now();
    remaining > 0;
    remaining = audioEndedAt + drainMs - performance.now()
  ) {
    await delay(Math.ceil(remaining), undefined, { signal });
  }
  signal?.throwIfAborted();
  return Math.round(performance.now() - audioEndedAt);
}

let warming: Promise<void> | undefined;

/**
 * Loads Node's `fetch` (undici, ~35 ms on first use) once per process, in the background, while
 * the caller still hears the last words; never throws.
 */
export function warmUpHttp(): Promise<void> {
  warming ??= fetch('data:,')
    .then((response) => response.arrayBuffer())
    .then(
      () => undefined,
      () => undefined,
    );
  return warming;
}
