/**
 * The two waits of a hangup: for the goodbye to finish playing locally, then for its last audio
 * to clear the network (the drain).
 */
import { setTimeout as delay } from 'node:timers/promises';
import { voice } from '@livekit/agents';
import { warmUpHttp } from './warm-up.js';

/** What the hangup learned while it waited for the goodbye. */
export interface Playout {
  /** How long the wait for the goodbye took, in ms. */
  playoutWaitMs: number;
  /** Whether the goodbye was interrupted. */
  interrupted: boolean;
  /** Whether the goodbye was still playing after the timeout. */
  timedOut: boolean;
  /**
   * `performance.now()` when the session's audio output last reported some of the goodbye played
   * (its `playbackFinished` event); `undefined` when it reported none, so there is nothing to drain.
   */
  audioEndedAt: number | undefined;
}

/** What {@link waitForGoodbye} needs of a session: its audio output. */
export interface SessionOutput {
  output: { readonly audio: voice.AudioOutput | null; readonly audioEnabled: boolean };
}

/**
 * Waits until `speech` is done (played out or interrupted), at most `timeoutMs`, and notes when
 * the session's audio output last finished playing some of it.
 *
 * Call it when the hangup starts: the audio output is watched from then on, so a goodbye whose
 * audio finished before the call counts as silent. Without `speech` it returns at once.
 *
 * @throws the reason of `signal` when it aborts.
 */
export async function waitForGoodbye(
  session: SessionOutput,
  speech: voice.SpeechHandle | undefined,
  timeoutMs: number,
  signal: AbortSignal | undefined,
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
  speech.addDoneCallback(onDone);
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
 * Waits until `drainMs` have passed since the goodbye's audio finished playing locally, so its
 * tail clears WebRTC, the SFU and the SIP bridge before the call is ended. Skipped (returns 0)
 * when there is nothing in flight: no goodbye audio, `drainMs` 0, or a goodbye cut by the timeout.
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
