/**
 * The options of `LLMAdapter`: their types, their validation, and the config they resolve to
 * once, at construction.
 */
import { log } from '@livekit/agents';
import { z } from 'zod';
import { isRemoteGraph, RemoteRunner } from './remote/runner.js';
import type { PartFilter } from './stream/node-filter.js';
import type { StreamableGraph } from './stream/stream.js';
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
  /**
   * How long a turn may go without saying anything (or asking for a call action) before it is
   * stopped and fails like any graph error, in ms; retries count against it. A graph whose tools
   * take long should say something first ("One moment, let me check."): the limit covers only
   * the first output. 0 turns it off.
   * @default the session's `llmConnOptions.timeoutMs` (agents-js: 10,000)
   */
  firstOutputTimeoutMs?: number;
  /**
   * What the caller hears when a turn fails before saying anything, instead of silence; `false`
   * for silence. After {@link MAX_ERROR_LINES_IN_A_ROW} failed turns in a row on a thread it is
   * not said again until a turn succeeds, so a graph that keeps failing meets the session's own
   * error handling (`maxUnrecoverableErrors`), which closes the session.
   * @default DEFAULT_ERROR_LINE
   */
  errorLine?: string | false;
}

/** What the caller hears when a turn fails before saying anything (see `errorLine`). */
export const DEFAULT_ERROR_LINE =
  'Sorry, something went wrong on my side. Could you say that again?';

/** How many failed turns in a row get the error line: agents-js counts an error only while the agent stays silent. */
export const MAX_ERROR_LINES_IN_A_ROW = 2;

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
    firstOutputTimeoutMs: z
      .number('expected a number of milliseconds')
      .int('expected whole milliseconds')
      .nonnegative('expected 0 (no limit) or more milliseconds')
      .optional(),
    errorLine: z
      .union(
        [z.string().trim().min(1), z.literal(false)],
        'expected the words to say, or false for silence',
      )
      .optional(),
  },
  {
    error: (issue) =>
      issue.code === 'invalid_type'
        ? 'expected an options object: new LLMAdapter({ graph: builder.compile() })'
        : undefined,
  },
);

/** The adapter's options, checked and resolved once. */
export interface AdapterConfig {
  /** The graph as given: named in metrics, read for its nodes. */
  readonly graph: StreamableGraph;
  /** What runs are started on: the graph, or for a RemoteGraph its `RemoteRunner`. */
  readonly runner: StreamableGraph;
  /** Whether the graph runs on LangGraph Server. */
  readonly remote: boolean;
  readonly input: 'history' | 'latest';
  readonly threadId: LLMAdapterOptions['threadId'];
  /** The user's run config; its abort signal is taken out (see {@link AdapterConfig.signal}). */
  readonly runConfig: Readonly<GraphRunConfig>;
  /** Aborts every run of the adapter. */
  readonly signal: AbortSignal | undefined;
  /** Which nodes speak and which end the call. */
  readonly filter: PartFilter;
  readonly subgraphs: boolean;
  /** `undefined`: the session's `llmConnOptions.timeoutMs`. */
  readonly firstOutputTimeoutMs: number | undefined;
  /** `undefined`: silence. */
  readonly errorLine: string | undefined;
}

/**
 * Validates `options` and resolves them: the runner, the input mode, the node sets.
 * @throws Error naming the option and the fix.
 */
export function resolveAdapterOptions(options: LLMAdapterOptions): AdapterConfig {
  // the Python adapter's form, `LLMAdapter(graph)`: zod would list LangChain's internals as options
  if (isGraph(options)) {
    throw new Error('LLMAdapter: pass the graph in an options object: `new LLMAdapter({ graph })`');
  }
  parseOptions('LLMAdapter', optionsSchema, options);
  const { graph } = options;
  const remote = isRemoteGraph(graph);
  const input = options.input ?? (remote ? 'latest' : 'history');
  if (input === 'latest') {
    checkKeepsHistory(graph);
    const problem = forkUnsafeCheckpointer(graph);
    if (problem) log().warn(problem);
  }
  // a RemoteGraph does not say which nodes it has: its names are taken as given
  const declared = declaredNodes(graph);
  if (declared && !options.subgraphs) {
    checkNodeNames('nodes', options.nodes, declared);
    checkNodeNames('endCallNodes', options.endCallNodes, declared);
  }
  const { signal, ...runConfig } = options.config ?? {};
  return {
    graph,
    runner: remote ? new RemoteRunner(graph) : graph,
    remote,
    input,
    threadId: options.threadId,
    runConfig,
    signal,
    filter: {
      nodes: options.nodes ? new Set(options.nodes) : undefined,
      endCallNodes: new Set([...(options.endCallNodes ?? []), ...endCallNodesOf(declared)]),
    },
    subgraphs: options.subgraphs ?? false,
    firstOutputTimeoutMs: options.firstOutputTimeoutMs,
    errorLine: options.errorLine === false ? undefined : (options.errorLine ?? DEFAULT_ERROR_LINE),
  };
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
