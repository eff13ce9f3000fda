/**
 * The shape of the call report: one per call, whatever ended it (docs/call-report.md).
 */
import type { CallTrigger } from '../../graph/call-action.js';
import type { HangupInfo } from '../hangup-options.js';
import type { TransferInfo } from '../transfer-options.js';

/**
 * Who or what ended the call.
 *
 * - `'graph'`: the agent's LLM (with `LLMAdapter`, the graph) asked for `end_call` and
 *   `hangupTool()` hung up; `trigger` says how the graph asked.
 * - `'app'`: your code called `hangupCall()` — a timer, voicemail, an operator; `reason` is yours.
 * - `'caller'`: the caller hung up (their participant left the room).
 * - `'transfer'`: the call was transferred away (`to` names the destination).
 * - `'error'`: the session closed on an unrecoverable error (LLM, TTS or STT failing in a row).
 * - `'job_shutdown'`: the agent's job ended (the room was closed under it, or the job shut down
 *   with `CloseReason.JOB_SHUTDOWN`).
 * - `'session_closed'`: code closed the session (`session.close()`, `session.shutdown()`) without
 *   any of the above; `reason` is the session's close reason.
 */
export type EndedBy =
  | 'graph'
  | 'app'
  | 'caller'
  | 'transfer'
  | 'error'
  | 'job_shutdown'
  | 'session_closed';

/** Why the call ended. */
export interface CallEnding {
  /** Who or what ended the call. */
  endedBy: EndedBy;
  /** Why, in words: the hangup's or transfer's reason, the close reason, the error's message. */
  reason: string;
  /** How the graph asked to end the call, when `endedBy` is `'graph'` and the adapter said so. */
  trigger?: CallTrigger;
  /** Where the call went, when `endedBy` is `'transfer'`: the destination's name. */
  to?: string;
}

/**
 * @inline
 * One line of the conversation as the caller heard it.
 */
export interface HeardLine {
  /** `'user'` for the caller, `'assistant'` for the agent. */
  role: 'user' | 'assistant';
  /** The words: for an answer cut by a barge-in or by the end of the call, only what was played. */
  text: string;
  /** Whether the answer was cut before it was fully played. */
  interrupted: boolean;
  /** When the line was added to the session's history, ms since the epoch. */
  at: number;
}

/**
 * A call action taken during the call: each `end_call` the session executed, and what the
 * LiveKit-side tools recorded with `recordCallAction()` (transfers tried, DTMF sent or received).
 */
export interface ReportedCallAction {
  /** The tool or event: `'end_call'`, `'transfer_call'`, `'send_dtmf'`, `'dtmf_received'`, … */
  name: string;
  /** When it was taken, ms since the epoch. */
  at: number;
  /** Why, as the graph or the code asking said it. */
  reason?: string;
  /** How the graph asked, for actions the graph asked for (`end_call`: set by `LLMAdapter`). */
  trigger?: CallTrigger;
  /** The destination's name, for a transfer. */
  to?: string;
  /** The keys, for DTMF. */
  digits?: string;
  /**
   * Whether it worked: for `end_call`, whether its hangup ended the call; for `transfer_call`,
   * whether the caller was transferred. `undefined` when not known (a hangup still under way when
   * the report was built, an action recorded without it).
   */
  ok?: boolean;
  /** Why it failed, when `ok` is false. */
  error?: string;
}

/**
 * @inline
 * Tokens summed over every model call of the call (LiveKit's LLM usage of the session).
 */
export interface ReportedUsage {
  /** Prompt tokens. */
  inputTokens: number;
  /** Prompt tokens served from the provider's cache. */
  cachedInputTokens: number;
  /** Completion tokens. */
  outputTokens: number;
  /** `inputTokens + outputTokens`. */
  totalTokens: number;
}

/**
 * @inline
 * The 50th and 95th percentiles of a latency, in ms (nearest rank).
 */
export interface Percentiles {
  /** The median, in ms. */
  p50: number;
  /** The 95th percentile, in ms. */
  p95: number;
}

/**
 * @inline
 * How fast the agent answered, over the answers of the call.
 */
export interface ReportedLatency {
  /** How many answers carried a measurement. */
  turns: number;
  /**
   * From the start of the reply (the caller's turn is over) to the first text of the graph
   * (agents-js's `llmNodeTtft`, in text and audio mode); `undefined` when no answer had one.
   */
  firstTextMs?: Percentiles;
  /**
   * From the end of the caller's speech to the agent's first audio (agents-js's `e2eLatency`):
   * only in audio mode with end-of-turn detection; `undefined` otherwise.
   */
  endToEndMs?: Percentiles;
}

/** The end-of-call report: delivered once per call to every `reportCall()` receiver. */
export interface CallReport extends CallEnding {
  /** The room the call ran in; `undefined` when unknown (e.g. a session without a room). */
  room: string | undefined;
  /** The graph's thread id, when known (the `threadId` option, else the adapter's). */
  threadId: string | undefined;
  /** When the session started, ms since the epoch. */
  startedAt: number;
  /** When the call ended (the session closed), ms since the epoch. */
  endedAt: number;
  /** `endedAt - startedAt`, in ms. */
  durationMs: number;
  /** The conversation as the caller heard it, in order. */
  transcript: HeardLine[];
  /** The call actions taken, in order. */
  actions: ReportedCallAction[];
  /** Tokens summed over every model call of the call. */
  usage: ReportedUsage;
  /** How fast the agent answered. */
  latency: ReportedLatency;
  /** What the hangup did, when `hangupTool()` or `hangupCall()` ended the call. */
  hangup?: HangupInfo;
  /** What the transfer did, when `transferTool()` ended the call. */
  transfer?: TransferInfo;
  /**
   * Whether the hangup or transfer that ended the call was still under way when the report stopped
   * waiting for it (`waitForEndMs`); its outcome is then missing.
   */
  endUnfinished?: boolean;
}

/**
 * @inline
 * Receives the report once the call has ended; errors it throws are logged.
 */
export type ReportReceiver = (report: CallReport) => void | Promise<void>;

/** What ends a call and runs on after the session closed: a hangup or a transfer. */
export interface RunningEnd extends CallEnding {
  /**
   * Resolves with what it did (`{ hangup }` or `{ transfer }`) once it is done, or `undefined`
   * when the call stayed up after all (an interrupted goodbye, a failed transfer).
   */
  done: Promise<
    | {
        /** What the hangup did. */
        hangup: HangupInfo;
      }
    | {
        /** What the transfer did. */
        transfer: TransferInfo;
      }
    | undefined
  >;
}
