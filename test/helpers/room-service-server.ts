/**
 * A local stand-in for LiveKit's RoomService Twirp API, for tests and benchmarks that end calls
 * with a real `RoomServiceClient` and no LiveKit server.
 *
 * It serves `POST /twirp/livekit.RoomService/DeleteRoom` and `.../RemoveParticipant` on
 * 127.0.0.1, verifies the bearer token and its grants like the server does, records every request,
 * and answers from a scriptable queue (200 `{}` when the queue is empty).
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
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AsyncIterableQueue } from '@livekit/agents';
import { type ClaimGrants, RoomServiceClient, TokenVerifier } from 'livekit-server-sdk';

/** One request the stub received. */
export interface RecordedRequest {
  /** The Twirp method, e.g. `'DeleteRoom'`. */
  method: string;
  /** The request body: `{ room }` for DeleteRoom, `{ room, identity }` for RemoveParticipant. */
  body: Record<string, unknown>;
  /** The verified token's video grant; `undefined` when the token did not verify. */
  grant: ClaimGrants['video'];
  /** `process.hrtime.bigint()` when the request arrived (before its body was read). */
  time: bigint;
  /** The HTTP status answered; 0 when the connection was dropped or left unanswered. */
  status: number;
}

/**
 * A scripted answer: an HTTP status with an optional Twirp error (`code`, `msg`), `'drop'` to
 * destroy the connection (the client sees a network error), or `'hang'` never to answer (the
 * client sees its own timeout, if it has one; `close()` drops the connection).
 */
export type StubResponse = { status: number; code?: string; msg?: string } | 'drop' | 'hang';

export interface RoomServiceStub {
  /** `http://127.0.0.1:<port>`: the host to give a `RoomServiceClient`. */
  url: string;
  apiKey: string;
  apiSecret: string;
  /** Every request so far, in arrival order. */
  requests: RecordedRequest[];
  /** Queues answers for the next requests, in order; once used up, requests get 200 `{}`. */
  respondWith(...responses: StubResponse[]): void;
  /** The next request not yet returned by `nextRequest()` (waits for it if need be). */
  nextRequest(): Promise<RecordedRequest>;
  /** A real `RoomServiceClient` pointed at the stub, with its credentials unless overridden. */
  client(credentials?: { apiKey?: string; apiSecret?: string }): RoomServiceClient;
  /** Stops the server and drops open connections. */
  close(): Promise<void>;
}

const PREFIX = '/twirp/livekit.RoomService/';

/** The grant each served method requires, as livekit-server-sdk's RoomServiceClient requests it. */
const REQUIRED_GRANT: Record<string, (grant: ClaimGrants['video'], room: unknown) => boolean> = {
  DeleteRoom: (grant) => grant?.roomCreate === true,
  RemoveParticipant: (grant, room) => grant?.roomAdmin === true && grant.room === room,
};

export async function startRoomServiceStub(): Promise<RoomServiceStub> {
  const apiKey = 'APIroomservicestub';
  const apiSecret = randomBytes(32).toString('hex');
  const verifier = new TokenVerifier(apiKey, apiSecret);
  const requests: RecordedRequest[] = [];
  const arrivals = new AsyncIterableQueue<RecordedRequest>();
  const script: StubResponse[] = [];

  const answer = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const time = process.hrtime.bigint();
    const method = req.url?.startsWith(PREFIX) ? req.url.slice(PREFIX.length) : '';
    const body = JSON.parse((await readBody(req)) || '{}') as Record<string, unknown>;
    const grant = await verify(verifier, req.headers.authorization);
    const record = (status: number) => {
      const request = { method, body, grant, time, status };
      requests.push(request);
      arrivals.put(request);
    };

    if (script[0] === 'drop' || script[0] === 'hang') {
      const unanswered = script.shift();
      record(0);
      if (unanswered === 'drop') req.socket.destroy();
      return;
    }
    const [status, code, msg] = decide(req.method, method, grant, body.room, script);
    record(status);
    res.statusCode = status;
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify(status < 300 ? {} : { code: code ?? 'internal', msg: msg ?? '' }));
  };

  const server = createServer((req, res) => {
    answer(req, res).catch((error: unknown) => {
      res.statusCode = 500;
      res.end(String(error));
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    apiKey,
    apiSecret,
    requests,
    respondWith: (...responses) => {
      script.push(...responses);
    },
    nextRequest: async () => {
      const { value, done } = await arrivals.next();
      if (done) throw new Error('the RoomService stub is closed');
      return value;
    },
    client: (credentials) =>
      new RoomServiceClient(
        url,
        credentials?.apiKey ?? apiKey,
        credentials?.apiSecret ?? apiSecret,
        { requestTimeout: 5 },
      ),
    close: async () => {
      arrivals.close();
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

/** Routing and auth as the server does them; a scripted answer is used only by a request that passes both. */
function decide(
  httpMethod: string | undefined,
  method: string,
  grant: ClaimGrants['video'],
  room: unknown,
  script: StubResponse[],
): [status: number, code?: string, msg?: string] {
  const permitted = REQUIRED_GRANT[method];
  if (httpMethod !== 'POST' || !permitted) return [404, 'bad_route', `no handler for ${method}`];
  if (!grant) return [401, 'unauthenticated', 'invalid token'];
  if (!permitted(grant, room)) return [403, 'permission_denied', 'permissions denied'];
  const scripted = script.shift();
  return typeof scripted === 'object' ? [scripted.status, scripted.code, scripted.msg] : [200];
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** The token's video grant, or `undefined` when it is missing or does not verify. */
async function verify(
  verifier: TokenVerifier,
  authorization: string | undefined,
): Promise<ClaimGrants['video']> {
  const token = authorization?.startsWith('Bearer ') ? authorization.slice(7) : undefined;
  if (!token) return undefined;
  // A bad signature or an expired token is what the stub reports as 401: not an error here.
  const claims = await verifier.verify(token).catch(() => undefined);
  return claims ? ((claims as ClaimGrants).video ?? {}) : undefined;
}
