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

/** A transfer whose destination answered 486 Busy Here (the SIP code maps to resource_exhausted: HTTP 429). */
export const SIP_BUSY: StubResponse = {
  status: 429,
  code: 'resource_exhausted',
  msg: 'twirp error unknown: call transfer failed: sip status: 486: Busy Here',
  meta: { sip_status_code: '486', sip_status: 'Busy Here' },
};

/** A transfer nobody answered (480 Temporarily Unavailable: resource_exhausted too). */
export const SIP_NO_ANSWER: StubResponse = {
  status: 429,
  code: 'resource_exhausted',
  msg: 'twirp error unknown: call transfer failed: sip status: 480: Temporarily Unavailable',
  meta: { sip_status_code: '480', sip_status: 'Temporarily Unavailable' },
};

/** The caller's phone answered the REFER 403 Forbidden (a line that does not allow transfers). */
export const SIP_REFER_REFUSED: StubResponse = {
  status: 403,
  code: 'permission_denied',
  msg: 'twirp error unknown: sip status: 403: Forbidden',
  meta: { sip_status_code: '403', sip_status: 'Forbidden' },
};

/**
 * The ringing timeout passed with no outcome: nobody answered, or the caller's phone accepted the
 * REFER (202) and never sent the NOTIFY saying how it went.
 */
export const SIP_TIMED_OUT: StubResponse = {
  status: 408,
  code: 'deadline_exceeded',
  msg: 'twirp error unknown: request timed out',
};

/** The caller is no longer in the room (hung up before the request). */
export const SIP_PARTICIPANT_GONE: StubResponse = {
  status: 404,
  code: 'not_found',
  msg: 'twirp error unknown: participant does not exist',
};

/** The SIP bridge that carries the call is not running: nothing answers the server's request (after ~1 s). */
export const SIP_BRIDGE_GONE: StubResponse = {
  status: 503,
  code: 'unavailable',
  msg: 'twirp error unknown: no response from servers',
};

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
