/**
 * The RoomService side of the LiveKit API: the credentials every LiveKit client of the package is
 * built with, and the hangup's requests (DeleteRoom, RemoveParticipant), retried within bounds.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { type JobContext, log } from '@livekit/agents';
import { RoomServiceClient } from 'livekit-server-sdk';
import { z } from 'zod';
import { logFields, messageOf } from '../speak-then-act/failures.js';

/**
 * How long one RoomService request may take, in seconds (the unit of the SDK's `requestTimeout`).
 * 5 s is the smallest value that keeps the SDK's LiveKit Cloud region failover enabled
 * (https://github.com/livekit/node-sdks/blob/716859a20a5a6a925241bc33a9352d6c91aa185e/packages/livekit-server-sdk/src/failover.ts#L36).
 */
const REQUEST_TIMEOUT_S = 5;

/** Attempts per RoomService request: the first one plus three retries. */
const MAX_ATTEMPTS = 4;

/** Wait before the first retry; it doubles before each further one (100, 200, 400 ms). */
const FIRST_RETRY_DELAY_MS = 100;

/** A LiveKit server URL and the API key pair that signs RoomService requests. */
export interface LiveKitCredentials {
  url: string;
  apiKey: string;
  apiSecret: string;
}

/** Names a missing variable without ever echoing a value that is present. */
const envVar = (invalid: string) => ({
  error: (issue: { input?: unknown }) =>
    issue.input === undefined || issue.input === '' ? 'is not set' : invalid,
});

const envSchema = z.object({
  LIVEKIT_URL: z.url(envVar('is not a URL (e.g. wss://my-project.livekit.cloud)')),
  LIVEKIT_API_KEY: z.string(envVar('is not a string')).min(1, envVar('is empty')),
  LIVEKIT_API_SECRET: z.string(envVar('is not a string')).min(1, envVar('is empty')),
});

/**
 * Reads `LIVEKIT_URL`, `LIVEKIT_API_KEY` and `LIVEKIT_API_SECRET`.
 *
 * @throws when any of them is missing or malformed; the message names each such variable and
 * never contains a value.
 */
export function readEnvCredentials(owner: string, env = process.env): LiveKitCredentials {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((issue) => `${String(issue.path[0])} ${issue.message}`)
      .join(', ');
    throw new Error(
      `${owner}: no LiveKit credentials to end the call with (${problems}) — set LIVEKIT_URL, ` +
        'LIVEKIT_API_KEY and LIVEKIT_API_SECRET, pass `roomService`, or create the tool inside ' +
        'a LiveKit job entrypoint',
    );
  }
  return {
    url: parsed.data.LIVEKIT_URL,
    apiKey: parsed.data.LIVEKIT_API_KEY,
    apiSecret: parsed.data.LIVEKIT_API_SECRET,
  };
}

/**
 * The client that ends the call: `explicit` when given, else one built from the job's
 * credentials (the ones `JobContext.deleteRoom` uses), else from `envCredentials` or the
 * environment. A client built here bounds each request with {@link REQUEST_TIMEOUT_S}.
 */
export function roomServiceFor(
  owner: string,
  explicit: RoomServiceClient | undefined,
  job: JobContext | undefined,
  envCredentials: LiveKitCredentials | undefined,
): RoomServiceClient {
  return (
    explicit ??
    clientFor(owner, job, envCredentials, (url, apiKey, apiSecret) => {
      return new RoomServiceClient(url, apiKey, apiSecret, { requestTimeout: REQUEST_TIMEOUT_S });
    })
  );
}

/** A LiveKit API client `build` makes with the credentials of {@link credentialsFor}. */
export function clientFor<T>(
  owner: string,
  job: JobContext | undefined,
  envCredentials: LiveKitCredentials | undefined,
  build: (url: string, apiKey: string | undefined, apiSecret: string | undefined) => T,
): T {
  const { url, apiKey, apiSecret } = credentialsFor(owner, job, envCredentials);
  return build(url, apiKey, apiSecret);
}

/**
 * The credentials a LiveKit API client is built with: the job's (the ones `JobContext.deleteRoom`
 * uses), else `envCredentials` read at construction, else the environment now.
 */
export function credentialsFor(
  owner: string,
  job: JobContext | undefined,
  envCredentials: LiveKitCredentials | undefined,
): { url: string; apiKey: string | undefined; apiSecret: string | undefined } {
  // a job's key pair may be left unset (the SDK then reads LIVEKIT_API_KEY / _SECRET itself)
  if (job) return { url: job.info.url, apiKey: job.info.apiKey, apiSecret: job.info.apiSecret };
  return envCredentials ?? readEnvCredentials(owner);
}

/** Deletes `roomName`, which disconnects everyone in it (SIP legs included). */
export function deleteRoom(
  owner: string,
  client: RoomServiceClient,
  roomName: string,
  signal?: AbortSignal,
): Promise<void> {
  return withRetry(owner, 'DeleteRoom', () => client.deleteRoom(roomName), signal);
}

/** Removes each participant in `identities` from `roomName`; the room stays up. */
export async function removeParticipants(
  owner: string,
  client: RoomServiceClient,
  roomName: string,
  identities: readonly string[],
  signal?: AbortSignal,
): Promise<void> {
  for (const identity of identities) {
    await withRetry(
      owner,
      'RemoveParticipant',
      () => client.removeParticipant(roomName, identity),
      signal,
    );
  }
}

/**
 * Runs one RoomService request with bounded retries.
 *
 * - `not_found` (404): the room or participant is already gone, which is what we wanted: success.
 *   A 404 with another Twirp code (`bad_route`: not a LiveKit server) is an error.
 * - 401 / 403: the credentials are wrong; retrying cannot help, so it throws at once.
 * - network errors, timeouts, 408, 429 and 5xx: retried up to {@link MAX_ATTEMPTS} times with exponential
 *   backoff; `signal` (the hangup's deadline, a cancelled `hangupCall`) aborts the wait between
 *   attempts and prevents the next one.
 * - anything else: thrown at once.
 */
async function withRetry(
  owner: string,
  method: string,
  request: () => Promise<unknown>,
  signal: AbortSignal | undefined,
): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    signal?.throwIfAborted();
    try {
      await request();
      return;
    } catch (error) {
      const { status, code } = errorFields(error);
      if (code === 'not_found' || (status === 404 && code === undefined)) {
        log().debug({ method, status }, 'RoomService target already gone, nothing to end');
        return;
      }
      if (status === 401 || status === 403) {
        throw new Error(
          `${owner}: LiveKit rejected the ${method} request (${status}${code ? ` ${code}` : ''}) ` +
            '— check LIVEKIT_API_KEY and LIVEKIT_API_SECRET (or the credentials of `roomService`) ' +
            'and that the key has the roomAdmin and roomCreate grants',
          { cause: error },
        );
      }
      const transient = isTransientApiError(error, status);
      if (!transient || attempt === MAX_ATTEMPTS) {
        const fix = transient
          ? 'check that LIVEKIT_URL points at a reachable LiveKit server'
          : 'check that LIVEKIT_URL is a LiveKit server and that the room name is right';
        throw new Error(
          `${owner}: ${method} failed after ${attempt} attempt(s) (${status ?? messageOf(error)}) — ${fix}`,
          { cause: error },
        );
      }
      log().warn(
        { method, attempt, status, code, ...logFields(error) },
        'RoomService request failed, retrying',
      );
      await sleep(FIRST_RETRY_DELAY_MS * 2 ** (attempt - 1), undefined, { signal });
    }
  }
}

/** `status` and `code` of a livekit-server-sdk `TwirpError`; network errors carry neither. */
function errorFields(error: unknown): { status?: number; code?: string } {
  if (typeof error !== 'object' || error === null) return {};
  const { status, code } = error as { status?: unknown; code?: unknown };
  return {
    status: typeof status === 'number' ? status : undefined,
    code: typeof code === 'string' ? code : undefined,
  };
}

/**
 * Whether sending a RoomService request again can fix `error`: HTTP 408, 429 or 5xx, or no answer
 * at all (`fetch` failed, the SDK's `requestTimeout` fired) — the rule of a graph run's retries
 * (`isTransientRunError` in src/stream/), read from the only two shapes livekit-server-sdk throws:
 * a `TwirpError` with its HTTP status, or fetch's own error.
 */
function isTransientApiError(error: unknown, status: number | undefined): boolean {
  if (status !== undefined) return status === 408 || status === 429 || status >= 500;
  return (
    (error instanceof TypeError && error.message === 'fetch failed') ||
    (error instanceof Error && error.name === 'TimeoutError')
  );
}
