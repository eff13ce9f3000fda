/**
 * A local stand-in for LiveKit's SIP Twirp API (see {@link startTwirpStub}) serving
 * `TransferSIPParticipant`, with the grants the real server requires: `roomAdmin` for the
 * request's room, and `sip.call`. Scripted answers give the outcomes of a real transfer.
 *
 * @example
 * ```ts
 * const sip = await startSipStub();
 * sip.respondWith(SIP_BUSY); // the destination is busy
 * transferTool({ destinations, sipClient: sip.client(), roomName: 'call-1', participantIdentity: 'caller' });
 * ```
 */
import { SipClient } from 'livekit-server-sdk';
import { type StubResponse, startTwirpStub, type TwirpStub } from './twirp-stub.js';

export interface SipStub extends TwirpStub {
  /** A real `SipClient` pointed at the stub, with its credentials unless overridden. */
  client(credentials?: { apiKey?: string; apiSecret?: string }): SipClient;
}

/*
 * The answers below are what livekit-server v1.13.5 with livekit-sip v1.8.0 returned in the lab
 * (test/live/sip-transfer.test.ts, test/live/sip-refer-refused.test.ts), minus the opaque
 * `error_details` meta. A SIP code reached through the NOTIFY (the destination's answer) comes as
 * "call transfer failed: sip status: …"; the caller's phone refusing the REFER itself, without.
 */

/** An error livekit-server reports: its Twirp code and status, the message as it words it. */
const serverError = (status: number, code: string, msg: string) => ({
  status,
  code,
  msg: `twirp error unknown: ${msg}`,
});

/** A SIP answer as livekit-server reports it; `notify`: the destination's, through the NOTIFY. */
const sipAnswer = (
  [status, code]: [number, string],
  sip: number,
  reason: string,
  { notify }: { notify: boolean },
): StubResponse => ({
  ...serverError(
    status,
    code,
    `${notify ? 'call transfer failed: ' : ''}sip status: ${sip}: ${reason}`,
  ),
  meta: { sip_status_code: String(sip), sip_status: reason },
});

/** A transfer whose destination answered 486 Busy Here (the SIP code maps to resource_exhausted: HTTP 429). */
export const SIP_BUSY = sipAnswer([429, 'resource_exhausted'], 486, 'Busy Here', { notify: true });

/** A transfer nobody answered (480 Temporarily Unavailable: resource_exhausted too). */
export const SIP_NO_ANSWER = sipAnswer(
  [429, 'resource_exhausted'],
  480,
  'Temporarily Unavailable',
  {
    notify: true,
  },
);

/** The caller's phone answered the REFER 403 Forbidden (a line that does not allow transfers). */
export const SIP_REFER_REFUSED = sipAnswer([403, 'permission_denied'], 403, 'Forbidden', {
  notify: false,
});

/**
 * The ringing timeout passed with no outcome: nobody answered, or the caller's phone accepted the
 * REFER (202) and never sent the NOTIFY saying how it went.
 */
export const SIP_TIMED_OUT = serverError(408, 'deadline_exceeded', 'request timed out');

/** The caller is no longer in the room (hung up before the request). */
export const SIP_PARTICIPANT_GONE = serverError(404, 'not_found', 'participant does not exist');

/** The SIP bridge that carries the call is not running: nothing answers the server's request (after ~1 s). */
export const SIP_BRIDGE_GONE = serverError(503, 'unavailable', 'no response from servers');

export async function startSipStub(): Promise<SipStub> {
  const stub = await startTwirpStub('livekit.SIP', {
    TransferSIPParticipant: ({ video, sip }, body) =>
      video?.roomAdmin === true && video.room === body.roomName && sip?.call === true,
  });
  return {
    ...stub,
    client: (credentials) =>
      new SipClient(
        stub.url,
        credentials?.apiKey ?? stub.apiKey,
        credentials?.apiSecret ?? stub.apiSecret,
      ),
  };
}
