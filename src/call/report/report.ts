/**
 * The end-of-call report: one per call (per `AgentSession`), whatever ended it, delivered once to
 * every receiver. See docs/call-report.md.
 */
import { AgentSessionEventTypes, getJobContext, log, type voice } from '@livekit/agents';
import { z } from 'zod';
import { END_CALL } from '../../graph/end-call.js';
import { isFunction, parseOptions, withMethods } from '../../validation.js';
import type { AnySession as Session } from '../any-session.js';
import { jobRoomName, SIP_PARTICIPANT_KIND } from '../livekit-api/job-room.js';
import { logFields } from '../speak-then-act/failures.js';
import {
  type ActionOutcome,
  endCallActions,
  heardTranscript,
  latencyOf,
  summedUsage,
} from './report-contents.js';
import { DEFAULT_RECEIVER_TIMEOUT_MS, deliverReport } from './report-delivery.js';
import { decideEnding } from './report-ending.js';
import { type ReportedRoom, watchCallEnd } from './report-room.js';
import { type RecordedEnd, settle } from './report-settle.js';
import type { CallReport, ReportedCallAction, ReportReceiver, RunningEnd } from './report-types.js';

export type { ReportedRoom } from './report-room.js';
export type * from './report-types.js';

/** Options of {@link reportCall}. */
export interface ReportCallOptions {
  /** The session whose call is reported; register right after `session.start()`. */
  session: Session;
  /** Receives the report once, after the call ended; errors it throws are logged. */
  onReport: ReportReceiver;
  /**
   * The call's room: the report watches it for the caller leaving (`participantDisconnected`) and
   * for the room closing (`disconnected`), and reports its name.
   * @default the job's room inside a LiveKit job, else none
   */
  room?: ReportedRoom;
  /**
   * The caller's participant identity.
   * @default any SIP participant of `room`
   */
  callerIdentity?: string;
  /** The graph's thread id, reported as `threadId`. @default the session LLM's `threadId()` (`LLMAdapter` has one) */
  threadId?: string;
  /**
   * How long, once the session closed, the report waits for the hangup or transfer that ended the
   * call to finish (its action comes after the goodbye has played and drained), in ms. The report
   * is then delivered without the outcome (`endUnfinished: true`).
   * @default 30_000
   */
  waitForEndMs?: number;
  /**
   * How long a LiveKit job's shutdown waits for the receivers once the report is ready, in ms: a
   * receiver still running then (a webhook that hangs) is named in a warning and left to finish
   * on its own, so the job can exit. Receivers never wait for one another.
   * @default 5_000
   */
  receiverTimeoutMs?: number;
}

const DEFAULT_WAIT_FOR_END_MS = 30_000;

interface CallRecord {
  readonly startedAt: number;
  readonly receivers: Set<ReportReceiver>;
  readonly actions: ReportedCallAction[];
  /** What each `end_call` the session executed came to, by function call id. */
  readonly outcomes: Map<string, ActionOutcome>;
  readonly running: RecordedEnd[];
  room?: ReportedRoom;
  callerIdentity?: string;
  threadId?: string;
  waitForEndMs: number;
  receiverTimeoutMs: number;
  callerLeftAt?: number;
  roomClosedAt?: number;
  unwatchRoom?: () => void;
  /** Set once the session closed: the report every receiver gets, late ones included. */
  report?: Promise<CallReport>;
}

const records = new WeakMap<object, CallRecord>();

const optionsSchema = z.strictObject({
  session: withMethods<Session>('a voice.AgentSession', 'on', 'off'),
  onReport: isFunction<ReportReceiver>(),
  room: withMethods<ReportedRoom>('a Room from @livekit/rtc-node', 'on', 'off').optional(),
  callerIdentity: z.string().min(1).optional(),
  threadId: z.string().min(1).optional(),
  waitForEndMs: z.number().int().nonnegative().optional(),
  receiverTimeoutMs: z.number().int().nonnegative().optional(),
});

/**
 * Delivers one report when the call of `session` ends — whoever ended it: the graph, your
 * `hangupCall()`, the caller, an error, the job — once the hangup or transfer that ended it has
 * finished. Registering the same receiver twice for a session delivers once; each other receiver
 * gets the same report; a receiver registered after the call ended gets it at once.
 *
 * @returns a function that stops delivering to `onReport`.
 * @throws when an option is invalid, when `room` is not the room an earlier registration for the
 * session watches (a session runs in one room), or when the session closed before anything
 * watched it (register right after `session.start()`).
 * @example
 * ```ts
 * await session.start({ agent, room: ctx.room });
 * reportCall({ session, room: ctx.room, onReport: (report) => console.log(report.endedBy) });
 * ```
 */
export function reportCall(options: ReportCallOptions): () => void {
  const parsed = parseOptions('reportCall', optionsSchema, options);
  if (!records.has(parsed.session) && hasClosed(parsed.session)) {
    throw new Error(
      'reportCall: the session closed before anything watched it, so its end is unknown — ' +
        'call reportCall() right after session.start()',
    );
  }
  const record = recordOf(parsed.session);
  if (parsed.room && record.room && parsed.room !== record.room) {
    throw new Error(
      `reportCall: this session is already reported for room ${JSON.stringify(record.room.name ?? '')}; ` +
        'a session runs in one room — pass the same `room` (or none) to every reportCall() of a session',
    );
  }
  record.callerIdentity ??= parsed.callerIdentity;
  record.threadId ??= parsed.threadId;
  if (parsed.waitForEndMs !== undefined) record.waitForEndMs = parsed.waitForEndMs;
  if (parsed.receiverTimeoutMs !== undefined) record.receiverTimeoutMs = parsed.receiverTimeoutMs;
  const room = parsed.room ?? getJobContext(false)?.room;
  if (room && !record.room && !record.report) watchRoom(record, room);
  const { onReport } = parsed;
  if (record.report) {
    // the call already ended: this receiver gets the report the others got
    const { receiverTimeoutMs } = record;
    void record.report.then((report) => deliverReport(report, [onReport], receiverTimeoutMs));
  } else {
    record.receivers.add(onReport);
  }
  return () => record.receivers.delete(onReport);
}

/**
 * Adds an action to the report of `session`'s call: for LiveKit-side tools (a transfer tried, DTMF
 * sent or received). `at` defaults to now. Recording before `reportCall()` is registered is fine.
 */
export function recordCallAction(
  session: Session,
  action: Omit<ReportedCallAction, 'at'> & { at?: number },
): void {
  recordOf(session).actions.push({ ...action, at: action.at ?? Date.now() });
}

/**
 * Records what the `end_call` function call `callId` came to (its hangup ended the call, or the
 * call stayed up), for its entry in the report's `actions`.
 */
export function recordActionOutcome(
  session: Session,
  callId: string,
  outcome: ActionOutcome,
): void {
  recordOf(session).outcomes.set(callId, outcome);
}

/**
 * Records that a hangup or transfer started ending the call. The report waits (at most
 * `waitForEndMs` after the session closed) for `done`, which resolves to its outcome, or to
 * `undefined` when the call stayed up after all; a rejection counts as the call staying up.
 */
export function recordCallEnding(session: Session, end: RunningEnd): void {
  // handled now: the report reads it only once the session closed
  const done = end.done.catch(() => undefined);
  recordOf(session).running.push({ ...end, done, at: Date.now() });
}

function recordOf(session: Session): CallRecord {
  const known = records.get(session);
  if (known) return known;
  const record: CallRecord = {
    // agents-js keeps the start in `_startedAt`, the same field its own session report reads; no
    // public accessor as of 2026-12: https://github.com/livekit/agents-js/blob/%40livekit/agents%401.9.0/agents/src/voice/agent_session.ts#L653
    startedAt: (session as { _startedAt?: number })._startedAt ?? Date.now(),
    receivers: new Set(),
    actions: [],
    outcomes: new Map(),
    running: [],
    waitForEndMs: DEFAULT_WAIT_FOR_END_MS,
    receiverTimeoutMs: DEFAULT_RECEIVER_TIMEOUT_MS,
  };
  records.set(session, record);
  session.once(AgentSessionEventTypes.Close, (ev: voice.CloseEvent) => {
    record.report = finish(session, record, ev);
    const job = getJobContext(false);
    const delivered = record.report.then((report) =>
      deliverReport(report, record.receivers, record.receiverTimeoutMs),
    );
    // inside a job, the job waits for the receivers (a webhook POST) before it exits — bounded
    job?.addShutdownCallback(() => delivered);
  });
  return record;
}

/**
 * Whether `session` has closed: agents-js 1.9 keeps `closing` set after the close and clears
 * `started` just before it emits `close` (both internal, https://github.com/livekit/agents-js/blob/%40livekit/agents%401.9.0/agents/src/voice/agent_session.ts#L655-L663;
 * a session that does not have them is taken as not closed). No public "closed" as of 2026-12.
 */
function hasClosed(session: Session): boolean {
  const state = session as unknown as { _closing?: unknown; started?: unknown };
  return state._closing === true && state.started === false;
}

function watchRoom(record: CallRecord, room: ReportedRoom): void {
  record.room = room;
  record.unwatchRoom = watchCallEnd(room, {
    isCaller: (participant) =>
      record.callerIdentity
        ? participant.identity === record.callerIdentity
        : participant.kind === SIP_PARTICIPANT_KIND,
    callerLeft: () => {
      record.callerLeftAt ??= Date.now();
    },
    closed: () => {
      record.roomClosedAt ??= Date.now();
    },
  });
}

/** Builds the report once the session closed: waits (bounded) for the end still under way. */
async function finish(
  session: Session,
  record: CallRecord,
  close: voice.CloseEvent,
): Promise<CallReport> {
  const endedAt = Date.now();
  record.unwatchRoom?.();
  const settled = await settle(record.running, record.waitForEndMs);
  const { ending, from } = decideEnding({
    ended: settled.map(({ started }) => started),
    close: { reason: String(close.reason), error: close.error },
    ...(record.callerLeftAt !== undefined && { callerLeftAt: record.callerLeftAt }),
    ...(record.roomClosedAt !== undefined && { roomClosedAt: record.roomClosedAt }),
  });
  const winner = settled.find(({ started }) => started === from);
  const items = session.history.items;
  const actions = [...endCallActions(items, END_CALL, record.outcomes), ...record.actions].sort(
    (a, b) => a.at - b.at,
  );
  const report: CallReport = {
    room: record.room?.name || winner?.outcome?.hangup?.roomName || jobRoomName(),
    threadId: record.threadId ?? threadIdOf(session),
    startedAt: record.startedAt,
    endedAt,
    durationMs: endedAt - record.startedAt,
    ...ending,
    transcript: heardTranscript(items),
    actions,
    usage: summedUsage(session.usage.modelUsage),
    latency: latencyOf(items),
    ...(winner?.outcome?.hangup && { hangup: winner.outcome.hangup }),
    ...(winner?.outcome?.transfer && { transfer: winner.outcome.transfer }),
    ...(winner && !winner.outcome && { endUnfinished: true }),
  };
  log().info(
    { endedBy: report.endedBy, durationMs: report.durationMs, turns: report.transcript.length },
    'call report ready',
  );
  return report;
}

/**
 * The thread id of the `LLMAdapter` that answered: the current agent's LLM, else the session's
 * (duck-typed: src/call does not import the adapter).
 */
function threadIdOf(session: Session): string | undefined {
  for (const llm of [agentLlm(session), session.llm]) {
    const adapter = llm as { threadId?: () => unknown } | undefined;
    if (typeof adapter?.threadId !== 'function') continue;
    try {
      const id = adapter.threadId();
      if (typeof id === 'string' && id) return id;
    } catch (error) {
      log().debug(logFields(error), 'the LLM could not tell its thread id');
    }
  }
  return undefined;
}

/** The LLM of the session's current agent; `currentAgent` throws once no agent is running. */
function agentLlm(session: Session): unknown {
  try {
    return session.currentAgent.llm;
  } catch {
    return undefined;
  }
}
