/**
 * The support graph behind the phone agent: a model that answers Acme's callers, looks orders up,
 * and ends the call in one of two ways — by calling `end_call` itself, or by routing to the
 * `goodbye` node, a declared end-call node that speaks a fixed goodbye.
 *
 * ```
 * START → agent ─┬─ no tool call ─────────────────────────────→ END (wait for the caller)
 *                ├─ lookup_order / end_call → tools ─┬─ end_call → END
 *                │                                   └─ else ───→ agent
 *                └─ finish ─────────────────→ goodbye ─────────→ END
 * ```
 *
 * Deterministic given the model: the graph itself makes no random choice and reads no clock, so a
 * scripted chat model (the keyless demo, the tests) always takes the same path.
 */
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { AIMessage, type BaseMessage, SystemMessage, ToolMessage } from '@langchain/core/messages';
import { tool } from '@langchain/core/tools';
import {
  type BaseCheckpointSaver,
  END,
  MessagesAnnotation,
  START,
  StateGraph,
} from '@langchain/langgraph';
import { ToolNode } from '@langchain/langgraph/prebuilt';
import { z } from 'zod';
// In your own project: `from 'livekit-langgraph'`.
import { END_CALL, endCallTool, TRANSFER_CALL, transferCallTool } from '../../src/index.js';

/** The name of the routing tool the model calls when the caller's task is done. */
export const FINISH = 'finish';

/** What the `goodbye` node says before the call ends. */
export const GOODBYE = 'Thanks for calling Acme. Goodbye!';

/**
 * The system prompt. The graph prepends it to every model call and never stores it in the
 * thread, so a changed prompt applies to old threads too. Give the LiveKit agent empty
 * `instructions`: the adapter would send those to the graph as well, and the model would read
 * two system prompts.
 */
export const SYSTEM_PROMPT = `You are the phone support agent of Acme, an online store. \
You are on a phone call: answer in one or two short spoken sentences, with no lists, markdown or emoji.
- When the caller gives an order number, look it up with lookup_order and tell them its status in your own words.
- Callers may type the order number on their keypad, ending with the pound key: it then reaches you as a \
message holding only the digits (for example 1001). Offer it when you did not catch a spoken number.
- When the caller says goodbye or has nothing more to ask, say a short goodbye and call end_call in the same reply.
- When you have fully handled the caller's request and they confirmed they need nothing else, call finish \
and say nothing yourself: a goodbye is played for you.
- Never call end_call or finish when the caller asks you to hold, asks for a person, or may still need something.`;

/**
 * Stands in for your order system: a few fixed orders, so every run gives the same answer.
 * Replace the body of {@link lookupOrder} with a call to your real backend.
 */
const ORDERS: Readonly<Record<string, string>> = {
  '1001': 'shipped on Monday, arriving Thursday',
  '1002': 'paid, being packed, ships tomorrow',
  '1003': 'delivered yesterday, signed for at the front desk',
};

/**
 * Looks an order up by its number. Its result goes back to the model, never to the caller's ear:
 * the model tells the caller in its own words.
 */
export const lookupOrder = tool(
  async ({ orderId }) => {
    // callers say "number 1001" or "#1001"; keep the digits and letters only
    const id = orderId.replace(/[^0-9a-z]/gi, '').toUpperCase();
    const status = ORDERS[id];
    return status
      ? `order ${id}: ${status}`
      : `order ${id}: not found; ask the caller to check the number`;
  },
  {
    name: 'lookup_order',
    description: 'Look up the status of an Acme order by its order number.',
    schema: z.object({ orderId: z.string().describe('The order number, e.g. "1001"') }),
  },
);

/**
 * The routing tool for "the task is done": calling it sends the run to the `goodbye` node. It has
 * no work to do; the `goodbye` node answers the call.
 */
export const finishTool = tool(async () => 'The goodbye is played and the call ends.', {
  name: FINISH,
  description:
    "Call when the caller's request is fully handled and they confirmed they need nothing else. " +
    'Say nothing yourself: a goodbye is played, then the call ends.',
  schema: z.object({}),
});

/** The destination name the graph transfers to; the agent maps it to TRANSFER_TO. */
export const HUMAN = 'human';

/** Added to {@link SYSTEM_PROMPT} when the agent can transfer to a person. */
export const TRANSFER_PROMPT = `
- When the caller asks for a person, or you cannot help them after two tries, say "I'm connecting \
you to a colleague now." and call transfer_call with to = "${HUMAN}" in the same reply. If the transfer \
fails, tell the caller why in a few words and keep helping.`;

/** Options of {@link buildSupportGraph}. */
export interface SupportGraphOptions {
  /** Keeps each call's thread (`thread_id` = the room name), e.g. a `SqliteSaver`. @default none */
  checkpointer?: BaseCheckpointSaver;
  /** Whether the model may transfer the caller to a person ({@link HUMAN}). @default false */
  transfer?: boolean;
}

type State = typeof MessagesAnnotation.State;

/**
 * Builds and compiles the support graph around `model`.
 *
 * @param model - any LangChain chat model with tool calling (`bindTools`).
 * @throws Error when the model cannot call tools.
 * @example
 * ```ts
 * const graph = buildSupportGraph(new ChatOpenAI({ model: 'gpt-4.1-mini' }), {
 *   checkpointer: SqliteSaver.fromConnString('threads.sqlite'),
 * });
 * const llm = new LLMAdapter({ graph, input: 'latest' });
 * ```
 */
export function buildSupportGraph(model: BaseChatModel, options: SupportGraphOptions = {}) {
  const tools = [
    endCallTool,
    lookupOrder,
    finishTool,
    ...(options.transfer ? [transferCallTool] : []),
  ];
  const prompt = options.transfer ? SYSTEM_PROMPT + TRANSFER_PROMPT : SYSTEM_PROMPT;
  if (typeof model.bindTools !== 'function') {
    throw new Error(
      'buildSupportGraph: the model cannot call tools — pass a chat model with bindTools()',
    );
  }
  const bound = model.bindTools(tools);

  const agent = async (state: State) => ({
    messages: [await bound.invoke([new SystemMessage(prompt), ...state.messages])],
  });

  return (
    new StateGraph(MessagesAnnotation)
      .addNode('agent', agent)
      .addNode('tools', new ToolNode(tools))
      .addNode('goodbye', goodbye, { metadata: { end_call: true } })
      .addEdge(START, 'agent')
      .addConditionalEdges('agent', afterModel, ['tools', 'goodbye', END])
      .addConditionalEdges('tools', afterTools, ['agent', END])
      .addEdge('goodbye', END)
      // spread, not `checkpointer: undefined`: with exactOptionalPropertyTypes (`tsc --init`),
      // compile() refuses an explicit undefined
      .compile(options.checkpointer ? { checkpointer: options.checkpointer } : {})
  );
}

/** The tool calls of the newest AI message (the one that routed the run here). */
function lastToolCalls(messages: BaseMessage[]): { id?: string; name: string }[] {
  const caller = messages.findLast((m) => AIMessage.isInstance(m));
  return caller && AIMessage.isInstance(caller) ? (caller.tool_calls ?? []) : [];
}

/**
 * After the model: no tool call → END (wait for the caller); `finish` without `end_call` →
 * goodbye; anything else → tools.
 */
function afterModel(state: State): 'tools' | 'goodbye' | typeof END {
  const last = state.messages.at(-1);
  if (!last || !AIMessage.isInstance(last) || !last.tool_calls?.length) return END;
  const names = last.tool_calls.map((call) => call.name);
  // a model that also called end_call said its own goodbye: the tools path honours it
  return names.includes(FINISH) && !names.includes(END_CALL) ? 'goodbye' : 'tools';
}

/**
 * After the tools: once end_call or transfer_call ran there is nothing left to say, so skip
 * another model call (a failed transfer comes back as the next turn's input).
 */
function afterTools(state: State): 'agent' | typeof END {
  return lastToolCalls(state.messages).some(
    (call) => call.name === END_CALL || call.name === TRANSFER_CALL,
  )
    ? END
    : 'agent';
}

/**
 * The end-call node: answers the tool calls that routed here (so the thread stays valid for the
 * model API if it is ever continued) and says the fixed goodbye. Declared with
 * `{ metadata: { end_call: true } }`, so `LLMAdapter` ends the call once the goodbye has played.
 */
async function goodbye(state: State) {
  const answers = lastToolCalls(state.messages).map(
    (call) =>
      new ToolMessage({
        tool_call_id: call.id ?? '',
        name: call.name,
        content: 'The call ended with the goodbye.',
      }),
  );
  return { messages: [...answers, new AIMessage(GOODBYE)] };
}
