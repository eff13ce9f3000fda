/**
 * `transferTool()`: the LiveKit side of `transfer_call`. After the handoff line has been heard, it
 * asks LiveKit to transfer the caller (SIP REFER) to a destination the app listed; a failure
 * becomes words the graph can use, and the call stays up.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { getJobContext, llm, log, voice } from '@livekit/agents';
import { z } from 'zod';
import { TRANSFER_CALL } from '../graph/transfer.js';
import { callEnding, markCallEnding } from './call-guard.js';
import { drainAfterPlayout } from './playout.js';
import { recordCallAction, recordCallEnding, reportCall } from './report.js';
import { clearUserAwayTimer, lockGoodbye } from './session-control.js';
import { sipClientFor, sipParticipantIn } from './sip-client.js';
import { describeTransferFailure, TransferTimeoutError } from './transfer-failure.js';
import {
  OWNER,
  parseTransferOptions,
  type TransferConfig,
  type TransferInfo,
  type TransferOptions,
} from './transfer-options.js';

export type { TransferInfo, TransferOptions } from './transfer-options.js';

/** LiveKit gives up ringing this long before the request's deadline, so "no answer" comes as a SIP answer. */
const RINGING_MARGIN_MS = 5_000;

const STILL_ON_THE_LINE = 'The caller is still on the line with you.';

/**
 * A LiveKit function tool that transfers the call to one of `destinations`. Register it under the
 * name `transfer_call`, which is what `LLMAdapter` emits for `transferCall()` and `transferCallTool`.
 *
 * When executed with `{ to, reason }`: a `to` that names no destination makes no request — the
 * result lists the valid names. Otherwise it makes the handoff line (the speech that carried the
 * call) non-interruptible, waits until it has played (at most `playoutTimeoutMs`) and for its audio
 * to clear the network (`drainMs`), then calls `SipClient.transferSipParticipant` once, bounded by
 * `requestTimeoutMs`. Success: `onTransfer(info)`, then the session and the job end; no further
 * LLM turn. Failure (busy, no answer, rejected, timeout): the result tells the graph why, in
 * words it can say, and the call goes on. Once per session: while a hangup or another transfer is
 * under way, it makes no request.
 *
 * @throws when an option is invalid (a destination that is not a `tel:+…` or `sip:…@…` URI), or —
 * outside a LiveKit job — when `roomName`, `participantIdentity` or (without `sipClient`) the
 * LIVEKIT_URL / LIVEKIT_API_KEY / LIVEKIT_API_SECRET variables are missing.
 * @example
 * ```ts
 * const agent = new voice.Agent({
 *   instructions: '',
 *   llm: new LLMAdapter({ graph }),
 *   tools: {
 *     end_call: hangupTool(),
 *     transfer_call: transferTool({ destinations: { billing: 'tel:+15105550100' } }),
 *   },
 * });
 * ```
 */
export function transferTool(options: TransferOptions) {
  const config = parseTransferOptions(options);
  const names = Object.keys(config.destinations);
  return llm.tool({
    description:
      'Transfers the phone call to a person or department, after your words before it have been ' +
      `heard. \`to\` is one of: ${names.join(', ')}.`,
    parameters: z.object({
      /** The destination's name. */
      to: z.string().describe(`The destination's name: one of ${names.join(', ')}`),
      /** Why the caller is transferred. */
      reason: z.string().optional().describe('Why the caller is transferred'),
    }),
    execute: async ({ to, reason }, { ctx }) => {
      const destination = destinationOf(config, to);
      if (destination === undefined) {
        log().warn({ known: names }, 'transfer_call named no known destination; no request made');
        return (
          `There is no transfer destination named ${JSON.stringify(to)}, so nothing was dialled. ` +
          `${STILL_ON_THE_LINE} The destinations are: ${names.join(', ')}.`
        );
      }
      const { session } = ctx;
      if (callEnding(session, 'hangup'))
        return 'The call is already ending; it was not transferred.';
      if (callEnding(session, 'transfer')) {
        return `A transfer is already under way; ${to} was not dialled.`;
      }
      const handoff = ctx.speechHandle;
      lockGoodbye(handoff);
      let settle: (info: TransferInfo | undefined) => void = () => {};
      const done = new Promise<TransferInfo | undefined>((resolve) => (settle = resolve));
      markCallEnding(
        session,
        'transfer',
        done.then((info) => info !== undefined),
      );
      if (config.onReport) reportCall({ session, onReport: config.onReport });
      recordCallEnding(session, {
        endedBy: 'transfer',
        reason: reason ?? `transfer to ${to}`,
        to,
        done: done.then((info) => info && { transfer: { ...info } }),
      });
      try {
        const info = await runTransfer(config, ctx, { to, destination, reason });
        // a string is the graph's account of a transfer that did not happen
        const transferred = typeof info === 'string' ? undefined : info;
        if (!transferred) {
          recordCallAction(session, { name: TRANSFER_CALL, to, ok: false, error: info as string });
        }
        settle(transferred);
        return transferred ? undefined : (info as string);
      } catch (error) {
        settle(undefined);
        throw error;
      }
    },
  });
}

/** The URI `to` names: an exact name, else one that differs only in case and spaces. */
function destinationOf(config: TransferConfig, to: string): string | undefined {
  const { destinations } = config;
  if (Object.hasOwn(destinations, to)) return destinations[to];
  const wanted = to.trim().toLowerCase();
  const match = Object.keys(destinations).find((name) => name.trim().toLowerCase() === wanted);
  return match === undefined ? undefined : destinations[match];
}

interface TransferRequest {
  to: string;
  destination: string;
  reason: string | undefined;
}

/**
 * The transfer after its checks. Returns the info of a transfer that happened, or the words the
 * graph reads for one that did not (`string`).
 */
async function runTransfer(
  config: TransferConfig,
  ctx: llm.ToolOptions['ctx'],
  request: TransferRequest,
): Promise<TransferInfo | string> {
  const { session } = ctx;
  const job = getJobContext(false);
  const roomName = config.roomName ?? job?.room.name;
  let identity: string;
  try {
    if (!roomName) throw new Error(`${OWNER}: the job's room has no name — pass \`roomName\``);
    identity = config.participantIdentity ?? sipParticipantIn(OWNER, job?.room);
  } catch (error) {
    log().error({ error }, 'cannot transfer the call');
    return `The transfer could not be started (a setup problem on our side). ${STILL_ON_THE_LINE}`;
  }
  const playout = await waitForHandoff(session, ctx, config.playoutTimeoutMs);
  if (ctx.speechHandle.interrupted) {
    log().info('handoff line interrupted before the transfer; call stays up');
    return `The caller interrupted you before the transfer, so it was not made. ${STILL_ON_THE_LINE} Answer what they said.`;
  }
  const drainMs = await drainAfterPlayout(playout, config.drainMs, undefined);
  const client = sipClientFor(OWNER, config.sipClient, job, config.envCredentials);
  const ringingTimeout = Math.max(
    1,
    Math.floor((config.requestTimeoutMs - RINGING_MARGIN_MS) / 1000),
  );
  const sentAt = performance.now();
  log().info({ to: request.to, drainMs }, 'transferring the call');
  try {
    await withDeadline(
      client.transferSipParticipant(roomName, identity, request.destination, {
        playDialtone: config.playDialtone,
        ringingTimeout,
        timeout: Math.ceil(config.requestTimeoutMs / 1000),
      }),
      config.requestTimeoutMs,
    );
  } catch (error) {
    const failure = describeTransferFailure(error);
    const fields = { to: request.to, error };
    // ours: an operator must fix it; theirs: a busy or unanswered line is part of the job
    if (failure.fault === 'ours') log().error(fields, 'transfer failed; the call stays up');
    else log().warn(fields, 'transfer failed; the call stays up');
    return `The transfer to ${request.to} failed: ${failure.words}. ${STILL_ON_THE_LINE} Tell them, and offer another way to help.`;
  }
  const info: TransferInfo = {
    to: request.to,
    destination: request.destination,
    reason: request.reason,
    roomName,
    participantIdentity: identity,
    playoutWaitMs: playout.playoutWaitMs,
    drainMs,
    requestMs: Math.round(performance.now() - sentAt),
  };
  log().info({ to: info.to, requestMs: info.requestMs }, 'call transferred');
  try {
    await config.onTransfer?.({ ...info });
  } catch (error) {
    log().error({ error }, 'onTransfer failed');
  }
  // the caller has left the room: nothing the agent could still say would reach anyone
  session.once(voice.AgentSessionEventTypes.Close, () => clearUserAwayTimer(session));
  session.shutdown({ drain: false, reason: `transferred to ${request.to}` });
  job?.shutdown(`transferred to ${request.to}`);
  return info;
}

/**
 * Waits for the words said before the transfer to finish playing (`ctx.waitForPlayout()`: the
 * speech handle's own wait would include this tool, a circular wait), at most `timeoutMs`, and
 * notes when the audio output last finished playing some of them.
 */
async function waitForHandoff(
  session: voice.AgentSession,
  ctx: llm.ToolOptions['ctx'],
  timeoutMs: number,
) {
  const startedAt = performance.now();
  let audioEndedAt: number | undefined;
  const onPlaybackFinished = (ev: voice.PlaybackFinishedEvent) => {
    if (ev.playbackPosition > 0) audioEndedAt = performance.now();
  };
  const audio = session.output.audioEnabled ? session.output.audio : null;
  audio?.on(voice.AudioOutput.EVENT_PLAYBACK_FINISHED, onPlaybackFinished);
  const timer = new AbortController();
  let timedOut = false;
  try {
    await Promise.race([
      ctx.waitForPlayout(),
      delay(timeoutMs, undefined, { signal: timer.signal }).then(() => {
        timedOut = true;
      }),
    ]);
  } finally {
    timer.abort();
    audio?.off(voice.AudioOutput.EVENT_PLAYBACK_FINISHED, onPlaybackFinished);
  }
  if (timedOut) log().warn({ timeoutMs }, 'handoff line still playing; transferring anyway');
  return {
    playoutWaitMs: Math.round(performance.now() - startedAt),
    interrupted: ctx.speechHandle.interrupted,
    timedOut,
    audioEndedAt,
  };
}

/** `promise`, or a {@link TransferTimeoutError} after `ms`: the SDK's own timeout is per attempt. */
async function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T> {
  const timer = new AbortController();
  try {
    return await Promise.race([
      promise,
      delay(ms, undefined, { signal: timer.signal }).then(() => {
        throw new TransferTimeoutError(ms);
      }),
    ]);
  } finally {
    timer.abort();
  }
}
