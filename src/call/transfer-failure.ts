/**
 * Why a transfer failed, in words the graph can say to the caller ("the line was busy"), and
 * whether the fault is the destination's (busy, no answer) or ours (credentials, configuration).
 */
import { ActionTimeoutError } from './speak-then-act/failures.js';

/** A failed transfer, told for the graph. */
export interface TransferFailure {
  /** What happened, to finish "The transfer to billing failed: …". */
  words: string;
  /** `theirs`: the destination did not take the call; `ours`: a problem an operator must fix. */
  fault: 'theirs' | 'ours';
}

/** SIP final responses, grouped by what they mean for the caller (RFC 3261 §21). */
const SIP_MEANINGS: readonly [codes: readonly number[], words: string][] = [
  [[486, 600], 'the line was busy'],
  [[408, 480, 487], 'nobody answered'],
  [[603], 'the call was declined'],
  [[404, 410, 484, 604], 'the number could not be reached'],
];

/**
 * 403 Forbidden: LiveKit reports the caller's own phone line refusing the REFER (a trunk that
 * does not allow transfers) with the same code as a destination that forbids the call, and
 * either way an operator must allow it: the fault is ours, the words say the network refused.
 */
const FORBIDDEN = 403;

/**
 * Reads a livekit-server-sdk error (`SipCallError` with `sipStatusCode`, `TwirpError` with
 * `status`), an {@link ActionTimeoutError} (`requestTimeoutMs` ran out), or a network error.
 */
export function describeTransferFailure(error: unknown): TransferFailure {
  if (error instanceof ActionTimeoutError) {
    // the request also covers ringing: a destination that never picks up looks like this
    return { words: 'nobody answered in time', fault: 'theirs' };
  }
  const fields = (typeof error === 'object' && error !== null ? error : {}) as {
    sipStatusCode?: unknown;
    sipStatus?: unknown;
    status?: unknown;
    code?: unknown;
  };
  const sip = typeof fields.sipStatusCode === 'number' ? fields.sipStatusCode : undefined;
  if (sip === FORBIDDEN) {
    return { words: 'the phone network refused the transfer', fault: 'ours' };
  }
  if (sip !== undefined) {
    const meaning = SIP_MEANINGS.find(([codes]) => codes.includes(sip));
    const status = typeof fields.sipStatus === 'string' ? ` ${fields.sipStatus}` : '';
    return {
      words: meaning ? meaning[1] : `the phone network refused it (SIP ${sip}${status})`,
      fault: 'theirs',
    };
  }
  const http = typeof fields.status === 'number' ? fields.status : undefined;
  if (http === 408 || fields.code === 'deadline_exceeded') {
    // LiveKit gave up at the ringing timeout: the destination never answered, or the caller's
    // phone took the REFER and never said how it went (no NOTIFY)
    return { words: 'nobody answered in time', fault: 'theirs' };
  }
  if (http === 401 || http === 403) {
    return {
      words: 'our phone system refused the request (a setup problem on our side)',
      fault: 'ours',
    };
  }
  if (http === 404 || http === 400 || fields.code === 'invalid_argument') {
    return { words: 'our phone system could not find this call to transfer', fault: 'ours' };
  }
  // 503: the server found no SIP bridge to carry the request (LiveKit: "no response from servers")
  if (http === undefined || http === 503) {
    return { words: 'our phone system could not be reached', fault: 'ours' };
  }
  return { words: `our phone system reported an error (${http})`, fault: 'ours' };
}
