/**
 * The graph side of ending a call: what a node or a model uses to say "this call is over".
 *
 * This module may run inside a LangGraph server, so it imports nothing from the LiveKit agents package (the linter enforces it).
 */
import { tool } from '@langchain/core/tools';
import type { LangGraphRunnableConfig } from '@langchain/langgraph';
import { z } from 'zod';
import type { CallActionKind, CallTrigger } from './call-action.js';
import { reasonOf } from './message-fields.js';

/** The name of the end-call tool, on the graph side (`endCallTool`) and on the LiveKit side. */
export const END_CALL = 'end_call';

/** The value a node writes to the custom stream to end the call (`endCall()` writes `{ type: END_SIGNAL, reason }`). */
export const END_SIGNAL = 'end';

/**
 * What the graph reads as the result of its `end_call` when the caller interrupted the goodbye
 * and the call was not ended (the hangup's default policy).
 * @internal
 */
export const CALL_KEPT_UP_NOTE =
  'The caller interrupted the goodbye, so the call was NOT ended and is still live. ' +
  'Answer what the caller says next; end the call again when the conversation is over.';

/** The object `endCall()` writes to the graph's custom stream. */
export interface EndSignal {
  /** Always `'end'`: what marks the value as an end signal. */
  type: typeof END_SIGNAL;
  /** Why the call ends; shown in logs, the transcript and `onHangup`. */
  reason?: string;
}

/** Options of {@link endCall}. */
export interface EndCallOptions {
  /** Why the call ends; passed on to the hangup as its reason. */
  reason?: string;
}

/**
 * Ends the call from inside a graph node: the caller hears everything the graph says in this
 * run, then the call is hung up.
 *
 * It writes `{ type: 'end', reason }` to the run's custom stream, which `LLMAdapter` turns into
 * one `end_call` function call. Outside a streamed run (`graph.invoke()`, no custom stream) it
 * does nothing, so the same graph still runs in unit tests and notebooks.
 *
 * @example
 * ```ts
 * const goodbye = async (state: typeof MessagesAnnotation.State, config: LangGraphRunnableConfig) => {
 *   endCall(config, { reason: 'order confirmed' });
 *   return { messages: [new AIMessage('Your order is on its way. Goodbye!')] };
 * };
 * ```
 */
export function endCall(
  config: LangGraphRunnableConfig | undefined,
  options: EndCallOptions = {},
): void {
  const signal: EndSignal =
    options.reason === undefined
      ? { type: END_SIGNAL }
      : { type: END_SIGNAL, reason: options.reason };
  config?.writer?.(signal);
}

/** Whether a value written to a graph's custom stream asks to end the call: `'end'` or `{ type: 'end' }`. */
export function isEndSignal(value: unknown): value is EndSignal | typeof END_SIGNAL {
  if (value === END_SIGNAL) return true;
  return (
    typeof value === 'object' && value !== null && (value as { type?: unknown }).type === END_SIGNAL
  );
}

const endCallSchema = z.object({
  /** Why the call ends, as the model put it. */
  reason: z
    .string()
    .optional()
    .describe('Why the call ends, in a few words (e.g. "caller said goodbye", "order placed").'),
});

/**
 * A LangChain tool named `end_call` for `model.bindTools()` and `ToolNode`: the model calls it to
 * hang up. `LLMAdapter` sees the call in the model's output and ends the call after everything
 * said in this run has been played, so the model should say its goodbye in the same turn.
 *
 * @example
 * ```ts
 * const model = new ChatOpenAI({ model: 'gpt-4o-mini' }).bindTools([endCallTool, lookupOrder]);
 * const tools = new ToolNode([endCallTool, lookupOrder]);
 * ```
 */
export const endCallTool = tool(
  async ({ reason }) =>
    `The call is ending${reason ? ` (${reason})` : ''}. Do not say anything else.`,
  {
    name: END_CALL,
    description:
      'Hang up the phone call. Call it when the caller says goodbye or has nothing more to ask, ' +
      'or when the task of the call is complete and the caller confirmed. Say a short goodbye in ' +
      'the same reply: it is played to the caller before the line goes dead. Do not call it when ' +
      'the caller asks to hold, to be transferred, or when their intent is unclear.',
    schema: endCallSchema,
  },
);

/** The reason given to the hangup when the graph gave none, by how it asked. */
export const DEFAULT_END_REASONS: Readonly<Record<CallTrigger, string>> = {
  signal: 'the graph ended the call',
  tool: 'the model called end_call',
  node: 'an end-call node ran',
};

/** Ending the call, as a call action (see `CallActionKind`). */
export const endCallAction = {
  name: END_CALL,
  isSignal: isEndSignal,
  endsCall: true,
  // the call report tells how the graph asked (signal, tool call, end-call node)
  carriesTrigger: true,
  livekitTool: 'hangupTool()',
  parse: (given: unknown, trigger: CallTrigger) => ({
    // a bare `'end'` signal has no reason; a reason that is not text is written out, never a
    // reason to keep the call up
    reason:
      (typeof given === 'string' ? undefined : reasonOf(given)) ?? DEFAULT_END_REASONS[trigger],
  }),
  notDone: () => 'the call was NOT ended and is still live. Go on with the conversation.',
  reason: (args: { reason: string }) => args.reason,
} as const satisfies CallActionKind<typeof END_CALL, { reason: string }>;
