import { getJobContext, type voice } from '@livekit/agents';
import type { RoomServiceClient } from 'livekit-server-sdk';
import { z } from 'zod';
import { isFunction, parseOptions, withMethods } from '../validation.js';
import type { HangupInfo } from './hangup-info.js';
import type { ReportReceiver } from './report-types.js';
import { type LiveKitCredentials, readEnvCredentials } from './room-service.js';

export type { HangupInfo } from './hangup-info.js';

/**
 * How the call is ended once the goodbye has played.
 *
 * - `'delete_room'`: delete the room; everyone is disconnected, SIP legs included.
 * - `'remove_participant'`: remove the caller(s) (`identity`, else every remote participant of
 *   the job's room); the room stays up.
 * - `'none'`: no LiveKit API call; only the session (and the job) end.
 * - a function: your own hangup (e.g. a SIP transfer); it receives the {@link HangupInfo}.
 */
export type HangupAction =
  | 'delete_room'
  | 'remove_participant'
  | 'none'
  | ((info: HangupInfo) => Promise<void>);

/** Options of {@link hangupTool}; the ones of `hangupCall` are the same minus `hangupWhenInterrupted`. */
export interface HangupOptions {
  /** How the call is ended. @default 'delete_room' */
  action?: HangupAction;
  /**
   * The client that deletes the room or removes participants.
   * @default a client with the job's credentials, else LIVEKIT_URL / LIVEKIT_API_KEY / LIVEKIT_API_SECRET
   */
  roomService?: RoomServiceClient;
  /** The room to end. @default the job's room (required outside a LiveKit job) */
  roomName?: string;
  /** The participant `'remove_participant'` removes. @default every remote participant of the job's room */
  identity?: string;
  /** How long to wait for the goodbye to finish playing before hanging up anyway, in ms. @default 20_000 */
  playoutTimeoutMs?: number;
  /**
   * How long to wait, once the goodbye has finished playing locally, before ending the call, in ms
   * (0 turns the wait off; at most 10_000).
   *
   * agents-js reports playback finished when the agent's local `AudioSource` queue has drained
   * (`ParticipantAudioOutput.waitForPlayoutTask`), not when the caller has heard it: WebRTC, the
   * SFU's mixer and the SIP bridge still hold the last 100–500 ms, and ending the call at once
   * cuts the last word on a phone line (livekit/livekit#4737, livekit/sip#811, bolna#942). The wait
   * is skipped when no goodbye audio was played (text mode, a silent goodbye, no goodbye at all)
   * or when the goodbye timed out.
   * @default 500
   */
  drainMs?: number;
  /**
   * How long the action may take, all its attempts together, in ms (at most 60_000). When it runs
   * out, the hangup reports the failure (`HangupInfo.error`, one error log) and shuts the session
   * down anyway, so a LiveKit server that does not answer cannot keep the caller on the line. A
   * request already sent cannot be recalled: the server may still end the call after that. It
   * bounds a `roomService` of your own and a function action too, whatever their own timeouts.
   * @default 10_000
   */
  actionTimeoutMs?: number;
  /** Let the caller interrupt the goodbye (by default it is made non-interruptible). @default false */
  interruptible?: boolean;
  /**
   * Hang up even when the caller interrupted the goodbye. By default the call then stays up and the
   * `end_call` output tells the model the call was not ended.
   * @default false
   */
  hangupWhenInterrupted?: boolean;
  /** Called once after the call was hung up; errors it throws are logged. @default none */
  onHangup?: (info: HangupInfo) => void | Promise<void>;
  /**
   * Receives the call report of every session this ends (as `reportCall({ session, onReport })`
   * registered when the hangup starts); for calls that end otherwise too, use `reportCall()`.
   * @default none
   */
  onReport?: ReportReceiver;
}

/** Options of {@link hangupCall}: the session to hang up, why, and the {@link HangupOptions}. */
export interface HangupCallOptions extends Omit<HangupOptions, 'hangupWhenInterrupted'> {
  /** The session whose call ends; it is shut down afterwards. */
  // biome-ignore lint/suspicious/noExplicitAny: sessions of any UserData type can be hung up
  session: voice.AgentSession<any>;
  /** Why the call ends; reported in {@link HangupInfo.reason}. @default 'end_call' */
  reason?: string;
  /** The goodbye to wait for, e.g. the handle returned by `session.say()`. @default the speech playing now */
  speech?: voice.SpeechHandle;
  /**
   * Cancels this hangup while it waits for the goodbye or between retries: the promise rejects,
   * the session keeps running, and a later end may hang up. A request already sent is not recalled.
   * @default none
   */
  signal?: AbortSignal;
}

/** Options resolved once, at construction: defaults filled, credentials checked. */
export interface HangupConfig {
  /** The public function these options were given to; error messages start with it. */
  owner: 'hangupTool' | 'hangupCall';
  action: HangupAction;
  roomService: RoomServiceClient | undefined;
  /** Read from the environment at construction when neither `roomService` nor a job provides them. */
  envCredentials: LiveKitCredentials | undefined;
  roomName: string | undefined;
  identity: string | undefined;
  playoutTimeoutMs: number;
  drainMs: number;
  actionTimeoutMs: number;
  interruptible: boolean;
  hangupWhenInterrupted: boolean;
  onHangup: ((info: HangupInfo) => void | Promise<void>) | undefined;
  onReport: ReportReceiver | undefined;
}

const DEFAULT_PLAYOUT_TIMEOUT_MS = 20_000;

/** Half a second: livekit/sip#811 drains 500 ms of media before BYE, bolna#942 settles 0.5 s. */
const DEFAULT_DRAIN_MS = 500;

/** A wait longer than this is a mistake (seconds passed as ms), not a drain. */
const MAX_DRAIN_MS = 10_000;

/**
 * Ten seconds: two attempts of the 5 s request timeout of the clients the package builds. Without
 * a bound, a RoomService that never answers kept the call up 20.7 s (4 × 5 s) to 40.7 s (the
 * SDK's default client) after the goodbye.
 */
const DEFAULT_ACTION_TIMEOUT_MS = 10_000;

/** A caller kept on a dead line for longer than this is worse than a call left up. */
const MAX_ACTION_TIMEOUT_MS = 60_000;

const sharedShape = {
  action: z
    .union([z.enum(['delete_room', 'remove_participant', 'none']), isFunction<HangupAction>()], {
      error: 'expected "delete_room", "remove_participant", "none" or an async function',
    })
    .optional(),
  roomService: withMethods<RoomServiceClient>(
    'a RoomServiceClient from livekit-server-sdk',
    'deleteRoom',
    'removeParticipant',
  ).optional(),
  roomName: z.string().min(1).optional(),
  identity: z.string().min(1).optional(),
  playoutTimeoutMs: z.number().int().nonnegative().optional(),
  drainMs: z
    .number()
    .int()
    .nonnegative()
    .max(MAX_DRAIN_MS, { error: `expected at most ${MAX_DRAIN_MS} (ms)` })
    .optional(),
  actionTimeoutMs: z
    .number()
    .int()
    .positive()
    .max(MAX_ACTION_TIMEOUT_MS, { error: `expected at most ${MAX_ACTION_TIMEOUT_MS} (ms)` })
    .optional(),
  interruptible: z.boolean().optional(),
  onHangup: isFunction<HangupOptions['onHangup']>().optional(),
  onReport: isFunction<ReportReceiver>().optional(),
};

const toolShape = { ...sharedShape, hangupWhenInterrupted: z.boolean().optional() };

const callShape = {
  ...sharedShape,
  session: withMethods<HangupCallOptions['session']>('a voice.AgentSession', 'shutdown', 'on'),
  reason: z.string().optional(),
  speech: withMethods<voice.SpeechHandle>('a voice.SpeechHandle', 'addDoneCallback').optional(),
  signal: z.instanceof(AbortSignal).optional(),
};

const toolSchema = z.strictObject(toolShape);
const callSchema = z.strictObject(callShape);

/**
 * Fills defaults and checks, outside a LiveKit job, that the room to end and the credentials to
 * end it with are known — so a misconfiguration fails at startup, not at the end of a call.
 */
function resolve(owner: HangupConfig['owner'], options: z.infer<typeof toolSchema>): HangupConfig {
  const action = options.action ?? 'delete_room';
  const usesRoomService = action === 'delete_room' || action === 'remove_participant';
  const inJob = getJobContext(false) !== undefined;
  if (usesRoomService && !inJob) {
    if (options.roomName === undefined) {
      throw new Error(
        `${owner}: no room to end outside a LiveKit job — pass \`roomName\`, or create it ` +
          "inside the job entrypoint (in a local test with no room: `action: 'none'`)",
      );
    }
    if (action === 'remove_participant' && options.identity === undefined) {
      throw new Error(
        `${owner}: no participant to remove outside a LiveKit job — pass \`identity\`, or ` +
          'create it inside the job entrypoint',
      );
    }
  }
  const needsEnv = usesRoomService && !options.roomService && !inJob;
  return {
    owner,
    action,
    roomService: options.roomService,
    envCredentials: needsEnv ? readEnvCredentials(owner) : undefined,
    roomName: options.roomName,
    identity: options.identity,
    playoutTimeoutMs: options.playoutTimeoutMs ?? DEFAULT_PLAYOUT_TIMEOUT_MS,
    drainMs: options.drainMs ?? DEFAULT_DRAIN_MS,
    actionTimeoutMs: options.actionTimeoutMs ?? DEFAULT_ACTION_TIMEOUT_MS,
    interruptible: options.interruptible ?? false,
    hangupWhenInterrupted: options.hangupWhenInterrupted ?? false,
    onHangup: options.onHangup,
    onReport: options.onReport,
  };
}

/** Validates and resolves the options of `hangupTool()`. */
export function parseToolOptions(options: HangupOptions | undefined): HangupConfig {
  return resolve('hangupTool', parseOptions('hangupTool', toolSchema, options ?? {}));
}

/** Validates and resolves the options of `hangupCall()`. */
export function parseCallOptions(options: HangupCallOptions): {
  config: HangupConfig;
  session: HangupCallOptions['session'];
  reason: string | undefined;
  speech: voice.SpeechHandle | undefined;
  signal: AbortSignal | undefined;
} {
  const parsed = parseOptions('hangupCall', callSchema, options);
  const { session, reason, speech, signal } = parsed;
  return { config: resolve('hangupCall', parsed), session, reason, speech, signal };
}
