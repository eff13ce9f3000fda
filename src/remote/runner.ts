/**
 * What a `RemoteGraph` (a graph served by LangGraph Server) needs beyond a local graph: UUID
 * thread ids, the stream modes worth their bytes, interrupts that arrive as an exception, and
 * stopping the server's run when the caller barges in.
 */
import { isGraphInterrupt } from '@langchain/langgraph';
import { log } from '@livekit/agents';
import type { GraphRunOptions, StreamMode } from '../stream/run-options.js';
import type { StreamableGraph } from '../stream/stream.js';
import { ANSWER_TIMEOUT_MS, AnswerWait, boundedClient, serverUrl } from './connection.js';
import { remoteThreadId } from './thread-id.js';

/**
 * How long a state read waits for a cancelled run to stop, and how long the cancel request itself
 * may take (a run after a barge-in waits for it); then the next step goes on without it.
 */
const STATE_WAIT_MS = 5_000;

/** The part of `@langchain/langgraph-sdk`'s runs client that is used here. */
interface RunsClient {
  stream(
    threadId: string | null,
    assistantId: string,
    payload?: Record<string, unknown>,
  ): AsyncGenerator<unknown>;
  cancel(
    threadId: string,
    runId: string,
    wait?: boolean,
    action?: 'interrupt' | 'rollback',
    options?: { signal?: AbortSignal },
  ): Promise<void>;
}

/**
 * The fields of `RemoteGraph` (from `@langchain/langgraph/remote`) that are used here. `client`
 * is `protected` in its type declaration but a plain public field at run time; it is read, never
 * changed.
 */
export interface RemoteGraphLike extends StreamableGraph {
  graphId: string;
  client: { runs: RunsClient };
  config?: unknown;
  interruptBefore?: unknown;
  interruptAfter?: unknown;
  streamResumable?: unknown;
  getState(config: Record<string, unknown>): Promise<unknown>;
  updateState(config: Record<string, unknown>, values: unknown, asNode?: string): Promise<unknown>;
}

/** Whether `graph` is a `RemoteGraph` (checked by shape, so another copy of LangGraph counts too). */
export function isRemoteGraph(graph: unknown): graph is RemoteGraphLike {
  const candidate = graph as Partial<RemoteGraphLike> | undefined;
  return (
    typeof candidate?.graphId === 'string' &&
    typeof candidate.client?.runs?.stream === 'function' &&
    typeof candidate.client.runs.cancel === 'function' &&
    typeof candidate.getState === 'function'
  );
}

/**
 * The stream modes a remote run asks for. `tasks` is dropped: the server accepts it, but every
 * task start carries the task's whole input state (the thread's messages), so each turn would
 * download the conversation again, only to name a failing node in an error.
 */
export function remoteStreamModes(modes: readonly StreamMode[]): StreamMode[] {
  return modes.filter((mode) => mode !== 'tasks');
}

/**
 * Runs a `RemoteGraph` the way `LangGraphStream` runs a local graph:
 *
 * - the thread id is sent as {@link remoteThreadId};
 * - `GraphInterrupt`, which `RemoteGraph` throws when the graph calls `interrupt()`, becomes the
 *   `updates` part with `__interrupt__` that a local graph yields, and the run ends normally;
 * - an aborted run is cancelled on the server, and the next run on that thread waits until the
 *   server has stopped it. Without this the run goes on after a barge-in (the server's default is
 *   `on_disconnect: 'continue'`) and the next turn is refused: "Thread is already running a task";
 * - requests go through a copy of the graph's client that the SDK does not retry
 *   ({@link boundedClient}), a run waits at most `answerTimeoutMs` for the server's answer, and a
 *   server that cannot be reached, does not answer or drops the stream fails the run with a
 *   `RemoteServerError` that names it and what to check.
 */
export class RemoteRunner implements StreamableGraph {
  readonly #graph: RemoteGraphLike;
  readonly #url: string;
  readonly #answerTimeoutMs: number;
  /** Cancellations still under way, per server thread. */
  readonly #stopping = new Map<string, Promise<void>>();

  /**
   * @param answerTimeoutMs how long a run waits for the server's answer, in ms: internal, a fixed
   * {@link ANSWER_TIMEOUT_MS} for users, shorter in tests of a server that never answers
   */
  constructor(graph: RemoteGraphLike, answerTimeoutMs = ANSWER_TIMEOUT_MS) {
    this.#graph = withClient(graph, boundedClient(graph.client));
    this.#url = serverUrl(graph.client);
    this.#answerTimeoutMs = answerTimeoutMs;
  }

  /** Starts a run on the server, as `RemoteGraph.stream` does, with the additions above. */
  async stream(input: unknown, options: GraphRunOptions): Promise<AsyncIterable<unknown>> {
    const { configurable, signal } = options;
    const threadId = remoteThreadId(configurable.thread_id);
    const stopping = this.#stopping.get(threadId);
    if (stopping) await untilAborted(stopping, signal);
    const run: { id?: string } = {};
    const cancel = () => this.#cancel(threadId, run.id);
    signal?.addEventListener('abort', cancel, { once: true });
    // `stream()` already waits for the first part, so an immediate interrupt() rejects it
    const parts = this.#withRunHooks(run, configurable.checkpoint_id).stream(input, {
      ...options,
      configurable: { ...configurable, thread_id: threadId },
      streamMode: remoteStreamModes(options.streamMode),
    });
    return normalized(parts, options.subgraphs, () => signal?.removeEventListener('abort', cancel));
  }

  /**
   * The thread's state from the server (its thread id mapped like a run's), read once a cancelled
   * run has stopped: before that, the thread may still change under it.
   */
  async getState(config: Record<string, unknown>): Promise<unknown> {
    return this.#graph.getState(await this.#serverConfig(config));
  }

  /** Writes to the server's thread, as {@link getState} reads it. */
  async updateState(
    config: Record<string, unknown>,
    values: unknown,
    asNode?: string,
  ): Promise<unknown> {
    return this.#graph.updateState(await this.#serverConfig(config), values, asNode);
  }

  /** `config` with the server's thread id, once a cancelled run on that thread has stopped. */
  async #serverConfig(config: Record<string, unknown>): Promise<Record<string, unknown>> {
    const threadId = remoteThreadId(String(threadIdOf(config)));
    const stopping = this.#stopping.get(threadId);
    if (stopping) await untilAborted(stopping, AbortSignal.timeout(STATE_WAIT_MS));
    return { ...config, configurable: { ...configurableOf(config), thread_id: threadId } };
  }

  /**
   * A copy of the RemoteGraph whose runs learn their run id, are cancelled by the server when
   * the connection drops (a crashed worker), fork from `checkpointId`, and wait a bounded time
   * for the server's answer. `RemoteGraph.stream` exposes none of these (it drops
   * `checkpoint_id` from the config), but it passes its payload to the SDK's `runs.stream`,
   * which has the first three (`onRunCreated`, `onDisconnect`, `checkpointId`) and a `signal`.
   */
  #withRunHooks(run: { id?: string }, checkpointId: string | undefined): RemoteGraphLike {
    const graph = this.#graph;
    const runs = graph.client.runs;
    const stream: RunsClient['stream'] = (threadId, assistantId, payload) => {
      const wait = new AnswerWait(this.#url, this.#answerTimeoutMs);
      const signal = payload?.signal as AbortSignal | undefined;
      const parts = runs.stream(threadId, assistantId, {
        ...payload,
        ...(checkpointId !== undefined && { checkpointId }),
        signal: signal ? AbortSignal.any([signal, wait.signal]) : wait.signal,
        onDisconnect: 'cancel',
        onRunCreated: (created: { run_id: string }) => {
          wait.answered();
          run.id = created.run_id;
          (payload?.onRunCreated as ((value: unknown) => void) | undefined)?.(created);
        },
      });
      return wait.watch(parts, signal);
    };
    return withClient(graph, delegate(graph.client, { runs: delegate(runs, { stream }) }));
  }

  #cancel(threadId: string, runId: string | undefined): void {
    // no run id yet: the request was cut before the server answered, and `onDisconnect` covers it
    if (runId === undefined) return;
    const stopped = this.#graph.client.runs
      .cancel(threadId, runId, true, undefined, { signal: AbortSignal.timeout(STATE_WAIT_MS) })
      .catch((error: unknown) => {
        // 404: the run is gone already. Otherwise the server still cancels it on the disconnect;
        // the next turn only loses the guarantee that the run has stopped before it starts.
        if ((error as { status?: unknown }).status === 404) return;
        log().warn(
          { error: error instanceof Error ? error.message : String(error) },
          'could not cancel the LangGraph Server run after an abort',
        );
      });
    this.#stopping.set(threadId, stopped);
    void stopped.finally(() => {
      if (this.#stopping.get(threadId) === stopped) this.#stopping.delete(threadId);
    });
  }
}

/** A copy of the RemoteGraph `graph` that talks to its server through `client`. */
function withClient(graph: RemoteGraphLike, client: RemoteGraphLike['client']): RemoteGraphLike {
  if (client === graph.client) return graph;
  const RemoteGraph = graph.constructor as new (params: Record<string, unknown>) => RemoteGraphLike;
  return new RemoteGraph({
    graphId: graph.graphId,
    client,
    config: graph.config,
    interruptBefore: graph.interruptBefore,
    interruptAfter: graph.interruptAfter,
    streamResumable: graph.streamResumable,
  });
}

/** Yields `parts`; a thrown `GraphInterrupt` becomes the `updates` part a local graph yields. */
async function* normalized(
  parts: Promise<AsyncIterable<unknown>>,
  subgraphs: boolean,
  done: () => void,
): AsyncGenerator<unknown> {
  try {
    yield* await parts;
  } catch (error) {
    if (!isGraphInterrupt(error)) throw error;
    // an interrupt is the graph waiting for the caller, not a failure
    const update = { __interrupt__: (error as { interrupts?: unknown }).interrupts ?? [] };
    yield subgraphs ? [[], 'updates', update] : ['updates', update];
  } finally {
    done();
  }
}

/** `target` with some members replaced; its other methods stay bound to it (private fields). */
function delegate<T extends object>(target: T, overrides: Record<string, unknown>): T {
  return new Proxy(target, {
    get(object, key) {
      if (typeof key === 'string' && key in overrides) return overrides[key];
      const value: unknown = Reflect.get(object, key);
      return typeof value === 'function' ? value.bind(object) : value;
    },
  });
}

const configurableOf = (options: Record<string, unknown>): Record<string, unknown> =>
  (options.configurable as Record<string, unknown> | undefined) ?? {};

const threadIdOf = (options: Record<string, unknown>): unknown => configurableOf(options).thread_id;

/** Waits for `promise`, or less when `signal` aborts (the caller then sees the aborted signal). */
async function untilAborted(
  promise: Promise<void>,
  signal: AbortSignal | undefined,
): Promise<void> {
  if (!signal) return promise;
  if (signal.aborted) return;
  let onAbort = () => {};
  const aborted = new Promise<void>((resolve) => {
    onAbort = resolve;
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    await Promise.race([promise, aborted]);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}
