/**
 * "Speak, then act", the part every call action that ends or moves the call shares: wait for the
 * last line to be heard, let its audio drain, then tell the app. Hangup and transfer supply only
 * what differs: which request, what an interrupted line means, what the app is told.
 */
import { log, type voice } from '@livekit/agents';
import { logFields } from './failures.js';
import { drainAfterPlayout, type SessionOutput, waitForLastLine } from './playout.js';

/** The last line a call action waits for, and how. */
export interface LastLine {
  /** The speech that carried the action; `undefined` acts at once. */
  speech: voice.SpeechHandle | undefined;
  /** Resolves once it has played, for a tool that waits inside its own execution (see `waitForLastLine`). */
  played?: () => Promise<unknown>;
  /** How long it may play before the action comes anyway, in ms. */
  playoutTimeoutMs: number;
  /** How long its audio drains after the local playout, in ms. */
  drainMs: number;
  /** Whether an interrupted line calls the action off (the call stays up). */
  cancelIfInterrupted: boolean;
  /** Aborts the waits (a cancelled `hangupCall`). */
  signal?: AbortSignal | undefined;
  /** Runs once the line is over (played, interrupted or timed out) and the action goes on, before the drain. */
  onPlayed?: (timedOut: boolean) => void;
}

/** How the last line went, as the action's info reports it. */
export interface HeardLastLine {
  /** How long the wait for the last line took, in ms. */
  playoutWaitMs: number;
  /** Whether it was interrupted (the action then went on all the same). */
  interrupted: boolean;
  /** Whether it was still playing after `playoutTimeoutMs`. */
  timedOut: boolean;
  /** How long after its local playout end the action comes, in ms (0: no audio to drain). */
  drainMs: number;
}

/**
 * Waits for `line` to be heard and for its audio to drain.
 *
 * @returns how it went, or `'interrupted'` when the caller cut it and that calls the action off.
 * @throws the reason of `line.signal` when it aborts.
 */
export async function hearLastLine(
  session: SessionOutput,
  line: LastLine,
): Promise<HeardLastLine | 'interrupted'> {
  const { audioEndedAt, ...playout } = await waitForLastLine(
    session,
    line.speech,
    line.playoutTimeoutMs,
    line.signal,
    line.played,
  );
  if (playout.interrupted && line.cancelIfInterrupted) {
    log().info({ playoutWaitMs: playout.playoutWaitMs }, 'last line interrupted; call stays up');
    return 'interrupted';
  }
  if (playout.timedOut) {
    log().warn({ timeoutMs: line.playoutTimeoutMs }, 'last line still playing; acting anyway');
  }
  line.onPlayed?.(playout.timedOut);
  const drainMs = await drainAfterPlayout({ ...playout, audioEndedAt }, line.drainMs, line.signal);
  return { ...playout, drainMs };
}

/**
 * Tells the app what the action did (`onHangup`, `onTransfer`): the action has happened whatever
 * the callback does, so what it throws is logged, not thrown.
 */
export async function tellApp<T>(
  name: string,
  callback: ((info: T) => void | Promise<void>) | undefined,
  info: T,
): Promise<void> {
  try {
    await callback?.(info);
  } catch (error) {
    log().error({ callback: name, ...logFields(error) }, 'a call action callback failed');
  }
}
