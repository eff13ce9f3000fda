/**
 * Why a call ended, decided from what the report saw: a hangup or transfer the call's tools
 * recorded, the caller's participant leaving, the room closing, the session's close event.
 * Pure: clues in, one {@link CallEnding} out.
 */
import type { CallEnding } from './report-types.js';

/** agents-js's `CloseReason` values (`voice.CloseReason`), as the close event carries them. */
const CLOSE_REASONS = {
  error: 'error',
  jobShutdown: 'job_shutdown',
  participantDisconnected: 'participant_disconnected',
} as const;

/** The reason given when the caller hung up. */
export const CALLER_HUNG_UP = 'the caller hung up';

/** The reason given when the agent's room was closed under the session. */
export const ROOM_CLOSED = 'the room was closed';

/** A hangup or transfer that ended the call, with when it started. */
export interface EndingStarted {
  ending: CallEnding;
  /** When it was recorded, ms since the epoch. */
  at: number;
}

/** Everything the report saw of the end of the call. */
export interface EndingClues {
  /** Hangups and transfers that ended the call (not those after which it stayed up). */
  ended: readonly EndingStarted[];
  /** When the caller's participant left the room, if it did. */
  callerLeftAt?: number;
  /** When the agent's room disconnected, if it did. */
  roomClosedAt?: number;
  /** The session's close event: agents-js's close reason (or the shutdown's) and error. */
  close: { reason: string; error?: unknown };
}

/** The ending, and the recorded hangup or transfer it comes from (when it does). */
export interface Decided {
  ending: CallEnding;
  from?: EndingStarted;
}

/**
 * The first cause wins: a goodbye during which the caller hangs up was still the graph's end, and
 * a caller who left before the app's `hangupCall()` ended the call themselves.
 */
export function decideEnding(clues: EndingClues): Decided {
  const first = [...clues.ended].sort((a, b) => a.at - b.at)[0];
  if (first && (clues.callerLeftAt === undefined || first.at <= clues.callerLeftAt)) {
    return { ending: { ...first.ending }, from: first };
  }
  return { ending: closeEnding(clues) };
}

/** The ending when no recorded hangup or transfer ended the call first. */
function closeEnding(clues: EndingClues): CallEnding {
  const { reason, error } = clues.close;
  if (clues.callerLeftAt !== undefined || reason === CLOSE_REASONS.participantDisconnected) {
    return { endedBy: 'caller', reason: CALLER_HUNG_UP };
  }
  if (reason === CLOSE_REASONS.error) return { endedBy: 'error', reason: errorText(error) };
  if (clues.roomClosedAt !== undefined) return { endedBy: 'job_shutdown', reason: ROOM_CLOSED };
  if (reason === CLOSE_REASONS.jobShutdown) return { endedBy: 'job_shutdown', reason };
  return { endedBy: 'session_closed', reason: reason || 'the session was closed' };
}

/**
 * The message of the error that closed the session: agents-js wraps the model's error in an
 * `LLMError` / `TTSError` / `STTError` (`{ type, error }`).
 */
export function errorText(error: unknown): string {
  const inner =
    typeof error === 'object' && error !== null && 'error' in error
      ? (error as { error: unknown }).error
      : error;
  if (inner instanceof Error && inner.message) return inner.message;
  if (typeof inner === 'string' && inner) return inner;
  return 'an unrecoverable error closed the session';
}
