/**
 * `LLMAdapter`: a LangGraph graph as the `llm.LLM` of a LiveKit voice agent.
 */
import { randomUUID } from 'node:crypto';
import {
  type APIConnectOptions,
  DEFAULT_API_CONNECT_OPTIONS,
  getJobContext,
  llm,
  log,
  type voice,
} from '@livekit/agents';
import {
  type AdapterConfig,
  type LLMAdapterOptions,
  MAX_ERROR_LINES_IN_A_ROW,
  resolveAdapterOptions,
} from './adapter-options.js';
import { recordCallAction } from './call/report.js';
import { ThreadLedger } from './memory/ledger.js';
import { TurnConfirmations } from './memory/preemptive.js';
import type { CallAction } from './stream/call-actions.js';
import { storeFinishedThread } from './stream/finished-thread.js';
import { toLangChainMessages } from './stream/messages.js';
import { PartClassifier } from './stream/parts.js';
import { type GraphRunOptions, LATEST_STREAM_MODES, STREAM_MODES } from './stream/run-options.js';
import { SessionLinks } from './stream/session-links.js';
import { type GraphRun, LangGraphStream } from './stream/stream.js';
import { latestTurnInput } from './stream/turn-input.js';
import { unavailableNote, unavailableWarning, withNotes } from './stream/unavailable-actions.js';

export {
  DEFAULT_ERROR_LINE,
  type GraphRunConfig,
  type LLMAdapterOptions,
  MAX_ERROR_LINES_IN_A_ROW,
  type ThreadIdContext,
} from './adapter-options.js';

/**
 * Wraps a compiled LangGraph graph (or a `RemoteGraph`) as the LLM of a LiveKit agent: each user
 * turn runs the graph, and the text of its AI messages streams to TTS while tool calls, tool
 * results and state updates stay silent. When the graph ends the call (an `end` custom signal,
 * an `end_call` tool call, an end-call node), the stream carries one `end_call` function call for
 * the agent's `hangupTool()`.
 *
 * @throws Error when an option is missing or invalid; the message names the option and the fix.
 *
 * @example
 * ```ts
 * const adapter = new LLMAdapter({ graph: builder.compile() });
 * const agent = new voice.Agent({ instructions: '', llm: adapter, tools: { end_call: hangupTool() } });
 * await session.start({ agent, room: ctx.room });
 * ```
 */
export class LLMAdapter extends llm.LLM {
  readonly #config: AdapterConfig;
  readonly #fallbackThreadId = randomUUID();
  readonly #ledger: ThreadLedger;
  readonly #confirmations = new TurnConfirmations();
  readonly #pendingWrites = new Set<Promise<void>>();
  /** Failed turns in a row, per thread: the error line is said only for the first few. */
  readonly #failuresInARow = new Map<string, number>();
  readonly #sessions = new SessionLinks(this, (session, threads) => {
    // a note for a call that ended has no next run to read it
    for (const threadId of threads) this.#notes.delete(threadId);
    this.#finishCall(session.history.items, threads);
  });
  /** Per thread: what the graph's next input says about call actions that were not carried out. */
  readonly #notes = new Map<string, string[]>();
  /** Per session (or, when it cannot be told, for the adapter): actions already warned about. */
  readonly #warned = new WeakMap<object, Set<string>>();

  constructor(options: LLMAdapterOptions) {
    super();
    // one adapter may serve every call of a worker, and each call's AgentActivity adds a
    // 'metrics_collected' and an 'error' listener to its LLM (removed when its session closes):
    // Node's cap of 10 would warn at the 11th call although nothing leaks
    this.setMaxListeners(0);
    this.#config = resolveAdapterOptions(options);
    this.#ledger = new ThreadLedger({ forkEveryRun: this.#config.remote });
  }

  /** `livekit-langgraph.LLMAdapter`, shown in LiveKit's logs and metrics. */
  label(): string {
    return 'livekit-langgraph.LLMAdapter';
  }

  /** The graph's name (a RemoteGraph's graph id), reported as the model in LiveKit's metrics. */
  override get model(): string {
    const graph = this.#config.graph as { graphId?: unknown; name?: unknown };
    if (typeof graph.graphId === 'string') return graph.graphId;
    return typeof graph.name === 'string' && graph.name ? graph.name : 'langgraph';
  }

  /** `langgraph`, reported as the provider in LiveKit's metrics. */
  override get provider(): string {
    return 'langgraph';
  }

  /**
   * The thread id the next run uses (see the `threadId` option). For a `RemoteGraph` this is the
   * id as given; the server's thread is `remoteThreadId(adapter.threadId())`.
   */
  threadId(): string {
    const { threadId, runConfig } = this.#config;
    const roomName = currentRoomName();
    if (typeof threadId === 'function') return threadId({ roomName });
    if (threadId !== undefined) return threadId;
    const configured = runConfig.configurable?.thread_id;
    if (typeof configured === 'string' && configured) return configured;
    return roomName ?? this.#fallbackThreadId;
  }

  /**
   * Follows `session` for what only the session knows: a barge-in stops the graph run at once,
   * even while the graph is silent in a slow step (agents-js itself aborts a run only when it
   * speaks again), and when the call ends while an answer is playing (the caller hangs up), the
   * thread keeps only what the caller heard (`input: 'latest'`). Inside a LiveKit job the
   * adapter follows the job's session by itself from its second reply on; attaching right after
   * `session.start()` covers the first one too, and any other session.
   *
   * @returns a function that stops following `session` (it stops by itself when it closes).
   * @example
   * ```ts
   * await session.start({ agent, room: ctx.room });
   * adapter.attach(session);
   * ```
   */
  attach(session: voice.AgentSession): () => void {
    return this.#sessions.attach(session);
  }

  /**
   * Holds each graph run until its turn is confirmed, so the graph never runs on an interim
   * transcript. agents-js runs the LLM preemptively while the caller is still speaking and drops
   * the run when the final transcript differs; the graph's own tools (a ToolNode that books or
   * cancels) would act on words the caller did not end up saying. A held run starts when its
   * caller message enters `session`'s history — at once for an ordinary turn, at the end of the
   * turn for a preemptive one, so the preemptive head start is lost: see docs/threads-and-memory.md.
   *
   * An adapter shared by several sessions holds the runs of each session it was given, until that
   * session closes.
   *
   * @returns a function that stops holding for `session` (its runs held at that moment start).
   * @example
   * ```ts
   * const session = new voice.AgentSession({ llm: adapter, stt, tts, vad });
   * adapter.holdPreemptiveRuns(session);
   * ```
   */
  holdPreemptiveRuns(session: voice.AgentSession): () => void {
    this.#sessions.attach(session);
    return this.#confirmations.watch(session);
  }

  /** Starts one graph run for the turn in `chatCtx`; called by the agent session. */
  chat({
    chatCtx,
    toolCtx,
    connOptions = DEFAULT_API_CONNECT_OPTIONS,
  }: {
    chatCtx: llm.ChatContext;
    toolCtx?: llm.ToolContextLike;
    connOptions?: APIConnectOptions;
    parallelToolCalls?: boolean;
    toolChoice?: llm.ToolChoice;
    extraKwargs?: Record<string, unknown>;
  }): LangGraphStream {
    const config = this.#config;
    const threadId = this.threadId();
    const options = this.#runOptions(threadId);
    const turn =
      config.input === 'latest' ? this.#ledger.begin(threadId, chatCtx.items) : undefined;
    const confirmations = this.#confirmations.watching ? this.#confirmations : undefined;
    const speech = this.#sessions.claim(chatCtx, threadId);
    const run: GraphRun = {
      graph: config.runner,
      input: () =>
        withNotes(
          turn
            ? latestTurnInput(config.runner, { configurable: options.configurable }, turn)
            : { messages: toLangChainMessages(chatCtx.items) },
          this.#takeNotes(threadId),
        ),
      options,
      signal: config.signal,
      classifier: () => new PartClassifier(config.filter),
      pausable: turn !== undefined,
      thread: turn,
      hold: confirmations && ((signal) => confirmations.confirmed(chatCtx, signal)),
      speech,
      firstOutputTimeoutMs: config.firstOutputTimeoutMs,
      errorLine: () => this.#errorLine(threadId),
      succeeded: () => this.#failuresInARow.delete(threadId),
      unavailable: (action) => this.#unavailable(action, threadId, chatCtx),
    };
    return new LangGraphStream(this, {
      chatCtx,
      toolCtx: llm.toToolContext(toolCtx),
      connOptions,
      run,
    });
  }

  /**
   * Stores what the caller heard on the threads of a call that ended: the correction of an
   * answer cut by the end of the call has no next run to carry it. Inside a job, the job waits
   * for the write before it shuts down.
   */
  #finishCall(items: readonly llm.ChatItem[], threads: ReadonlySet<string>): void {
    if (this.#config.input !== 'latest') return;
    for (const threadId of threads) {
      const finished = this.#ledger.finish(threadId, items);
      if (!finished) continue;
      const { runConfig, runner } = this.#config;
      const configurable = { ...runConfig.configurable, thread_id: threadId };
      const stored = storeFinishedThread(runner, { configurable }, finished);
      this.#pendingWrites.add(stored);
      void stored.finally(() => this.#pendingWrites.delete(stored));
      getJobContext(false)?.addShutdownCallback(() => stored);
    }
  }

  /**
   * A call action the agent has no tool for, not sent: warned once per session, told to the graph
   * in the thread's next input, and recorded in the call report as failed.
   */
  #unavailable(action: CallAction, threadId: string, chatCtx: llm.ChatContext): void {
    const session = this.#sessions.sessionOf(chatCtx);
    const warned = this.#warned.get(session ?? this) ?? new Set<string>();
    this.#warned.set(session ?? this, warned);
    if (!warned.has(action.name)) {
      warned.add(action.name);
      log().warn({ action: action.name, trigger: action.trigger }, unavailableWarning(action.name));
    }
    this.#notes.set(threadId, [...(this.#notes.get(threadId) ?? []), unavailableNote(action)]);
    if (!session) return;
    const { name, trigger } = action;
    const what =
      name === 'send_dtmf'
        ? { digits: action.digits }
        : { reason: action.reason, ...(name === 'transfer_call' && { to: action.to }) };
    recordCallAction(session, { name, trigger, ...what, ok: false, error: `no ${name} tool` });
  }

  /** The notes for `threadId`'s next input, removed. */
  #takeNotes(threadId: string): string[] {
    const notes = this.#notes.get(threadId) ?? [];
    this.#notes.delete(threadId);
    return notes;
  }

  /** The error line for a failed turn on `threadId`, unless too many failed in a row. */
  #errorLine(threadId: string): string | undefined {
    const failures = (this.#failuresInARow.get(threadId) ?? 0) + 1;
    this.#failuresInARow.set(threadId, failures);
    return failures <= MAX_ERROR_LINES_IN_A_ROW ? this.#config.errorLine : undefined;
  }

  /** Resolves once what the caller heard of every ended call is stored (see {@link attach}). */
  async settled(): Promise<void> {
    await Promise.all(this.#pendingWrites);
  }

  #runOptions(threadId: string): GraphRunOptions {
    const { runConfig, input, subgraphs } = this.#config;
    return {
      ...runConfig,
      configurable: { ...runConfig.configurable, thread_id: threadId },
      streamMode: input === 'latest' ? LATEST_STREAM_MODES : STREAM_MODES,
      subgraphs,
    };
  }
}

function currentRoomName(): string | undefined {
  const job = getJobContext(false);
  return job?.room.name || job?.job.room?.name || undefined;
}
