/**
 * Small real LangGraph graphs used across the tests.
 */
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { AIMessage } from '@langchain/core/messages';
import type { StructuredToolInterface } from '@langchain/core/tools';
import {
  END,
  interrupt,
  type LangGraphRunnableConfig,
  MessagesAnnotation,
  START,
  StateGraph,
} from '@langchain/langgraph';
import { ToolNode } from '@langchain/langgraph/prebuilt';
import type { StreamableGraph } from '../../src/stream/stream.js';
import { ScriptedChatModel, type ScriptedReply } from './scripted-chat-model.js';

/** START → agent (the model) → END. */
export function chatGraph(model: BaseChatModel) {
  return new StateGraph(MessagesAnnotation)
    .addNode('agent', async (state) => ({ messages: [await model.invoke(state.messages)] }))
    .addEdge(START, 'agent')
    .addEdge('agent', END);
}

/** A ReAct loop: the model (bound to `tools`) ↔ a ToolNode, until the model stops calling tools. */
export function reactGraph(model: BaseChatModel, tools: StructuredToolInterface[]) {
  const bound = model.bindTools?.(tools) ?? model;
  return new StateGraph(MessagesAnnotation)
    .addNode('agent', async (state) => ({ messages: [await bound.invoke(state.messages)] }))
    .addNode('tools', new ToolNode(tools))
    .addEdge(START, 'agent')
    .addConditionalEdges('agent', (state) => {
      const last = state.messages.at(-1) as { tool_calls?: unknown[] } | undefined;
      return last?.tool_calls?.length ? 'tools' : END;
    })
    .addEdge('tools', 'agent');
}

/** START → ask → END: `ask` pauses on `interrupt({ question })`, then confirms what the caller said. */
export function askingGraph(question = "What's your account number?") {
  return new StateGraph(MessagesAnnotation)
    .addNode('ask', async () => {
      const account = interrupt({ question });
      return { messages: [new AIMessage(`Thanks, account ${String(account)} is active.`)] };
    })
    .addEdge(START, 'ask')
    .addEdge('ask', END);
}

/** A model that answers "You said: <the last message>", so every thread gets its own answers. */
export function echoModel(options: { usage?: { input: number; output: number } } = {}) {
  return new ScriptedChatModel({
    script: [
      (messages) => ({
        text: `You said: ${String(messages.at(-1)?.content)}`,
        usage: options.usage,
      }),
    ],
  });
}

/** The goodbye of {@link SAYS_MORE_AFTER_GOODBYE}. */
export const GOODBYE = 'Thanks for calling. Goodbye!';

/** What {@link SAYS_MORE_AFTER_GOODBYE} adds after its goodbye. */
export const AFTER_GOODBYE = 'Is there anything else I can do?';

/**
 * A model script as real models behave after `end_call`: the goodbye with the tool call, then —
 * whatever the tool result said — one more question.
 */
export const SAYS_MORE_AFTER_GOODBYE: ScriptedReply[] = [
  { text: GOODBYE, toolCalls: [{ name: 'end_call', args: { reason: 'caller said goodbye' } }] },
  { text: AFTER_GOODBYE },
];

/** The long answer `callerModel` gives to a refund question (the remembered-call tests cut it). */
export const REFUND_ANSWER =
  'Your refund of forty dollars was sent on Monday and arrives within five business days.';

/** The answer `callerModel` gives when the caller said `said`. */
export const answerTo = (said: string): string =>
  said.includes('refund') ? REFUND_ANSWER : `You said: ${said}`;

/** Answers a refund question at length ({@link REFUND_ANSWER}) and anything else with "You said: …". */
export function callerModel(): ScriptedChatModel {
  return new ScriptedChatModel({
    script: [(messages) => ({ text: answerTo(String(messages.at(-1)?.content)) })],
  });
}

/**
 * `graph` as an adapter that runs every turn on the thread's head would use it: the checkpoint to
 * fork from and the `checkpoints` stream mode are dropped (the control of the tests, the baseline
 * of the benchmark).
 */
export function unforked(graph: StreamableGraph): StreamableGraph {
  return {
    stream: (input, options = {}) => {
      const { checkpoint_id: _id, ...configurable } = (options.configurable ?? {}) as Record<
        string,
        unknown
      >;
      const modes = options.streamMode as string[] | undefined;
      const streamMode = modes?.filter((mode) => mode !== 'checkpoints');
      return graph.stream(input, { ...options, configurable, streamMode });
    },
    getState: (config) => graph.getState?.(config) ?? Promise.resolve(undefined),
  };
}

/** The values a one-node graph writes to its custom stream when the node runs `act`. */
export async function customWritesOf(
  act: (config: LangGraphRunnableConfig) => void,
): Promise<unknown[]> {
  const graph = new StateGraph(MessagesAnnotation)
    .addNode('node', async (_s, config) => {
      act(config);
      return {};
    })
    .addEdge(START, 'node')
    .addEdge('node', END)
    .compile();
  const custom: unknown[] = [];
  for await (const [mode, payload] of await graph.stream(
    { messages: [] },
    { streamMode: ['custom'] },
  )) {
    if (mode === 'custom') custom.push(payload);
  }
  return custom;
}
