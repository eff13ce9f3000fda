/**
 * A local stand-in for a LiveKit Twirp service (RoomService, SIP), for tests, benchmarks and the
 * demo that call the LiveKit API with a real livekit-server-sdk client and no LiveKit server.
 *
 * It serves `POST /twirp/<service>/<method>` on 127.0.0.1, verifies the bearer token and the
 * grants each method requires like the server does, records every request, and answers from a
 * scriptable queue (200 `{}` when the queue is empty).
 */
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AsyncIterableQueue } from '@livekit/agents';
import { type ClaimGrants, TokenVerifier } from 'livekit-server-sdk';

/** One request the stub received. */
export interface RecordedRequest {
  /** The Twirp method, e.g. `'DeleteRoom'`. */
  method: string;
  /** The request body, e.g. `{ room }` for DeleteRoom. */
  body: Record<string, unknown>;
  /** The verified token's video grant; `undefined` when the token did not verify. */
  grant: ClaimGrants['video'];
  /** The verified token's SIP grant; `undefined` when it has none or did not verify. */
  sipGrant: ClaimGrants['sip'];
  /** `process.hrtime.bigint()` when the request arrived (before its body was read). */
  time: bigint;
  /** The HTTP status answered; 0 when the connection was dropped or left hanging. */
  status: number;
}

/**
 * A scripted answer: an HTTP status with an optional Twirp error (`code`, `msg`, `meta`),
 * `'drop'` to destroy the connection (the client sees a network error), or `'hang'` to never
 * answer (until the stub closes).
 */
export type StubResponse =
  | {
      status: number;
      code?: string;
      msg?: string;
      meta?: Record<string, string>;
      /** Answer only after this many ms, like a transfer that rings first. */
      delayMs?: number;
    }
  | 'drop'
  | 'hang';

/** Whether a verified token may call a method on a request with this body. */
export type GrantCheck = (claims: ClaimGrants, body: Record<string, unknown>) => boolean;

export interface TwirpStub {
  /** `http://127.0.0.1:<port>`: the host to give a livekit-server-sdk client. */
  url: string;
  apiKey: string;
  apiSecret: string;
  /** Every request so far, in arrival order. */
  requests: RecordedRequest[];
  /** Queues answers for the next requests, in order; once used up, requests get 200 `{}`. */
  respondWith(...responses: StubResponse[]): void;
  /** The next request not yet returned by `nextRequest()` (waits for it if need be). */
  nextRequest(): Promise<RecordedRequest>;
  /** Stops the server and drops open connections (hanging ones included). */
  close(): Promise<void>;
}

/** Starts a stand-in for Twirp service `service` (e.g. `'livekit.SIP'`) serving `methods`. */
export async function startTwirpStub(
  service: string,
  methods: Readonly<Record<string, GrantCheck>>,
): Promise<TwirpStub> {
  const prefix = `/twirp/${service}/`;
  const apiKey = `APIstub${randomBytes(4).toString('hex')}`;
  const apiSecret = randomBytes(32).toString('hex');
  const verifier = new TokenVerifier(apiKey, apiSecret);
  const requests: RecordedRequest[] = [];
  const arrivals = new AsyncIterableQueue<RecordedRequest>();
  const script: StubResponse[] = [];

  const answer = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const time = process.hrtime.bigint();
    const method = req.url?.startsWith(prefix) ? req.url.slice(prefix.length) : '';
    const body = JSON.parse((await readBody(req)) || '{}') as Record<string, unknown>;
    const claims = await verify(verifier, req.headers.authorization);
    const record = (status: number) => {
      const request = { method, body, grant: claims?.video, sipGrant: claims?.sip, time, status };
      if (claims && !request.grant) request.grant = {};
      requests.push(request);
      arrivals.put(request);
    };

    const next = script[0];
    if (next === 'drop' || next === 'hang') {
      script.shift();
      record(0);
      if (next === 'drop') req.socket.destroy();
      return;
    }
    const delayMs = typeof next === 'object' ? next.delayMs : undefined;
    const [status, error] = decide(req.method, methods[method], method, claims, body, script);
    record(status);
    if (delayMs) await new Promise((resolve) => setTimeout(resolve, delayMs));
    res.statusCode = status;
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify(status < 300 ? {} : error));
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
      if (done) throw new Error(`the ${service} stub is closed`);
      return value;
    },
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
  permitted: GrantCheck | undefined,
  method: string,
  claims: ClaimGrants | undefined,
  body: Record<string, unknown>,
  script: StubResponse[],
): [status: number, error?: { code: string; msg: string; meta?: Record<string, string> }] {
  if (httpMethod !== 'POST' || !permitted) {
    return [404, { code: 'bad_route', msg: `no handler for ${method}` }];
  }
  if (!claims) return [401, { code: 'unauthenticated', msg: 'invalid token' }];
  if (!permitted(claims, body))
    return [403, { code: 'permission_denied', msg: 'permissions denied' }];
  const scripted = script.shift();
  if (!scripted || typeof scripted === 'string' || scripted.status < 300) {
    return [typeof scripted === 'object' ? scripted.status : 200];
  }
  const { status, code, msg, meta } = scripted;
  return [status, { code: code ?? 'internal', msg: msg ?? '', ...(meta && { meta }) }];
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** The token's claims, or `undefined` when it is missing or does not verify. */
async function verify(
  verifier: TokenVerifier,
  authorization: string | undefined,
): Promise<ClaimGrants | undefined> {
  const token = authorization?.startsWith('Bearer ') ? authorization.slice(7) : undefined;
  if (!token) return undefined;
  // A bad signature or an expired token is what the stub reports as 401: not an error here.
  return (
    ((await verifier.verify(token).catch(() => undefined)) as ClaimGrants | undefined) ?? undefined
  );
}
