/**
 * Call actions nothing can receive: the graph asked for `transfer_call` (or `end_call`,
 * `send_dtmf`) but the agent has no tool of that name. Sending the function call anyway makes
 * agents-js answer "Unknown function", feed that back into the graph as a tool result, run the
 * graph again, each run repeating the handoff line — and, in a
 * session that speaks tool errors, read the error to the caller. So the action is not sent; the
 * graph reads in its next input that it did not happen. Pure.
 */
import { type BaseMessage, SystemMessage } from '@langchain/core/messages';
import { callActionKind } from '../graph/call-actions.js';
import type { CallAction } from './call-actions.js';

/** The warning, once per session and action, for an action the agent has no tool for. */
export const unavailableWarning = (name: CallAction['name']): string =>
  `the graph asked for ${name}, but the agent has no such tool, so it was not done (the graph is told): register \`tools: { ${name}: ${callActionKind(name)?.livekitTool} }\``;

/**
 * What the graph reads in its next input about `action`, which was not carried out: the same
 * opening for every action, then what its descriptor says did not happen (`notDone`).
 */
export function unavailableNote(action: CallAction): string {
  // each kind's `notDone` reads the arguments its own `parse` made, which `action` carries
  const notDone = callActionKind(action.name)?.notDone as (args: CallAction) => string;
  return `${action.name} is not available on this call (the voice agent has no ${action.name} tool), so ${notDone(action)}`;
}

/**
 * `input` (a graph input, or a promise of one) with `notes` as system messages before the new
 * caller turn: `{ messages }` gets them before its trailing human messages. A `Command` (the
 * answer to an `interrupt()`) is left as it is: the paused node expects the caller's answer alone.
 */
export async function withNotes(input: unknown, notes: readonly string[]): Promise<unknown> {
  const resolved = await input;
  const messages = (resolved as { messages?: unknown } | undefined)?.messages;
  if (notes.length === 0 || !Array.isArray(messages)) return resolved;
  let at = messages.length;
  while (at > 0 && (messages[at - 1] as BaseMessage).getType?.() === 'human') at--;
  const added = notes.map((note) => new SystemMessage(note));
  return {
    ...(resolved as object),
    messages: [...messages.slice(0, at), ...added, ...messages.slice(at)],
  };
}
