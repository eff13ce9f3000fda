/**
 * The options of `transferTool()`, what a transfer reports, and the config they resolve to once,
 * at construction: the destinations checked, the room, caller and credentials known up front.
 */
import { getJobContext } from '@livekit/agents';
import type { SipClient } from 'livekit-server-sdk';
import { z } from 'zod';
import { isFunction, parseOptions } from '../validation.js';
import { type LiveKitCredentials, readEnvCredentials } from './livekit-api/room-service.js';
import { assertSendsOnce } from './livekit-api/sip-client.js';
import {
  DEFAULT_DRAIN_MS,
  DEFAULT_PLAYOUT_TIMEOUT_MS,
  playoutOptionsShape,
} from './speak-then-act/playout.js';

/** What happened when the call was transferred: passed to `onTransfer`. */
export interface TransferInfo {
  /** The destination's name, as the graph asked for it (e.g. `'billing'`). */
  to: string;
  /** Where the call went: the `tel:` or `sip:` URI of that destination. */
  destination: string;
  /** Why, as the graph or the model said it; `undefined` when it gave no reason. */
  reason: string | undefined;
  /** The room the call ran in. */
  roomName: string;
  /** The SIP participant (the caller) that was transferred. */
  participantIdentity: string;
  /** How long the transfer waited for the handoff line to finish playing, in ms. */
  playoutWaitMs: number;
  /** How long the request came after the handoff line finished playing locally, in ms (0: no audio). */
  drainMs: number;
  /** How long LiveKit took to complete the transfer (ringing included), in ms. */
  requestMs: number;
}

/** Options of {@link transferTool}. */
export interface TransferToolOptions {
  /**
   * The only places a call can go, by the name the graph uses: `{ billing: 'tel:+15105550100',
   * support: 'sip:support@pbx.example.com' }`. A name the graph asks for that is not here (or a
   * number a model made up) makes no request: the graph is told the valid names.
   */
  destinations: Record<string, string>;
  /**
   * The client that transfers the call. For a LiveKit Cloud host, create it with
   * `{ failover: false }`: a client that fails over sends the transfer again to another region
   * after a lost answer or a 5xx, and is refused.
   * @default a client with the job's credentials, else LIVEKIT_URL / LIVEKIT_API_KEY / LIVEKIT_API_SECRET
   */
  sipClient?: SipClient;
  /** The room of the call. @default the job's room (required outside a LiveKit job) */
  roomName?: string;
  /** The SIP participant to transfer. @default the one remote SIP participant of the job's room */
  participantIdentity?: string;
  /** Play a dial tone to the caller while the destination rings. @default false */
  playDialtone?: boolean;
  /** How long to wait for the handoff line to finish playing before transferring anyway, in ms. @default 20_000 */
  playoutTimeoutMs?: number;
  /**
   * How long to wait, once the handoff line has finished playing locally, before the transfer
   * request, in ms (0 turns it off; at most 10_000): its last words are still in the network and
   * SIP buffers, as for a hangup (see `hangupTool`'s `drainMs`).
   * @default 500
   */
  drainMs?: number;
  /**
   * How long the transfer request may take, in ms, ringing included: LiveKit is asked to give up
   * ringing 5 s before it, and a request still open then counts as "no answer".
   * @default 30_000
   */
  requestTimeoutMs?: number;
  /** Called once after the caller was transferred; errors it throws are logged. @default none */
  onTransfer?: (info: TransferInfo) => void | Promise<void>;
}

/** Options resolved once, at construction. */
export interface TransferConfig {
  destinations: Readonly<Record<string, string>>;
  sipClient: SipClient | undefined;
  envCredentials: LiveKitCredentials | undefined;
  roomName: string | undefined;
  participantIdentity: string | undefined;
  playDialtone: boolean;
  playoutTimeoutMs: number;
  drainMs: number;
  requestTimeoutMs: number;
  onTransfer: TransferToolOptions['onTransfer'];
}

/** The owner named in error messages. */
export const OWNER = 'transferTool';

/** A `tel:` URI with an E.164 number, or a `sip:` URI with a user and a host. */
const DESTINATION = /^(tel:\+[1-9]\d{5,14}|sips?:[^@\s]+@[^@\s]+)$/;

const schema = z.strictObject({
  destinations: z
    .record(
      z.string(),
      z.string().regex(DESTINATION, {
        error: (issue) =>
          `expected "tel:+<country code and number>" or "sip:<user>@<host>", got ${JSON.stringify(issue.input)}`,
      }),
      {
        error: (issue) =>
          issue.code === 'invalid_type'
            ? 'expected an object of destination names to tel: or sip: URIs'
            : undefined,
      },
    )
    .refine((value) => Object.keys(value).length > 0, {
      error: 'expected at least one destination, e.g. { billing: "tel:+15105550100" }',
    })
    .refine((value) => Object.keys(value).every((name) => name.trim() !== ''), {
      error: 'a destination name is empty',
    }),
  sipClient: z
    .custom<SipClient>(
      (value) =>
        typeof value === 'object' &&
        value !== null &&
        typeof (value as { transferSipParticipant?: unknown }).transferSipParticipant ===
          'function',
      { error: 'expected a SipClient from livekit-server-sdk' },
    )
    .optional(),
  roomName: z.string().min(1).optional(),
  participantIdentity: z.string().min(1).optional(),
  playDialtone: z.boolean().optional(),
  ...playoutOptionsShape,
  requestTimeoutMs: z.number().int().positive().optional(),
  onTransfer: isFunction<TransferToolOptions['onTransfer']>().optional(),
});

/**
 * Validates and resolves the options of `transferTool()`: outside a LiveKit job, the room, the
 * caller and the credentials must be known now, so a misconfiguration fails at startup, not when
 * a caller asks for a person.
 */
export function parseTransferOptions(options: TransferToolOptions): TransferConfig {
  const parsed = parseOptions(OWNER, schema, options);
  if (parsed.sipClient) assertSendsOnce(OWNER, parsed.sipClient);
  const inJob = getJobContext(false) !== undefined;
  if (!inJob && parsed.roomName === undefined) {
    throw new Error(
      `${OWNER}: no room outside a LiveKit job — pass \`roomName\`, or create it inside the job entrypoint`,
    );
  }
  if (!inJob && parsed.participantIdentity === undefined) {
    throw new Error(
      `${OWNER}: no caller to transfer outside a LiveKit job — pass \`participantIdentity\`, or create it inside the job entrypoint`,
    );
  }
  return {
    destinations: Object.freeze({ ...parsed.destinations }),
    sipClient: parsed.sipClient,
    envCredentials: !parsed.sipClient && !inJob ? envCredentials() : undefined,
    roomName: parsed.roomName,
    participantIdentity: parsed.participantIdentity,
    playDialtone: parsed.playDialtone ?? false,
    playoutTimeoutMs: parsed.playoutTimeoutMs ?? DEFAULT_PLAYOUT_TIMEOUT_MS,
    drainMs: parsed.drainMs ?? DEFAULT_DRAIN_MS,
    requestTimeoutMs: parsed.requestTimeoutMs ?? 30_000,
    onTransfer: parsed.onTransfer,
  };
}

/** The LIVEKIT_* credentials, with the hangup's error message told in a transfer's words. */
function envCredentials(): LiveKitCredentials {
  try {
    return readEnvCredentials(OWNER);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(
      message
        .replace('to end the call with', 'to transfer the call with')
        .replace('pass `roomService`', 'pass `sipClient`'),
      { cause: error },
    );
  }
}
