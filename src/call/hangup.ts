/**
 * `hangupTool()` and `hangupCall()`: the LiveKit side of `end_call`. Once the goodbye has been
 * heard (and drained), the call is ended as `action` says, once per session, within
 * `actionTimeoutMs`; the session and the job end behind it.
 */
import { getJobContext, type JobContext, llm, log, type voice } from '@livekit/agents';
import { z } from 'zod';
import { CALL_TRIGGERS, type CallTrigger } from '../graph/call-action.js';
import { CALL_KEPT_UP_NOTE } from '../graph/end-call.js';
import {
  type HangupCallOptions,
  type HangupConfig,
  type HangupInfo,
  type HangupToolOptions,
  parseCallOptions,
  parseToolOptions,
} from './hangup-options.js';
import { jobRoomName, roomNameFor } from './livekit-api/job-room.js';
import { deleteRoom, removeParticipants, roomServiceFor } from './livekit-api/room-service.js';
import { recordActionOutcome, recordCallEnding } from './report/report.js';
import { endedCall, markCallEnding, SKIPPED_HANGUP } from './speak-then-act/call-guard.js';
import { logFields, messageOf, withDeadline } from './speak-then-act/failures.js';
import { hearLastLine, tellApp } from './speak-then-act/sequence.js';
import {
  currentSpeech,
  cutLastLine,
  lockLastLine,
  stopNewTurns,
} from './speak-then-act/session-control.js';

export type {
  HangupAction,
  HangupCallOptions,
  HangupInfo,
  HangupToolOptions,
} from './hangup-options.js';

/** Reason reported when the `end_call` call or `hangupCall` gives none. */
const DEFAULT_REASON = 'end_call';

const HANGUP_TOOL_DESCRIPTION = `Ends the phone call: hangs up after your goodbye has been heard.
Call it when the conversation is over (the caller said goodbye, or the task is done), in the same
turn as a short goodbye. Do not call it when the caller asks to hold, pause or be transferred.`;

/**
 * One hangup per session, shared by {@link hangupTool} and {@link hangupCall}. Keyed by session,
 * not by room name: a room name is reused by later calls (and by tests).
 * The promise resolves to `undefined` when the call stayed up (interrupted goodbye).
 */
const hangups = new WeakMap<object, Promise<HangupInfo | undefined>>();

interface HangupRequest {
  config: HangupConfig;
  reason: string;
  /** The goodbye to wait for; `undefined` hangs up at once. */
  speech: voice.SpeechHandle | undefined;
  job: JobContext | undefined;
  signal: AbortSignal | undefined;
  /** Whether an interrupted goodbye cancels the hangup (the call stays up). */
  cancelIfInterrupted: boolean;
  /** How the graph asked to end the call (the call report's `trigger`). */
  trigger?: CallTrigger;
}

type Session = HangupCallOptions['session'];

/** What an `end_call` whose goodbye the caller interrupted came to. */
const CALL_KEPT_UP = { ok: false, error: 'the caller interrupted the goodbye; the call stayed up' };

/** What an `end_call` came to, for the call report's `actions`. */
const outcomeOf = (info: HangupInfo) =>
  info.error ? { ok: false, error: messageOf(info.error) } : { ok: true };

/**
 * A LiveKit function tool that ends the call after the goodbye has been heard. Register it
 * under the name `end_call`, which is what `LLMAdapter` emits when the graph ends the call.
 *
 * When executed it makes the goodbye (the speech that carried the `end_call` call)
 * non-interruptible and shuts the session down behind it (from then on no new turn starts and
 * nothing more is spoken), returns at once (no further LLM turn), and in the background waits for
 * the goodbye to finish playing (at most `playoutTimeoutMs`) and for its audio to clear the
 * network (`drainMs`), ends the call as `action` says (once per session, retried), calls
 * `onHangup`, and ends the job.
 *
 * @throws when an option is invalid, or — outside a LiveKit job and without `roomService` —
 * when `roomName` or the LIVEKIT_URL / LIVEKIT_API_KEY / LIVEKIT_API_SECRET variables are missing.
 * @example
 * ```ts
 * const agent = new voice.Agent({
 *   instructions: '',
 *   llm: new LLMAdapter({ graph }),
 *   tools: { end_call: hangupTool({ onHangup: (info) => console.log('call ended', info) }) },
 * });
 * ```
 */
export function hangupTool(options?: HangupToolOptions) {
  const config = parseToolOptions(options);
  return llm.tool({
    description: HANGUP_TOOL_DESCRIPTION,
    parameters: z.object({
      /** Why the call ends, as the model put it. */
      reason: z.string().optional().describe('Why the call ends, e.g. "caller said goodbye"'),
      /** Set by LLMAdapter: how the graph asked (for the call report). */
      trigger: z.enum(CALL_TRIGGERS).optional().describe('Set by livekit-langgraph; leave empty'),
    }),
    execute: async ({ reason, trigger }, { ctx }) => {
      const goodbye = ctx.speechHandle;
      const callId = ctx.functionCall.callId;
      if (!config.interruptible) lockLastLine(goodbye);
      const cancelIfInterrupted = !config.hangupWhenInterrupted;
      if (goodbye.interrupted && cancelIfInterrupted) {
        log().info(
          { speechId: goodbye.id },
          'goodbye interrupted before end_call ran; call stays up',
        );
        recordActionOutcome(ctx.session, callId, CALL_KEPT_UP);
        return CALL_KEPT_UP_NOTE;
      }
      const request = {
        config,
        reason: reason || DEFAULT_REASON,
        speech: goodbye,
        job: getJobContext(false),
        signal: undefined,
        cancelIfInterrupted,
        ...(trigger && { trigger }),
      };
      // An interruptible goodbye that keeps the call up when cut is decided only once it played.
      if (!(config.interruptible && cancelIfInterrupted)) {
        stopNewTurns(ctx.session, request.reason, { drain: true });
      }
      const hangup = startHangup(ctx.session, request);
      void hangup.then(
        (info) => recordActionOutcome(ctx.session, callId, info ? outcomeOf(info) : CALL_KEPT_UP),
        (error) => {
          recordActionOutcome(ctx.session, callId, { ok: false, error: messageOf(error) });
          log().error(logFields(error), 'hangup after end_call failed');
        },
      );
      // No output: the goodbye was the last thing to say, so no further LLM turn.
      return undefined;
    },
  });
}

/**
 * Ends the call from outside the graph — a max-duration or silence timer, voicemail detection, an
 * operator. Shuts the session down at once, letting `speech` (default: the speech playing now)
 * finish while no new turn starts, then runs the same sequence as {@link hangupTool}, sharing its
 * once-per-session guard: while a hangup of this session is under way (or done) it returns that
 * one's info. Unlike the tool, it hangs up even when the goodbye is interrupted.
 *
 * @returns what happened; a failed action is reported in `error`, not thrown.
 * @throws when an option is invalid (see {@link hangupTool}), or with the reason of `signal`
 * (the call is then not ended by this hangup, but the session still shuts down).
 * @example
 * ```ts
 * const maxDuration = setTimeout(() => {
 *   const speech = session.say('We have reached the time limit. Goodbye!');
 *   void hangupCall({ session, speech, reason: 'max duration' });
 * }, 10 * 60_000);
 * ```
 */
export async function hangupCall(options: HangupCallOptions): Promise<HangupInfo> {
  const { config, session, reason, speech, signal } = parseCallOptions(options);
  signal?.throwIfAborted();
  const goodbye = speech ?? currentSpeech(session);
  if (goodbye && !config.interruptible) lockLastLine(goodbye);
  const request = {
    config,
    reason: reason || DEFAULT_REASON,
    speech: goodbye,
    job: getJobContext(false),
    signal,
    cancelIfInterrupted: false,
  };
  stopNewTurns(session, request.reason, { drain: true });
  // A tool hangup under way may end with the call kept up (interrupted goodbye); then this
  // explicit end starts its own, which always hangs up.
  for (;;) {
    const info = await startHangup(session, request);
    if (info) return info;
  }
}

function startHangup(session: Session, request: HangupRequest): Promise<HangupInfo | undefined> {
  const running = hangups.get(session);
  if (running) return running;
  const hangup = runHangup(session, request);
  hangups.set(session, hangup);
  markCallEnding(session, 'hangup', hangup);
  recordCallEnding(session, {
    endedBy: request.config.owner === 'hangupTool' ? 'graph' : 'app',
    reason: request.reason,
    ...(request.trigger && { trigger: request.trigger }),
    // a call kept up or a rejected hangup (its signal aborted) did not end the call
    done: hangup.then(
      (info) => info && { hangup: info },
      () => undefined,
    ),
  });
  // A call kept up or a cancelled hangup releases the guard, so a later end can hang up.
  void hangup.then(
    (info) => info ?? hangups.delete(session),
    () => hangups.delete(session),
  );
  return hangup;
}

async function runHangup(
  session: Session,
  request: HangupRequest,
): Promise<HangupInfo | undefined> {
  const { config, job, signal } = request;
  if (await endedCall(session, 'transfer')) {
    // the caller was transferred meanwhile: no call is left to end
    return { ...SKIPPED_HANGUP, reason: request.reason, roomName: config.roomName };
  }
  const heard = await hearLastLine(session, {
    speech: request.speech,
    playoutTimeoutMs: config.playoutTimeoutMs,
    drainMs: config.drainMs,
    cancelIfInterrupted: request.cancelIfInterrupted,
    signal,
    onPlayed: (timedOut) => {
      // Done at lock time unless the goodbye could still be cut; it has played now, so nothing
      // queued behind it may play.
      stopNewTurns(session, request.reason, { drain: false });
      if (timedOut) cutLastLine(session);
    },
  });
  // end_call has already returned; the adapter tells the graph on the next turn (messages.ts)
  if (heard === 'interrupted') return undefined;
  const info: HangupInfo = {
    reason: request.reason,
    roomName: config.roomName ?? jobRoomName(job),
    action: typeof config.action === 'function' ? 'custom' : config.action,
    ...heard,
  };
  try {
    await withDeadline((bound) => runHangupAction(request, info, bound), {
      timeoutMs: config.actionTimeoutMs,
      signal,
      owner: config.owner,
      what: `the ${info.action} action`,
      option: 'actionTimeoutMs',
    });
  } catch (error) {
    if (signal?.aborted) throw error;
    info.error = error instanceof Error ? error : new Error(String(error));
    log().error(logFields(info.error), 'could not end the call; the session shuts down anyway');
  }
  log().info({ action: info.action, ...heard }, 'call hung up');
  await tellApp('onHangup', config.onHangup, info);
  job?.shutdown(request.reason);
  return info;
}

/** Runs the configured action; `signal` (the deadline's) stops its retries. */
async function runHangupAction(
  { config, job }: HangupRequest,
  info: HangupInfo,
  signal: AbortSignal,
): Promise<void> {
  const { action, owner } = config;
  if (typeof action === 'function') return action({ ...info });
  if (action === 'none') return;
  if (job?.isFakeJob && !config.roomService) {
    log().warn('console mode has no room to end; skipping the hangup action');
    return;
  }
  const roomName = roomNameFor(owner, info.roomName, undefined);
  const client = roomServiceFor(owner, config.roomService, job, config.envCredentials);
  if (action === 'delete_room') return deleteRoom(owner, client, roomName, signal);
  const identities = config.identity
    ? [config.identity]
    : [...(job?.room.remoteParticipants.keys() ?? [])];
  return removeParticipants(owner, client, roomName, identities, signal);
}
