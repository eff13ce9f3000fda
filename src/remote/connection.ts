/**
 * Bounded requests to LangGraph Server: a server that is down fails a turn in seconds, with a
 * message naming it, instead of after the SDK's own retries (~20 s per run) times the stream's.
 */
import { explainRemoteError, printableUrl, type RequestState } from './errors.js';

/**
 * How long a run waits for LangGraph Server to answer its request (connection plus response
 * headers or a first part), in ms. The server answers as soon as it has created the run, before
 * the graph does anything, so a slow graph is not affected; only a server that cannot be reached
 * or does not answer is. The stream runs a failed attempt again, so a turn waits at most about
 * (retries + 1) × this, plus the retry intervals.
 */
export const ANSWER_TIMEOUT_MS = 2_000;

/**
 * How long any other request (a state read, a cancel) may take when the graph's client sets no
 * `timeoutMs`, in ms. Without it, a server that accepts connections and never answers holds the
 * turn forever (the adapter reads the thread's state before a run), and each such request keeps
 * one of the client's few concurrent slots.
 */
export const REQUEST_TIMEOUT_MS = 3_000;

/** The settings of an SDK client (`BaseClient`) that a copy of it must keep. */
interface ClientSettings {
  apiUrl?: unknown;
  defaultHeaders?: Record<string, unknown>;
  timeoutMs?: number;
  onRequest?: unknown;
  streamProtocol?: unknown;
  asyncCaller?: { maxConcurrency?: number; customFetch?: Fetch; onFailedResponseHook?: unknown };
}

type Fetch = (input: unknown, init?: { signal?: AbortSignal | null }) => Promise<unknown>;

/**
 * A copy of `client` (an SDK `Client`: same URL, headers — the API key among them —, timeout,
 * hooks and `fetch`) whose requests the SDK does not retry, whose requests other than run streams
 * time out after {@link REQUEST_TIMEOUT_MS} unless the client has a timeout of its own, and whose failed connections keep
 * their error code (ECONNREFUSED, ENOTFOUND) instead of becoming a bare "fetch failed". The stream
 * retries a failed run itself (barge-in aware, counted against the turn); on top of that the
 * SDK's client retried a refused connection 4 times with backoff, ~20 s per run (since
 * https://github.com/langchain-ai/langgraphjs/pull/2388; https://github.com/langchain-ai/langgraphjs/blob/f8bdf16d4fe23a79e945ea5dc6f86bbf09abb77d/libs/sdk/src/utils/async_caller.ts#L194).
 *
 * A client of another shape (not from the SDK) is returned as it is.
 */
export function boundedClient<T extends object>(client: T): T {
  const settings = (client as { runs?: ClientSettings }).runs;
  if (typeof settings?.apiUrl !== 'string' || typeof settings.asyncCaller !== 'object') {
    return client;
  }
  const { apiUrl, defaultHeaders, timeoutMs, onRequest, streamProtocol, asyncCaller } = settings;
  const Client = client.constructor as new (config: Record<string, unknown>) => T;
  return new Client({
    apiUrl,
    // the key is in `defaultHeaders` already; `null` keeps the SDK from reading the environment
    apiKey: null,
    defaultHeaders,
    // the SDK applies it to every request but a run's stream, which it never times out
    timeoutMs: timeoutMs ?? REQUEST_TIMEOUT_MS,
    onRequest,
    streamProtocol,
    callerOptions: {
      maxRetries: 0,
      maxConcurrency: asyncCaller.maxConcurrency,
      onFailedResponseHook: asyncCaller.onFailedResponseHook,
      fetch: keepingCause(asyncCaller.customFetch),
    },
  });
}

/** The URL of `client`'s server, fit for an error message (see {@link printableUrl}). */
export function serverUrl(client: object): string {
  const apiUrl = (client as { runs?: ClientSettings }).runs?.apiUrl;
  return typeof apiUrl === 'string' ? printableUrl(apiUrl) : '(unknown URL)';
}

/**
 * `fetch` whose network failures keep their cause: the SDK replaces any error whose message says
 * "fetch failed" with one that has neither cause nor code. The SDK's own default `fetch` is
 * looked up at each call, as the SDK does.
 */
function keepingCause(custom: Fetch | undefined): Fetch {
  return async (input, init) => {
    const fetchImpl =
      custom ??
      ((globalThis as Record<symbol, unknown>)[Symbol.for('lg:fetch_implementation')] as
        | Fetch
        | undefined) ??
      (fetch as Fetch);
    try {
      return await fetchImpl(input, init);
    } catch (error) {
      // an aborted request (barge-in, the answer timeout) is not a network failure
      if (init?.signal?.aborted || !(error instanceof TypeError)) throw error;
      const failure = new Error('could not connect', { cause: error });
      failure.name = 'ConnectFailure';
      throw failure;
    }
  };
}

/**
 * The wait for the server's answer to one run request: aborts the request when it runs out, and
 * explains the request's failure with what it knew (answered or not, timed out or not).
 */
export class AnswerWait {
  readonly #controller = new AbortController();
  readonly #timer: NodeJS.Timeout;
  readonly #state: RequestState;

  constructor(url: string, timeoutMs: number) {
    this.#state = { url, answered: false, timedOutAfterMs: undefined };
    this.#timer = setTimeout(() => {
      this.#state.timedOutAfterMs = timeoutMs;
      this.#controller.abort(new DOMException('no answer from LangGraph Server', 'TimeoutError'));
    }, timeoutMs);
  }

  /** Aborts when the answer did not come in time. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** The server answered: from now on the run may take as long as the graph needs. */
  answered(): void {
    this.#state.answered = true;
    clearTimeout(this.#timer);
  }

  /** Stops the timer of a request that ended. */
  clear(): void {
    clearTimeout(this.#timer);
  }

  /** `parts` of the run, with its failures explained (see {@link explainRemoteError}). */
  async *watch<T>(parts: AsyncIterable<T>, signal: AbortSignal | undefined): AsyncGenerator<T> {
    try {
      for await (const part of parts) {
        this.answered();
        yield part;
      }
    } catch (error) {
      // a barge-in is not a server failure; the stream drops the error of an aborted run
      throw signal?.aborted ? error : explainRemoteError(error, this.#state);
    } finally {
      this.clear();
    }
  }
}
