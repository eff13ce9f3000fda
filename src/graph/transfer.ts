/**
 * The graph side of transferring a call: what a node or a model uses to hand the caller to a
 * person or another number. The graph names a destination (`'billing'`); only the LiveKit side
 * knows where that name rings, so no graph, prompt or caller can dial a number nobody listed.
 *
 * This module may run inside a LangGraph server, so it imports nothing from the LiveKit agents package (the linter enforces it).
 */
import { tool } from '@langchain/core/tools';
import type { LangGraphRunnableConfig } from '@langchain/langgraph';
import { z } from 'zod';
import type { CallActionKind } from './call-action.js';
import { reasonOf, textArg } from './message-fields.js';

/** The name of the transfer tool, on the graph side (`transferCallTool`) and on the LiveKit side. */
export const TRANSFER_CALL = 'transfer_call';

/** The reason a transfer gives when the graph gave none. */
export const transferReason = (to: string): string => `transfer to ${to}`;

/** The `type` of the object `transferCall()` writes to the custom stream. */
export const TRANSFER_SIGNAL = 'transfer';

/** The object `transferCall()` writes to the graph's custom stream. */
export interface TransferSignal {
  /** Always `'transfer'`: what marks the value as a transfer signal. */
  type: typeof TRANSFER_SIGNAL;
  /** The destination's name, one of the `destinations` of the agent's `transferTool()`. */
  to: string;
  /** Why the call is transferred; shown in logs and `onTransfer`. */
  reason?: string;
}

/** Options of {@link transferCall}. */
export interface TransferCallOptions {
  /** The destination's name (e.g. `'billing'`), as listed in the agent's `transferTool({ destinations })`. */
  to: string;
  /** Why the call is transferred. @default none */
  reason?: string;
}

/**
 * Transfers the call from inside a graph node: the caller hears everything the graph says in this
 * run (say "I'm connecting you to billing now" first), then the call is handed to destination `to`.
 *
 * It writes `{ type: 'transfer', to, reason }` to the run's custom stream, which `LLMAdapter` turns
 * into one `transfer_call` function call. A run ends or transfers the call at most once: the first
 * of `endCall()` and `transferCall()` wins. If the transfer fails (busy, no answer, unknown name),
 * the call stays up and the graph's next run reads why as the result of `transfer_call`. Outside a
 * streamed run (`graph.invoke()`) it does nothing.
 *
 * @example
 * ```ts
 * const handOff = async (_state: typeof MessagesAnnotation.State, config: LangGraphRunnableConfig) => {
 *   transferCall(config, { to: 'billing', reason: 'disputed charge' });
 *   return { messages: [new AIMessage("I'm connecting you to billing now.")] };
 * };
 * ```
 */
export function transferCall(
  config: LangGraphRunnableConfig | undefined,
  options: TransferCallOptions,
): void {
  const signal: TransferSignal = { type: TRANSFER_SIGNAL, to: options.to };
  if (options.reason !== undefined) signal.reason = options.reason;
  config?.writer?.(signal);
}

/** Whether a value written to a graph's custom stream asks to transfer: `{ type: 'transfer', to }`. */
export function isTransferSignal(value: unknown): value is TransferSignal {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { type?: unknown }).type === TRANSFER_SIGNAL
  );
}

const transferCallSchema = z.object({
  /** The destination's name, as the prompt lists them. */
  to: z
    .string()
    .describe(
      'The name of the destination, exactly as your instructions list it (e.g. "billing"); never a phone number.',
    ),
  /** Why the caller is transferred. */
  reason: z
    .string()
    .optional()
    .describe('Why the caller is transferred, in a few words (e.g. "disputed charge").'),
});

/**
 * A LangChain tool named `transfer_call` for `model.bindTools()` and `ToolNode`: the model calls it
 * to hand the caller to a person or department. `LLMAdapter` sees the call in the model's output;
 * the transfer starts after everything said in this run has been played, so the model says what
 * happens next in the same reply. List the destination names in the model's prompt.
 *
 * @example
 * ```ts
 * const system = 'To reach a person, call transfer_call with to = "billing" or "support".';
 * const model = new ChatOpenAI({ model: 'gpt-4o-mini' }).bindTools([transferCallTool, endCallTool]);
 * ```
 */
export const transferCallTool = tool(
  async ({ to, reason }) =>
    `Transferring the caller to ${to}${reason ? ` (${reason})` : ''}. Do not say anything else; ` +
    'if the transfer fails you will be told why.',
  {
    name: TRANSFER_CALL,
    description:
      'Transfer the phone call to a person or department. `to` must be one of the destination ' +
      'names your instructions list, never a phone number. In the same reply, first tell the ' +
      'caller what happens, e.g. "I\'m connecting you to billing now." — it is played before the ' +
      'transfer starts. Call it when the caller asks for a person, or when you cannot help. If ' +
      'the transfer fails, the result says why (busy, no answer) and the caller is still on the line.',
    schema: transferCallSchema,
  },
);

/** The arguments of a `transfer_call` function call. */
export interface TransferArgs {
  /** The destination's name as the graph gave it; `''` when it gave none the LiveKit side can read. */
  to: string;
  reason?: string;
}

/** Transferring the call, as a call action (see `CallActionKind`). */
export const transferCallAction = {
  name: TRANSFER_CALL,
  isSignal: isTransferSignal,
  endsCall: true,
  carriesTrigger: false,
  livekitTool: 'transferTool({ destinations })',
  parse: (given: unknown): TransferArgs => {
    const reason = reasonOf(given);
    return { to: textArg(given, 'to'), ...(reason && { reason }) };
  },
  notDone: (args: TransferArgs) =>
    `the caller was NOT transferred${args.to ? ` to ${args.to}` : ''} and is still on the line with you. Tell them, and help another way.`,
  reason: (args: TransferArgs) => args.reason ?? transferReason(args.to),
} as const satisfies CallActionKind<typeof TRANSFER_CALL, TransferArgs>;
