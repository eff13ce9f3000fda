/**
 * The options of one graph run: LangChain's run config (thread, tags, callbacks…) plus the
 * stream options the adapter needs, typed once instead of cast at each use.
 */

/** The stream modes a run may ask for. */
export type StreamMode = 'messages' | 'custom' | 'updates' | 'tasks' | 'checkpoints';

/** `configurable` of a run: the thread, the checkpoint to fork from, and the graph's own fields. */
export interface RunConfigurable {
  thread_id: string;
  /** The checkpoint to start from (a fork), with its namespace (`''`: the root graph). */
  checkpoint_id?: string;
  checkpoint_ns?: string;
  [key: string]: unknown;
}

/** What `graph.stream(input, options)` gets for one run (the abort signal is added per attempt). */
export interface GraphRunOptions {
  configurable: RunConfigurable;
  streamMode: readonly StreamMode[];
  subgraphs: boolean;
  signal?: AbortSignal;
  [key: string]: unknown;
}

/**
 * The stream modes every run asks for: tokens, custom writes, finished nodes (and interrupts),
 * running tasks (to name a failing node; a RemoteGraph drops it, see `remoteStreamModes`).
 */
export const STREAM_MODES: readonly StreamMode[] = ['messages', 'custom', 'updates', 'tasks'];

/** `input: 'latest'` also follows the run's own checkpoints: the next turn may fork from them. */
export const LATEST_STREAM_MODES: readonly StreamMode[] = [...STREAM_MODES, 'checkpoints'];

/** `options` starting from `checkpointId` (a fork), or unchanged when there is none. */
export function forkedFrom(
  options: GraphRunOptions,
  checkpointId: string | undefined,
): GraphRunOptions {
  if (checkpointId === undefined) return options;
  return {
    ...options,
    configurable: { ...options.configurable, checkpoint_ns: '', checkpoint_id: checkpointId },
  };
}
