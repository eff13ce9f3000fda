/**
 * What a failed request to LangGraph Server becomes: an error that names the server and what to
 * check, instead of the SDK's "fetch failed" or undici's "TypeError: terminated".
 */

/**
 * LangGraph Server could not be reached, did not answer in time, refused the credentials, or
 * dropped a run's stream. `retryable` says whether running the turn again can help: a server that
 * is restarting answers the next attempt, a wrong API key does not.
 */
export class RemoteServerError extends Error {
  override readonly name = 'RemoteServerError';
  constructor(
    message: string,
    readonly retryable: boolean,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** Where a run's request to the server was when it failed. */
export interface RequestState {
  /** The server's URL as printed: no credentials, no query (see {@link printableUrl}). */
  url: string;
  /** Whether the server answered the request (response headers or a first part arrived). */
  answered: boolean;
  /** The wait for the answer, in ms, when it ran out; `undefined` when it did not. */
  timedOutAfterMs: number | undefined;
}

/** The checks that fix a server nobody can reach. */
const checkServer = (state: string) =>
  `check that the server is ${state} (\`langgraph dev\` locally, or your deployment) and ` +
  "that the RemoteGraph's url is right";

/**
 * `error` explained, when it is one of the failures a caller's turn can meet on the way to the
 * server; any other error (a graph error the server reported, a 404 assistant) is returned as is.
 */
export function explainRemoteError(error: unknown, state: RequestState): unknown {
  if (error instanceof RemoteServerError || !(error instanceof Error)) return error;
  const { url } = state;
  if (state.timedOutAfterMs !== undefined) {
    return new RemoteServerError(
      `LangGraph Server at ${url} did not answer within ${state.timedOutAfterMs} ms — ${checkServer('running and not overloaded')}`,
      true,
      { cause: error },
    );
  }
  const status = (error as { status?: unknown }).status;
  if (status === 401 || status === 403) {
    return new RemoteServerError(
      `LangGraph Server at ${url} rejected the request (HTTP ${status}) — check the API key: the ` +
        "RemoteGraph's apiKey, or LANGGRAPH_API_KEY / LANGSMITH_API_KEY",
      false,
      { cause: error },
    );
  }
  if (!state.answered && isConnectFailure(error)) {
    return new RemoteServerError(
      `LangGraph Server at ${url} is unreachable (${connectCode(error) ?? rootMessage(error)}) — ${checkServer('running')}`,
      true,
      { cause: error },
    );
  }
  if (state.answered && isDroppedStream(error)) {
    return new RemoteServerError(
      `LangGraph Server at ${url} closed the stream mid-run (${error.message}) — check the ` +
        "server's logs: it crashed, restarted or was redeployed",
      true,
      { cause: error },
    );
  }
  return error;
}

/**
 * `apiUrl` without user name, password, query or fragment: what an error message may show. A
 * URL that does not parse is not printed at all, since it could be anything.
 */
export function printableUrl(apiUrl: string): string {
  try {
    const url = new URL(apiUrl);
    url.username = '';
    url.password = '';
    url.search = '';
    url.hash = '';
    return url.href.replace(/\/$/, '');
  } catch {
    return '(an unparsable URL)';
  }
}

/**
 * A failed connection: `ConnectFailure` from the bounded client (connection.ts), the SDK's
 * `ConnectionError` ("Unable to connect to LangGraph server") from a client of its own, or a raw
 * `fetch` failure (a TypeError whose cause has a code).
 */
function isConnectFailure(error: Error): boolean {
  return (
    error.name === 'ConnectionError' ||
    error.name === 'ConnectFailure' ||
    (error.name === 'TypeError' && error.message === 'fetch failed') ||
    connectCode(error) !== undefined
  );
}

/** undici reports a peer that went away mid-body as `TypeError: terminated`. */
function isDroppedStream(error: Error): boolean {
  return (
    (error.name === 'TypeError' && error.message === 'terminated') ||
    // LangGraph Platform sends a Location header, so the SDK reconnects before it gives up
    error.name === 'MaxReconnectAttemptsError' ||
    error.name === 'StreamIdleTimeoutError' ||
    errorCode(error.cause) === 'UND_ERR_SOCKET'
  );
}

const CONNECT_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** The system error code of a failed connection, searched along the cause chain. */
function connectCode(error: unknown, depth = 0): string | undefined {
  if (depth > 4 || typeof error !== 'object' || error === null) return undefined;
  const code = errorCode(error);
  if (code !== undefined && CONNECT_CODES.has(code)) return code;
  const { cause, errors } = error as { cause?: unknown; errors?: unknown };
  if (Array.isArray(errors)) {
    for (const inner of errors) {
      const found = connectCode(inner, depth + 1);
      if (found) return found;
    }
  }
  return cause === error ? undefined : connectCode(cause, depth + 1);
}

/** The message of the innermost cause: undici's reason ("bad port") under "fetch failed". */
function rootMessage(error: Error): string {
  let inner: unknown = error;
  for (let depth = 0; depth < 4 && (inner as { cause?: unknown }).cause instanceof Error; depth++) {
    inner = (inner as { cause: Error }).cause;
  }
  return (inner as Error).message;
}

function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}
