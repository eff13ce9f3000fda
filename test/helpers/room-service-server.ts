/**
 * A local stand-in for LiveKit's RoomService Twirp API (see {@link startTwirpStub}), for tests and
 * benchmarks that end calls with a real `RoomServiceClient` and no LiveKit server: it serves
 * `DeleteRoom` and `RemoveParticipant`, with the grants livekit-server-sdk's client requests.
 *
 * @example
 * ```ts
 * const stub = await startRoomServiceStub();
 * stub.respondWith({ status: 503 }); // first request fails, the next one succeeds
 * await hangupCall({ session, roomService: stub.client(), roomName: 'call-1' });
 * expect(stub.requests.map((r) => r.status)).toEqual([503, 200]);
 * await stub.close();
 * ```
 */
import { RoomServiceClient } from 'livekit-server-sdk';
import { startTwirpStub, type TwirpStub } from './twirp-stub.js';

export type { RecordedRequest, StubResponse } from './twirp-stub.js';

export interface RoomServiceStub extends TwirpStub {
  /** A real `RoomServiceClient` pointed at the stub, with its credentials unless overridden. */
  client(credentials?: { apiKey?: string; apiSecret?: string }): RoomServiceClient;
}

export async function startRoomServiceStub(): Promise<RoomServiceStub> {
  const stub = await startTwirpStub('livekit.RoomService', {
    DeleteRoom: ({ video }) => video?.roomCreate === true,
    RemoveParticipant: ({ video }, body) => video?.roomAdmin === true && video.room === body.room,
  });
  return {
    ...stub,
    client: (credentials) =>
      new RoomServiceClient(
        stub.url,
        credentials?.apiKey ?? stub.apiKey,
        credentials?.apiSecret ?? stub.apiSecret,
        { requestTimeout: 5 },
      ),
  };
}
