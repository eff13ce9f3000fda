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

/**
 * One call action, described once, next to its graph function: everything the stream needs to
 * turn what a graph asks into a function call for the LiveKit side. The registry
 * (`call-actions.ts`) lists them; docs/architecture.md has the recipe for a new one.
 */
export interface CallActionKind<Name extends string = string, Args extends object = object> {
  /** The action's name: its graph-side tool, its function call and its LiveKit-side tool. */
  readonly name: Name;
  /** Whether a value a node wrote to the custom stream asks for this action. */
  readonly isSignal: (value: unknown) => boolean;
  /** Whether it ends the call: a run carries at most one such action, the first. */
  readonly endsCall: boolean;
  /** Whether its function call also carries the trigger (for the call report). */
  readonly carriesTrigger: boolean;
  /** The LiveKit-side factory registered under `name`, named in the warning when the agent has none. */
  readonly livekitTool: string;
  /**
   * The action's arguments from what the graph gave — a signal object, a tool call's arguments
   * (possibly broken JSON, read as `undefined`) — with the defaults filled in, unchecked: the
   * LiveKit-side tool validates them and tells the graph what is wrong.
   */
  readonly parse: (given: unknown, trigger: CallTrigger) => Args;
  /**
   * What did not happen, and what the graph should do now, when the agent had no tool for the
   * action: the end of the graph's note ("transfer_call is not available on this call …, so ").
   */
  readonly notDone: (args: Args) => string;
  /** Why it ends the call, in words (the thread's correction when the call stays up); for `endsCall` actions. */
  readonly reason?: (args: Args) => string;
}
