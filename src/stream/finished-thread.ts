/**
 * The last write of a call to its thread: when the call ends while an answer is still playing
 * (the caller hangs up, the session closes), LiveKit records what was heard only then, and no
 * later run will carry the correction. It is written with `updateState` instead.
 */
import { log } from '@livekit/agents';
import { correctionMessages } from '../memory/corrections.js';
import type { FinishedThread } from '../memory/ledger.js';
import type { StreamableGraph } from './stream.js';
import { readMessages } from './turn-input.js';

/**
 * Writes the corrections of a finished call to its thread, on top of the checkpoint the caller
 * got. Never throws: a failure is logged, and the thread keeps the answers as the graph said them.
 */
export async function storeFinishedThread(
  graph: StreamableGraph,
  config: { configurable: Record<string, unknown> },
  finished: FinishedThread,
): Promise<void> {
  if (typeof graph.updateState !== 'function') return;
  try {
    const messages =
      finished.messages ?? (await readMessages(graph, config, finished.checkpointId));
    const edits = finished.corrections.flatMap((c) => correctionMessages(c, messages));
    if (edits.length === 0) return;
    const at = {
      configurable: {
        ...config.configurable,
        checkpoint_ns: '',
        checkpoint_id: finished.checkpointId,
      },
    };
    await graph.updateState(at, { messages: edits });
  } catch (error) {
    log().warn(
      { error: error instanceof Error ? error.message : String(error) },
      'could not store what the caller heard when the call ended; the thread keeps the whole answer',
    );
  }
}
