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
import { z } from 'zod';
import { ThreadLedger } from './memory/ledger.js';
import { TurnConfirmations } from './memory/preemptive.js';
import { isRemoteGraph, RemoteRunner } from './remote/remote.js';
import { toLangChainMessages } from './stream/messages.js';
import { PartClassifier } from './stream/parts.js';
import { type GraphRun, LangGraphStream, type StreamableGraph } from './stream/stream.js';
import { latestTurnInput } from './stream/turn-input.js';
import { parseOptions } from './validation.js';

/** What a `threadId` function is told about the turn. */
export interface ThreadIdContext {
  /** The LiveKit room of the job, when the adapter runs inside a job. */
  roomName?: string;
}

/**
 * The run config merged into every graph run (LangChain's `RunnableConfig` fields). The adapter
 * adds `configurable.thread_id` and the stream options; it never changes this object.
 */
export interface GraphRunConfig {
  /** Values for the graph's configurable fields; `thread_id` here pins the thread. */
  configurable?: Record<string, unknown>;
  /** Tags of the run (LangSmith shows them; `config.tags` in nodes). */
  tags?: string[];
  /** Metadata of the run (LangSmith shows it; `config.metadata` in nodes). */
  metadata?: Record<string, unknown>;
  /** LangChain callbacks (tracers such as LangSmith). */
  callbacks?: unknown;
  /** How many graph steps one run may take. @default LangGraph's default (25) */
  recursionLimit?: number;
  /** The name of each run in traces. */
  runName?: string;
  /** Aborts every run of this adapter (on top of the session's own barge-in aborts). */
  signal?: AbortSignal;
  [key: string]: unknown;
}

/** Options of {@link LLMAdapter}. */
export interface LLMAdapterOptions {
  /** The graph: a compiled LangGraph graph (`builder.compile()`) or a `RemoteGraph`. */
  graph: StreamableGraph;
  /** Merged into every run's config (callbacks, tags, configurable values, recursionLimit). */
  config?: GraphRunConfig;
  /**
   * The graph thread (`configurable.thread_id`): a string, or a function called each turn.
   * A `RemoteGraph` gets a non-UUID id as its UUIDv5 (see `remoteThreadId()`).
   * @default the job's room name inside a LiveKit job, else one random id per adapter
   */
  threadId?: string | ((context: ThreadIdContext) => string);
  /**
   * What each turn sends as `{ messages }`: `'history'`, the whole chat history (for graphs without
   * a checkpointer), or `'latest'`, only what is new since the graph's last run on the thread (for
   * graphs that keep history in a checkpointer). Only `'latest'` resumes a graph paused on
   * `interrupt()`: the caller's next words are sent as `Command({ resume })`.
   * @default 'history'; 'latest' for a RemoteGraph (LangGraph Server keeps every thread)
   */
  input?: 'history' | 'latest';
  /**
   * Speak only text produced by these nodes (or by subgraphs they run).
   * @default every node
   */
  nodes?: string[];
  /**
   * Also stream from subgraphs (their tokens, end signals and end-call nodes).
   * @default false
   */
  subgraphs?: boolean;
  /**
   * Nodes that end the call when they run, besides those added with `{ metadata: { end_call: true } }`.
   * @default []
   */
  endCallNodes?: string[];
}

const isGraph = (value: unknown): value is StreamableGraph =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as StreamableGraph).stream === 'function';

const graphSchema = z.custom<StreamableGraph>(isGraph, {
  error: (issue) =>
    typeof (issue.input as { compile?: unknown } | undefined)?.compile === 'function'
      ? 'this is a graph builder; pass `builder.compile()` (with a checkpointer if you use input: "latest")'
      : 'expected a compiled LangGraph graph or a RemoteGraph (anything with a stream() method)',
});

const nodeNames = z.array(z.string().min(1, 'node names cannot be empty'));

const optionsSchema = z.strictObject(
  {
    graph: graphSchema,
    config: z.record(z.string(), z.unknown()).optional(),
    threadId: z
      .union([
        z.string().min(1, 'threadId cannot be empty'),
        z.custom<(context: ThreadIdContext) => string>((v) => typeof v === 'function'),
      ])
      .optional(),
    input: z
      .enum(
        ['history', 'latest'],
        'expected "history" (no checkpointer) or "latest" (a checkpointer keeps the history)',
      )
      .optional(),
    nodes: nodeNames
      .min(1, 'an empty list would mute the agent; omit `nodes` to speak from every node')
      .optional(),
    subgraphs: z.boolean().optional(),
    endCallNodes: nodeNames.optional(),
  },
  {
    error: (issue) =>
      issue.code === 'invalid_type'
        ? 'expected an options object: new LLMAdapter({ graph: builder.compile() })'
        : undefined,
  },
);

/**
 * The stream modes every run asks for: tokens, custom writes, finished nodes (and interrupts),
 * running tasks (to name a failing node; a RemoteGraph drops it, see `remoteStreamModes`).
 */
const STREAM_MODES = ['messages', 'custom', 'updates', 'tasks'];

/** `input: 'latest'` also follows the run's own checkpoints: the next turn may fork from them. */
const LATEST_STREAM_MODES = [...STREAM_MODES, 'checkpoints'];

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
  readonly #options: Readonly<LLMAdapterOptions>;
  /** What runs are started on: the graph, or for a RemoteGraph its `RemoteRunner`. */
  readonly #graph: StreamableGraph;
  readonly #input: 'history' | 'latest';
  readonly #endCallNodes: ReadonlySet<string>;
  readonly #nodes: ReadonlySet<string> | undefined;
  readonly #fallbackThreadId = randomUUID();
  readonly #ledger: ThreadLedger;
  readonly #confirmations = new TurnConfirmations();

  constructor(options: LLMAdapterOptions) {
    super();
    parseOptions('LLMAdapter', optionsSchema, options);
    this.#options = { ...options };
    const { graph } = options;
    this.#graph = isRemoteGraph(graph) ? new RemoteRunner(graph) : graph;
    this.#ledger = new ThreadLedger({ forkEveryRun: this.#graph instanceof RemoteRunner });
    this.#input = options.input ?? (this.#graph instanceof RemoteRunner ? 'latest' : 'history');
    if (this.#input === 'latest') {
      checkKeepsHistory(options.graph);
      const problem = forkUnsafeCheckpointer(options.graph);
      if (problem) log().warn(problem);
    }
    // a RemoteGraph does not say which nodes it has: its names are taken as given
    const declared = declaredNodes(options.graph);
    if (declared && !options.subgraphs) {
      checkNodeNames('nodes', options.nodes, declared);
      checkNodeNames('endCallNodes', options.endCallNodes, declared);
    }
    this.#endCallNodes = new Set([...(options.endCallNodes ?? []), ...endCallNodesOf(declared)]);
    this.#nodes = options.nodes ? new Set(options.nodes) : undefined;
  }

  /** `livekit-langgraph.LLMAdapter`, shown in LiveKit's logs and metrics. */
  label(): string {
    return 'livekit-langgraph.LLMAdapter';
  }

  /** The graph's name (a RemoteGraph's graph id), reported as the model in LiveKit's metrics. */
  override get model(): string {
    const graph = this.#options.graph as { graphId?: unknown; name?: unknown };
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
    const { threadId, config } = this.#options;
    const roomName = currentRoomName();
    if (typeof threadId === 'function') return threadId({ roomName });
    if (threadId !== undefined) return threadId;
    const configured = config?.configurable?.thread_id;
    if (typeof configured === 'string' && configured) return configured;
    return roomName ?? this.#fallbackThreadId;
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
    const threadId = this.threadId();
    const options = this.#runOptions(threadId);
    const turn = this.#input === 'latest' ? this.#ledger.begin(threadId, chatCtx.items) : undefined;
    const confirmations = this.#confirmations.watching ? this.#confirmations : undefined;
    const run: GraphRun = {
      graph: this.#graph,
      input: () =>
        turn
          ? latestTurnInput(
              this.#graph,
              { configurable: options.configurable as Record<string, unknown> },
              turn,
            )
          : { messages: toLangChainMessages(chatCtx.items) },
      options,
      signal: this.#options.config?.signal,
      classifier: () =>
        new PartClassifier({ nodes: this.#nodes, endCallNodes: this.#endCallNodes }),
      pausable: turn !== undefined,
      thread: turn,
      hold: confirmations && ((signal) => confirmations.confirmed(chatCtx, signal)),
    };
    return new LangGraphStream(this, {
      chatCtx,
      toolCtx: llm.toToolContext(toolCtx),
      connOptions,
      run,
    });
  }

  #runOptions(threadId: string): Record<string, unknown> {
    const { signal: _signal, ...config } = this.#options.config ?? {};
    return {
      ...config,
      configurable: { ...config.configurable, thread_id: threadId },
      streamMode: this.#input === 'latest' ? LATEST_STREAM_MODES : STREAM_MODES,
      subgraphs: this.#options.subgraphs ?? false,
    };
  }
}

function currentRoomName(): string | undefined {
  const job = getJobContext(false);
  return job?.room.name || job?.job.room?.name || undefined;
}

type NodeSpecs = Record<string, { metadata?: Record<string, unknown> }>;

/** The nodes a local compiled graph declares (a RemoteGraph does not say). */
function declaredNodes(graph: StreamableGraph): NodeSpecs | undefined {
  const nodes = (graph as { builder?: { nodes?: unknown } }).builder?.nodes;
  return typeof nodes === 'object' && nodes !== null ? (nodes as NodeSpecs) : undefined;
}

/**
 * `input: 'latest'` sends only what is new, so a local graph that forgets its thread after each
 * run would answer every turn as the first one.
 */
function checkKeepsHistory(graph: StreamableGraph): void {
  const local = graph as { builder?: unknown; checkpointer?: unknown };
  if (local.builder === undefined || local.checkpointer) return;
  throw new Error(
    "LLMAdapter: `input: 'latest'` sends only what is new each turn, but the graph was compiled " +
      'without a checkpointer, so it would forget the conversation — compile it with ' +
      '`builder.compile({ checkpointer })` (MemorySaver, or SqliteSaver / PostgresSaver to survive ' +
      "a restart), or use `input: 'history'`",
  );
}

/**
 * Why the graph's checkpointer loses the state of forked runs, if it does: `PostgresSaver` 1.x
 * numbers channel versions 1, 2, 3… and keeps the first value saved under a version, so of two
 * runs forked from one checkpoint the second reads the first's state (langgraphjs#1812). With
 * `input: 'latest'` every run that follows a discarded or cut run forks.
 * @internal
 */
export function forkUnsafeCheckpointer(graph: StreamableGraph): string | undefined {
  const saver = (graph as { checkpointer?: unknown }).checkpointer as
    | { constructor?: { name?: string }; getNextVersion?: (current: undefined) => unknown }
    | undefined;
  if (saver?.constructor?.name !== 'PostgresSaver') return undefined;
  if (typeof saver.getNextVersion?.(undefined) !== 'number') return undefined;
  return (
    'LLMAdapter: PostgresSaver numbers channel versions 1, 2, 3…, so two runs forked from one ' +
    "checkpoint overwrite each other's saved state (langgraphjs#1812), and input 'latest' forks " +
    'every run that follows one agents-js discarded or cut — give it unique versions by ' +
    'overriding getNextVersion (docs/threads-and-memory.md, "PostgreSQL and forks")'
  );
}

/** Nodes declared with `{ metadata: { end_call: true } }`: a node that streams nothing is known only here. */
function endCallNodesOf(nodes: NodeSpecs | undefined): string[] {
  return Object.entries(nodes ?? {})
    .filter(([, spec]) => spec?.metadata?.end_call === true)
    .map(([name]) => name);
}

function checkNodeNames(option: string, names: string[] | undefined, declared: NodeSpecs): void {
  const unknown = (names ?? []).filter((name) => !(name in declared));
  if (unknown.length === 0) return;
  throw new Error(
    `LLMAdapter: \`${option}\` names ${unknown.map((n) => `"${n}"`).join(', ')}, which the graph does not have — ` +
      `its nodes are ${Object.keys(declared)
        .map((n) => `"${n}"`)
        .join(', ')} (set \`subgraphs: true\` to name nodes inside subgraphs)`,
  );
}
