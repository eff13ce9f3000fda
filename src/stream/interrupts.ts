/**
 * `interrupt()` turns (human in the loop by voice): a graph that calls `interrupt(value)` has its
 * prompt spoken and pauses; the caller's next words resume it with `Command({ resume })` on the
 * same thread. This module holds what the caller's answer is and the errors that say how to
 * enable interrupts.
 */
import type { llm } from '@livekit/agents';
import { arrayOf, interruptPrompt, isDict } from '../graph/message-fields.js';
import { chatTextOf, isUserMessage } from '../memory/chat-items.js';

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

/** What the caller said in `items`, one line per user message; `undefined` when they said nothing. */
export function spokenAnswer(items: readonly llm.ChatItem[]): string | undefined {
  const said = items
    .filter(isUserMessage)
    .map(chatTextOf)
    .filter((text) => text !== '');
  return said.length > 0 ? said.join('\n') : undefined;
}

/** One `interrupt()` call of the graph, with what to ask the caller. */
export interface PendingInterrupt {
  id: string;
  /** What to ask the caller, when the value says (see `interruptPrompt`). */
  prompt: string | undefined;
  value: unknown;
}

/**
 * The interrupts in an `updates` part's `__interrupt__` value not seen before in this run: with
 * `subgraphs: true` an interrupt is reported by its subgraph and again by the root graph.
 */
export function newInterrupts(interrupts: unknown, seen: Set<string>): PendingInterrupt[] {
  const found: PendingInterrupt[] = [];
  for (const [index, interrupt] of arrayOf(interrupts).entries()) {
    if (!isDict(interrupt)) continue;
    const id = typeof interrupt.id === 'string' ? interrupt.id : `#${index}`;
    if (seen.has(id)) continue;
    seen.add(id);
    found.push({ id, prompt: interruptPrompt(interrupt.value), value: interrupt.value });
  }
  return found;
}
