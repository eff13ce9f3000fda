/**
 * What every call action shares, on the graph side: how the graph asked for it. The stream writes
 * it into the action's function call, and the call report reads it back.
 *
 * This module may run inside a LangGraph server, so it imports nothing from the LiveKit agents package (the linter enforces it).
 */

/**
 * How the graph asked for a call action: `'signal'` (a node called `endCall()`, `transferCall()`
 * or `sendDtmf()`), `'tool'` (the model called `end_call`, `transfer_call` or `send_dtmf`), or
 * `'node'` (an end-call node ran).
 */
export type CallTrigger = 'signal' | 'tool' | 'node';

/** Every {@link CallTrigger}, for checking a value read back from a function call's arguments. */
export const CALL_TRIGGERS: readonly CallTrigger[] = ['signal', 'tool', 'node'];

/** The trigger `value` names, or `undefined` for anything else (another LLM's arguments, a typo). */
export function callTriggerOf(value: unknown): CallTrigger | undefined {
  return CALL_TRIGGERS.find((trigger) => trigger === value);
}
