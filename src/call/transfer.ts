/**
 * `transferTool()`: the LiveKit side of `transfer_call`. After the handoff line has been heard, it
 * asks LiveKit to transfer the caller (SIP REFER) to a destination the app listed; a failure
 * becomes words the graph can use, and the call stays up.
 */
import { getJobContext, llm, log, voice } from '@livekit/agents';
import { z } from 'zod';
import { TRANSFER_CALL, transferReason } from '../graph/transfer.js';
import type { AnySession } from './any-session.js';
import { roomNameFor } from './livekit-api/job-room.js';
import { sipClientFor, sipParticipantIn } from './livekit-api/sip-client.js';
import { recordCallAction, recordCallEnding } from './report/report.js';
import { endUnderWay, markCallEnding } from './speak-then-act/call-guard.js';
import { logFields, messageOf, withDeadline } from './speak-then-act/failures.js';
import { hearLastLine, tellApp } from './speak-then-act/sequence.js';
import {
  clearUserAwayTimer,
  holdNewTurns,
  lockLastLine,
} from './speak-then-act/session-control.js';
import { describeTransferFailure } from './transfer-failure.js';
import {
  OWNER,
  parseTransferOptions,
  type TransferConfig,
  type TransferInfo,
  type TransferToolOptions,
} from './transfer-options.js';

export type { TransferInfo, TransferToolOptions } from './transfer-options.js';

/** LiveKit gives up ringing this long before the request's deadline, so "no answer" comes as a SIP answer. */
const RINGING_MARGIN_MS = 5_000;

const STILL_ON_THE_LINE = 'The caller is still on the line with you.';

/** How long LiveKit's answer is still awaited once the call ended: a transfer that worked ends it too. */
const CALL_OVER_GRACE_MS = 500;

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
export function transferTool(options: TransferToolOptions) {
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
    execute: async ({ to, reason }, { ctx, abortSignal }) => {
      const { session } = ctx;
      // every transfer_call asked for is in the call report, with whether it went through
      const report = (error?: string) =>
        recordCallAction(session, {
          name: TRANSFER_CALL,
          to,
          ...(reason && { reason }),
          ...(error === undefined ? { ok: true } : { ok: false, error }),
        });
      const refused = refusal(config, session, to);
      if (refused) {
        report(refused);
        return refused;
      }
      lockLastLine(ctx.speechHandle);
      let settle: (info: TransferInfo | undefined) => void = () => {};
      const done = new Promise<TransferInfo | undefined>((resolve) => (settle = resolve));
      markCallEnding(
        session,
        'transfer',
        done.then((info) => info !== undefined),
      );
      recordCallEnding(session, {
        endedBy: 'transfer',
        reason: reason ?? transferReason(to),
        to,
        done: done.then((info) => info && { transfer: { ...info } }),
      });
      try {
        const outcome = await runTransfer(config, ctx, { to, reason }, abortSignal);
        // a string is the graph's account of a transfer that did not happen
        const transferred = typeof outcome === 'string' ? undefined : outcome;
        report(transferred ? undefined : (outcome as string));
        settle(transferred);
        return transferred ? undefined : (outcome as string);
      } catch (error) {
        report(messageOf(error));
        settle(undefined);
        throw error;
      }
    },
  });
}

/** Why no transfer to `to` is tried (unknown name, the call already ending), in the graph's words. */
function refusal(config: TransferConfig, session: AnySession, to: string): string | undefined {
  if (destinationOf(config, to) === undefined) {
    const names = Object.keys(config.destinations);
    log().warn({ known: names }, 'transfer_call named no known destination; no request made');
    return (
      `There is no transfer destination named ${JSON.stringify(to)}, so nothing was dialled. ` +
      `${STILL_ON_THE_LINE} The destinations are: ${names.join(', ')}.`
    );
  }
  if (endUnderWay(session, 'hangup')) return 'The call is already ending; it was not transferred.';
  if (endUnderWay(session, 'transfer')) {
    return `A transfer is already under way; ${to} was not dialled.`;
  }
  return undefined;
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
  reason: string | undefined;
}

/**
 * The transfer after its checks. Returns the info of a transfer that happened, or the words the
 * graph reads for one that did not (`string`). `callOver` is the tool's abort signal: agents-js
 * aborts it when the session closes (the caller hung up, the room closed), which ends the wait for
 * the destination at once — the request cannot be recalled, but nobody is left to hand over.
 */
async function runTransfer(
  config: TransferConfig,
  ctx: llm.ToolOptions['ctx'],
  request: TransferRequest,
  callOver: AbortSignal,
): Promise<TransferInfo | string> {
  const { session } = ctx;
  const destination = destinationOf(config, request.to) as string;
  const job = getJobContext(false);
  let roomName: string;
  let identity: string;
  try {
    roomName = roomNameFor(OWNER, config.roomName, job);
    identity = config.participantIdentity ?? sipParticipantIn(OWNER, job?.room);
  } catch (error) {
    log().error(logFields(error), 'cannot transfer the call');
    return `The transfer could not be started (a setup problem on our side). ${STILL_ON_THE_LINE}`;
  }
  const heard = await hearLastLine(session, {
    speech: ctx.speechHandle,
    // the speech's own done callback would wait for this tool too: a circular wait
    played: () => ctx.waitForPlayout(),
    playoutTimeoutMs: config.playoutTimeoutMs,
    drainMs: config.drainMs,
    cancelIfInterrupted: true,
  });
  if (heard === 'interrupted') {
    return `The caller interrupted you before the transfer, so it was not made. ${STILL_ON_THE_LINE} Answer what they said.`;
  }
  const { drainMs } = heard;
  const client = sipClientFor(OWNER, config.sipClient, job, config.envCredentials);
  const ringingTimeout = Math.max(
    1,
    Math.floor((config.requestTimeoutMs - RINGING_MARGIN_MS) / 1000),
  );
  const sentAt = performance.now();
  log().info({ to: request.to, drainMs }, 'transferring the call');
  // while the destination rings, the caller is being handed off: nothing new is said to them
  const release = holdNewTurns(session);
  try {
    // the SDK's own timeout is per attempt; the deadline bounds the request, ringing included
    await withDeadline(
      async (signal) => {
        const answer = client.transferSipParticipant(roomName, identity, destination, {
          playDialtone: config.playDialtone,
          ringingTimeout,
          timeout: Math.ceil(config.requestTimeoutMs / 1000),
        });
        try {
          return await abortable(answer, AbortSignal.any([signal, callOver]));
        } catch (error) {
          if (!callOver.aborted) throw error;
          // a transfer that succeeded ends the call too: its answer may be on its way
          return await abortable(answer, AbortSignal.timeout(CALL_OVER_GRACE_MS), callOver.reason);
        }
      },
      {
        timeoutMs: config.requestTimeoutMs,
        owner: OWNER,
        what: 'the transfer request',
        option: 'requestTimeoutMs',
      },
    );
  } catch (error) {
    if (callOver.aborted) {
      log().info({ to: request.to }, 'the call ended while the destination rang; transfer dropped');
      return `The call ended while ${request.to} rang, so nobody was transferred.`;
    }
    const failure = describeTransferFailure(error);
    const fields = { to: request.to, ...logFields(error) };
    // ours: an operator must fix it; theirs: a busy or unanswered line is part of the job
    if (failure.fault === 'ours') log().error(fields, 'transfer failed; the call stays up');
    else log().warn(fields, 'transfer failed; the call stays up');
    return `The transfer to ${request.to} failed: ${failure.words}. ${STILL_ON_THE_LINE} Tell them, and offer another way to help.`;
  } finally {
    release();
  }
  const info: TransferInfo = {
    to: request.to,
    destination,
    reason: request.reason,
    roomName,
    participantIdentity: identity,
    playoutWaitMs: heard.playoutWaitMs,
    drainMs,
    requestMs: Math.round(performance.now() - sentAt),
  };
  log().info({ to: info.to, requestMs: info.requestMs }, 'call transferred');
  await tellApp('onTransfer', config.onTransfer, { ...info });
  // the caller has left the room: nothing the agent could still say would reach anyone
  session.once(voice.AgentSessionEventTypes.Close, () => clearUserAwayTimer(session));
  session.shutdown({ drain: false, reason: `transferred to ${request.to}` });
  job?.shutdown(`transferred to ${request.to}`);
  return info;
}

/**
 * `promise`, or a rejection as soon as `signal` aborts (with `reason`, else the signal's reason):
 * the request itself cannot be recalled, only no longer waited for.
 */
function abortable<T>(promise: Promise<T>, signal: AbortSignal, reason?: unknown): Promise<T> {
  if (signal.aborted) return Promise.reject(reason ?? signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(reason ?? signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
