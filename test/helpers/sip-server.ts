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

/** A transfer whose destination answered 486 Busy Here, as LiveKit reports it in Twirp JSON. */
export const SIP_BUSY: StubResponse = {
  status: 503,
  code: 'unavailable',
  msg: 'transfer failed',
  meta: { sip_status_code: '486', sip_status: 'Busy Here' },
};

/** A transfer nobody answered (480 Temporarily Unavailable). */
export const SIP_NO_ANSWER: StubResponse = {
  status: 503,
  code: 'unavailable',
  msg: 'transfer failed',
  meta: { sip_status_code: '480', sip_status: 'Temporarily Unavailable' },
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
