/**
 * `interrupt()` turns (human in the loop by voice): a graph that calls `interrupt(value)` has its
 * prompt spoken and pauses; the caller's next words resume it with `Command({ resume })` on the
 * same thread. This module decides what a turn sends and whether a thread is paused.
 */
import { Command } from '@langchain/langgraph';
import { type llm, log } from '@livekit/agents';
import { toLangChainMessages } from './messages.js';
import type { StreamableGraph } from './stream.js';
import { isUserMessage, type LatestInput } from './threads.js';

/** Why `input: 'history'` cannot resume a paused graph; the error a run that pauses gets. */
export const INTERRUPT_NEEDS_LATEST =
  "LLMAdapter: the graph called interrupt(), which needs `input: 'latest'` — the caller's answer " +
  "resumes the paused run on its thread, so create the adapter with `input: 'latest'` and a graph " +
  'compiled with a checkpointer (`builder.compile({ checkpointer })`)';

/** What a local graph without a checkpointer gets when a node calls interrupt(). */
export const INTERRUPT_NEEDS_CHECKPOINTER =
  'LLMAdapter: the graph has no checkpointer, and interrupt() needs one to pause the run until ' +
  'the caller answers — compile it with `builder.compile({ checkpointer })` (MemorySaver, or ' +
  "SqliteSaver / PostgresSaver to survive a restart) and create the adapter with `input: 'latest'`";

/**
 * The input of an `input: 'latest'` turn: `Command({ resume })` with what the caller said when the
 * graph is paused on `interrupt()`, else `{ messages }` with the new chat items. When this process
 * does not know whether the thread is paused (a restarted worker, a cut run), it asks the graph's
 * checkpoint once and remembers the answer.
 */
export async function latestTurnInput(
  graph: StreamableGraph,
  config: Record<string, unknown>,
  latest: LatestInput,
): Promise<unknown> {
  let paused = latest.paused;
  if (paused === undefined) {
    paused = await isPaused(graph, config);
    latest.learn(paused);
  }
  const answer = paused ? spokenAnswer(latest.items) : undefined;
  // without new words from the caller (a reply the app asked for), the turn is ordinary input
  return answer === undefined
    ? { messages: toLangChainMessages(latest.items) }
    : new Command({ resume: answer });
}

/** What the caller said in `items`, one line per user message; `undefined` when they said nothing. */
export function spokenAnswer(items: readonly llm.ChatItem[]): string | undefined {
  const said = items
    .filter(isUserMessage)
    .map((item) => (item.type === 'message' ? (item.textContent ?? '').trim() : ''))
    .filter((text) => text !== '');
  return said.length > 0 ? said.join('\n') : undefined;
}

/** Whether the thread's last checkpoint has a task waiting on `interrupt()`. */
async function isPaused(graph: StreamableGraph, config: Record<string, unknown>): Promise<boolean> {
  if (typeof graph.getState !== 'function') return false;
  try {
    const state = (await graph.getState(config)) as { tasks?: { interrupts?: unknown[] }[] };
    return (state?.tasks ?? []).some((task) => (task.interrupts?.length ?? 0) > 0);
  } catch (error) {
    // 404: LangGraph Server has no such thread yet, so nothing waits on it
    if ((error as { status?: unknown }).status === 404) return false;
    // the turn goes on as ordinary input: a lost resume is better than a failed turn
    log().warn(
      { error: error instanceof Error ? error.message : String(error) },
      'could not read the thread state to find a pending interrupt()',
    );
    return false;
  }
}
