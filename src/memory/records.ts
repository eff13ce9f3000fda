/**
 * What the thread bookkeeping remembers about runs and the checkpoints they start from.
 */
import type { SpokenPiece } from './spoken.js';

/**
 * How a run attempt ended: `done` (the graph finished), `paused` (it called `interrupt()` and
 * waits for the caller), or `cut` (aborted or failed, so its checkpoints are unusable).
 */
export type RunOutcome = 'done' | 'paused' | 'cut';

/** How a run ended (or transferred) the call, to undo it when the call is still up. */
export interface CallEndRequest {
  /** The `end_call` or `transfer_call` function call the session got. */
  callId: string;
  /** Which of the two it was. @default 'end_call' */
  name?: 'end_call' | 'transfer_call';
  /** Why the graph ended the call. */
  reason: string;
  /** The model's own tool call, when that is what asked. */
  toolCallId?: string;
}

/** What an attempt reports when it ends. */
export interface AttemptReport {
  outcome: RunOutcome;
  /** What the attempt said, per source message. */
  spoken: SpokenPiece[];
  /** Set when the attempt ended the call. */
  end?: CallEndRequest;
}

/** A checkpoint runs start from, with what it holds. */
export interface Anchor {
  /** The checkpoint to fork from; `undefined` until known (then runs start from the thread's head). */
  checkpointId: string | undefined;
  /** The checkpoint's messages, when its run streamed them (else they are read when needed). */
  readonly messages?: readonly unknown[];
  /** Ids of the chat items the checkpoint holds. */
  readonly given: ReadonlySet<string>;
  /**
   * Runs whose answers the checkpoint holds as the graph said them, because LiveKit's chat context
   * did not say yet what the caller heard (an answer is committed when its playback ends).
   */
  readonly unsettled: readonly RunRecord[];
  /** Whether the graph waits on `interrupt()` there; `undefined` until the checkpoint is read. */
  paused: boolean | undefined;
}

/** One `chat()` call on a thread, from its start to its last attempt. */
export interface RunRecord {
  readonly anchor: Anchor;
  /** Ids of the chat items the thread holds after this run's input. */
  readonly given: ReadonlySet<string>;
  /** Earlier runs whose answers are still as the graph said them after this run's input. */
  readonly unsettled: readonly RunRecord[];
  /** The caller's messages this run sent, id → text as sent (a reused preemptive run's is interim). */
  readonly userTexts: ReadonlyMap<string, string>;
  outcome: RunOutcome | 'running';
  /** The checkpoint the run's first attempt started from (its retries start there too). */
  startId: string | undefined;
  /** The run's last checkpoint, and its messages. */
  finalId: string | undefined;
  finalMessages: readonly unknown[] | undefined;
  spoken: SpokenPiece[];
  end: CallEndRequest | undefined;
}

/** What the ledger keeps per thread. */
export interface ThreadRecord {
  anchor: Anchor;
  /** The last checkpoint a run on the thread reported (or the head read at the start). */
  headId: string | undefined;
  /** Runs whose graph run is under way, or was and has not ended yet (it may still write). */
  readonly streaming: Set<RunRecord>;
  /** Runs started from the anchor or later, oldest first, not yet known to have reached the caller. */
  runs: RunRecord[];
}
