/**
 * What an `input: 'latest'` run sends: the edits that make the anchor checkpoint say what the
 * caller heard, then the chat items it lacks as `{ messages }` — or, when the graph is paused on
 * `interrupt()`, `Command({ resume })` with what the caller said.
 */
import type { BaseMessage } from '@langchain/core/messages';
import { Command } from '@langchain/langgraph';
import { log } from '@livekit/agents';
import { correctionMessages } from '../memory/corrections.js';
import type { ThreadTurn } from '../memory/turn.js';
import { spokenAnswer } from './interrupts.js';
import { toLangChainMessages } from './messages.js';
import type { StreamableGraph } from './stream.js';

/**
 * The input of an `input: 'latest'` run. When this process does not know the thread yet (a new
 * call, a restarted worker) it reads the thread's head once: its checkpoint and whether a task
 * waits on `interrupt()` there.
 */
export async function latestTurnInput(
  graph: StreamableGraph,
  config: { configurable: Record<string, unknown> },
  turn: ThreadTurn,
): Promise<unknown> {
  if (turn.paused === undefined) turn.storeHead(await readHead(graph, config));
  const edits = await editsFor(graph, config, turn);
  const answer = turn.paused ? spokenAnswer(turn.items) : undefined;
  // without new words from the caller (a reply the app asked for), the turn is ordinary input
  if (answer === undefined) return { messages: [...edits, ...toLangChainMessages(turn.items)] };
  return new Command({ resume: answer, ...(edits.length > 0 && { update: { messages: edits } }) });
}

/** The thread's head checkpoint, and whether a task waits on `interrupt()` there. */
async function readHead(
  graph: StreamableGraph,
  config: { configurable: Record<string, unknown> },
): Promise<{ checkpointId: string | undefined; paused: boolean }> {
  const state = (await readState(graph, config, 'find its head and a pending interrupt()')) as
    | {
        config?: { configurable?: { checkpoint_id?: unknown } };
        tasks?: { interrupts?: unknown[] }[];
      }
    | undefined;
  const id = state?.config?.configurable?.checkpoint_id;
  return {
    checkpointId: typeof id === 'string' ? id : undefined,
    paused: (state?.tasks ?? []).some((task) => (task.interrupts?.length ?? 0) > 0),
  };
}

/**
 * The edits of earlier answers, from the messages of the checkpoint the run forks from (as its
 * run streamed them in `checkpoints` parts, or read from the checkpointer).
 */
async function editsFor(
  graph: StreamableGraph,
  config: { configurable: Record<string, unknown> },
  turn: ThreadTurn,
): Promise<BaseMessage[]> {
  const checkpointId = turn.checkpointId();
  if (turn.corrections.length === 0 || checkpointId === undefined) return [];
  const messages = turn.messages ?? (await readMessages(graph, config, checkpointId));
  return turn.corrections.flatMap((correction) => correctionMessages(correction, messages));
}

/** The messages of a checkpoint whose run did not stream them (the thread's head at the start). */
export async function readMessages(
  graph: StreamableGraph,
  config: { configurable: Record<string, unknown> },
  checkpointId: string,
): Promise<readonly unknown[]> {
  const at = {
    configurable: { ...config.configurable, checkpoint_ns: '', checkpoint_id: checkpointId },
  };
  const state = (await readState(graph, at, 'store what the caller heard')) as
    | { values?: { messages?: unknown } }
    | undefined;
  return Array.isArray(state?.values?.messages) ? state.values.messages : [];
}

/** `graph.getState(config)`; `undefined` when the thread does not exist or cannot be read. */
async function readState(
  graph: StreamableGraph,
  config: Record<string, unknown>,
  purpose: string,
): Promise<unknown> {
  if (typeof graph.getState !== 'function') return undefined;
  try {
    return await graph.getState(config);
  } catch (error) {
    // 404: LangGraph Server has no such thread yet
    if ((error as { status?: unknown }).status === 404) return undefined;
    // the turn goes on without it: a lost edit is better than a failed turn
    log().warn(
      { error: error instanceof Error ? error.message : String(error) },
      `could not read the thread state to ${purpose}`,
    );
    return undefined;
  }
}
