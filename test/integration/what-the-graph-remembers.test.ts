/**
 * With `input: 'latest'` the graph's thread must hold what the caller said and heard — not the
 * preemptive runs agents-js discarded, not the words of an answer cut by a barge-in.
 */
import { AIMessage, type BaseMessage } from '@langchain/core/messages';
import { tool } from '@langchain/core/tools';
import {
  type BaseCheckpointSaver,
  END,
  MemorySaver,
  MessagesAnnotation,
  START,
  StateGraph,
} from '@langchain/langgraph';
import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { observeTool, withAudioSession } from '../../fixtures/audio.js';
import { callerModel, chatGraph, reactGraph, unforked } from '../../fixtures/graphs.js';
import {
  callerIn,
  conversationOf,
  HEARD_IN_CALL,
  historyOf,
  interruptTheGoodbye,
  runRememberedCall,
  threadEndsWith,
} from '../../fixtures/remembered-call.js';
import { ScriptedChatModel } from '../../fixtures/scripted-chat-model.js';
import { eventsOf, withTextSession } from '../../fixtures/session.js';
import { CALL_KEPT_UP_NOTE } from '../../src/graph/end-call.js';
import { endCall, endCallTool, LLMAdapter } from '../../src/index.js';
import type { StreamableGraph } from '../../src/stream/stream.js';
import { useHangupFixture } from '../helpers/hangup-fixture.js';

function callerGraph(checkpointer: BaseCheckpointSaver) {
  const model = callerModel();
  return { model, graph: chatGraph(model).compile({ checkpointer }) };
}

const messagesOf = (graph: StreamableGraph, threadId: string) => async () => {
  const state = (await graph.getState?.({ configurable: { thread_id: threadId } })) as {
    values?: { messages?: unknown[] };
  };
  return state?.values?.messages ?? [];
};

describe('what the graph remembers', () => {
  // SQLite and PostgreSQL run the same call in durable-threads.ts, LangGraph Server in remote-graph
  it('with MemorySaver, the thread holds exactly what the caller said and heard', async () => {
    const threadId = 'call-remembers';
    const { graph, model } = callerGraph(new MemorySaver());
    const adapter = new LLMAdapter({ graph, input: 'latest', threadId });
    const { history, thread } = await runRememberedCall(adapter, messagesOf(graph, threadId));
    expect(history).toEqual(HEARD_IN_CALL);
    expect(thread).toEqual(history);
    // the last answer was built on that conversation, not on the discarded or unheard words
    const lastCall = model.calls.at(-1)?.map((m) => [m.getType(), m.content]);
    expect(lastCall).toEqual(
      HEARD_IN_CALL.slice(0, -1).map(([role, text]) => [role === 'user' ? 'human' : 'ai', text]),
    );
  });

  it('without forking (the control), the same call leaves phantom turns in the thread', async () => {
    const threadId = 'call-remembers-control';
    const { graph } = callerGraph(new MemorySaver());
    const adapter = new LLMAdapter({ graph: unforked(graph), input: 'latest', threadId });
    const { history, thread } = await runRememberedCall(adapter, messagesOf(graph, threadId));
    expect(history).toEqual(HEARD_IN_CALL);
    expect(thread).not.toEqual(history);
    // the discarded preemptive runs' transcripts and answers
    expect(thread).toEqual(
      expect.arrayContaining([
        ['user', 'I want to'],
        ['assistant', 'You said: I want to'],
        ['user', 'I want to cancel'],
        ['assistant', 'You said: I want to cancel'],
      ]),
    );
  });
});

/** A message as the model got it: type, text, and the names of its tool calls. */
const seen = (m: BaseMessage) => [
  m.getType(),
  m.content,
  ...((m as AIMessage).tool_calls?.length ? [(m as AIMessage).tool_calls?.map((c) => c.name)] : []),
];

describe('an end of call the caller interrupted', () => {
  const fixture = useHangupFixture('call-kept-up');
  const GOODBYE = 'Glad I could help. Bye!';
  const answer = (said: string) => ({ text: `You said: ${said}` });

  /** The model says goodbye with an `end_call` tool call; a ToolNode runs it. */
  function byTool() {
    const model = new ScriptedChatModel({
      script: [
        (messages) => {
          const last = messages.at(-1) as BaseMessage;
          if (last.getType() === 'tool') return { text: '' };
          if (last.content !== 'bye') return answer(String(last.content));
          return { text: GOODBYE, toolCalls: [{ name: 'end_call', args: { reason: 'bye' } }] };
        },
      ],
    });
    return { model, graph: reactGraph(model, [endCallTool]) };
  }

  /** A node says goodbye and calls `endCall()`. */
  function bySignal() {
    const model = new ScriptedChatModel({
      script: [(messages) => answer(String(messages.at(-1)?.content))],
    });
    const graph = new StateGraph(MessagesAnnotation)
      .addNode('agent', async (state, config) => {
        if (state.messages.at(-1)?.content !== 'bye') {
          return { messages: [await model.invoke(state.messages)] };
        }
        endCall(config, { reason: 'bye' });
        return { messages: [new AIMessage(GOODBYE)] };
      })
      .addEdge(START, 'agent')
      .addEdge('agent', END);
    return { model, graph };
  }

  it.each([
    [
      "the model's end_call tool call",
      byTool,
      [
        ['human', 'bye'],
        ['ai', 'Glad I could', ['end_call']],
        ['tool', CALL_KEPT_UP_NOTE],
        ['ai', ''],
        ['human', 'wait, one more thing'],
      ],
    ],
    [
      'endCall() in a node',
      bySignal,
      [
        ['human', 'bye'],
        ['ai', 'Glad I could', ['end_call']],
        ['tool', CALL_KEPT_UP_NOTE],
        ['human', 'wait, one more thing'],
      ],
    ],
  ])('%s stays in the thread as heard, with the call kept up', async (_name, build, expected) => {
    const { model, graph: builder } = build();
    const graph = builder.compile({ checkpointer: new MemorySaver() });
    const adapter = new LLMAdapter({ graph, input: 'latest', threadId: 'call-kept-up' });
    const endCallTool = observeTool(fixture.hangupTool({ interruptible: true }));
    await withAudioSession({ llm: adapter, tools: { end_call: endCallTool.tool } }, async (s) => {
      const caller = callerIn(s);
      await interruptTheGoodbye(caller, endCallTool, 'Glad I could');
      await caller.endTurn('wait, one more thing');
      caller.hear();
      await caller.answered(4);
    });
    expect(fixture.stub.requests).toEqual([]);
    expect(model.calls.at(-1)?.map(seen)).toEqual(expected);
  });
});

describe('a reused preemptive run', () => {
  it("stores the caller's final transcript, not the interim one the run started on", async () => {
    const threadId = 'call-retranscribed';
    const { graph } = callerGraph(new MemorySaver());
    const adapter = new LLMAdapter({ graph, input: 'latest', threadId });
    const { history, thread } = await withAudioSession({ llm: adapter }, async (s) => {
      const caller = callerIn(s);
      caller.preempt('where is my order');
      await threadEndsWith(messagesOf(graph, threadId), 'You said: where is my order');
      // agents-js counts the two as the same words, so it plays the preemptive run's answer
      await caller.endTurn('Where is my order?');
      caller.hear();
      await caller.endTurn('thanks');
      caller.hear();
      await caller.answered(4);
      return { history: historyOf(s.session), thread: await messagesOf(graph, threadId)() };
    });
    expect(history).toEqual([
      ['user', 'Where is my order?'],
      ['assistant', 'You said: where is my order'],
      ['user', 'thanks'],
      ['assistant', 'You said: thanks'],
    ]);
    expect(conversationOf(thread)).toEqual(history);
  });
});

describe('a run that failed before it said anything', () => {
  it('is run again from the same checkpoint, so its writes are not doubled', async () => {
    const model = new ScriptedChatModel({
      script: [
        { error: Object.assign(new Error('model overloaded'), { status: 503 }) },
        { text: 'Order 42 shipped.' },
      ],
    });
    const graph = new StateGraph(MessagesAnnotation)
      .addNode('lookup', async () => ({ messages: [new AIMessage('order 42: shipped')] }))
      .addNode('agent', async (state) => ({ messages: [await model.invoke(state.messages)] }))
      .addEdge(START, 'lookup')
      .addEdge('lookup', 'agent')
      .addEdge('agent', END)
      .compile({ checkpointer: new MemorySaver() });
    const threadId = 'call-retried';
    const adapter = new LLMAdapter({ graph, input: 'latest', threadId, nodes: ['agent'] });
    await withTextSession({ llm: adapter }, async ({ say }) => {
      expect(eventsOf(await say('where is order 42?'))).toEqual([
        ['message', 'assistant', 'Order 42 shipped.'],
      ]);
    });
    expect(model.calls.map((messages) => messages.map((m) => m.content))).toEqual([
      ['where is order 42?', 'order 42: shipped'],
      ['where is order 42?', 'order 42: shipped'],
    ]);
    expect(conversationOf(await messagesOf(graph, threadId)())).toEqual([
      ['user', 'where is order 42?'],
      ['assistant', 'order 42: shipped'],
      ['assistant', 'Order 42 shipped.'],
    ]);
  });
});

describe('holdPreemptiveRuns', () => {
  /** A graph whose ToolNode cancels orders (a side effect), recording each cancellation. */
  function cancellingGraph() {
    const cancelled: string[] = [];
    const cancelOrder = tool(
      async ({ said }) => {
        cancelled.push(said);
        return 'cancelled';
      },
      {
        name: 'cancel_order',
        description: 'Cancels the order',
        schema: z.object({ said: z.string() }),
      },
    );
    const model = new ScriptedChatModel({
      script: [
        (messages) => {
          const last = messages.at(-1) as BaseMessage;
          const said = String(last.content);
          if (last.getType() === 'tool') return { text: 'Done, it is cancelled.' };
          if (said.startsWith('cancel')) {
            return { toolCalls: [{ name: 'cancel_order', args: { said } }] };
          }
          return { text: `You said: ${said}` };
        },
      ],
    });
    const graph = reactGraph(model, [cancelOrder]).compile({ checkpointer: new MemorySaver() });
    return { graph, model, cancelled };
  }

  it.each([
    ['held, the graph never acts on an interim transcript', true, []],
    ['not held (the control), the discarded run already cancelled the order', false, ['cancel']],
  ])('%s', async (_name, hold, expected) => {
    const { graph, model, cancelled } = cancellingGraph();
    const adapter = new LLMAdapter({ graph, input: 'latest', threadId: `call-hold-${hold}` });
    await withAudioSession({ llm: adapter }, async (s) => {
      if (hold) adapter.holdPreemptiveRuns(s.session);
      const caller = callerIn(s);
      caller.preempt('cancel');
      // unheld, the discarded run acts at once; held, it never runs (the asserts below)
      if (!hold) await vi.waitFor(() => expect(cancelled).toHaveLength(1), { timeout: 10_000 });
      await caller.endTurn('can you check my order');
      caller.hear();
      await caller.answered(2);
    });
    expect(cancelled).toEqual(expected);
    expect(model.calls.at(-1)?.at(-1)?.content).toBe('can you check my order');
    // the interim transcript reached the model only without the hold
    const heardCancel = model.calls.some((call) => call.some((m) => m.content === 'cancel'));
    expect(heardCancel).toBe(!hold);
  });

  it('starts a reused preemptive run at the end of the turn, with the final transcript', async () => {
    const { graph, model } = cancellingGraph();
    const adapter = new LLMAdapter({ graph, input: 'latest', threadId: 'call-hold-reused' });
    await withAudioSession({ llm: adapter }, async (s) => {
      adapter.holdPreemptiveRuns(s.session);
      const caller = callerIn(s);
      caller.preempt('where is my order');
      await caller.endTurn('Where is my order?');
      caller.hear();
      await caller.answered(2);
      expect(historyOf(s.session)).toEqual([
        ['user', 'Where is my order?'],
        ['assistant', 'You said: Where is my order?'],
      ]);
    });
    expect(model.calls.map((messages) => messages.map((m) => m.content))).toEqual([
      ['Where is my order?'],
    ]);
  });

  it('lets a held run start when the hold is stopped', async () => {
    const { graph, cancelled } = cancellingGraph();
    const adapter = new LLMAdapter({ graph, input: 'latest', threadId: 'call-hold-stopped' });
    await withAudioSession({ llm: adapter }, async (s) => {
      const stopHolding = adapter.holdPreemptiveRuns(s.session);
      const chat = adapter.chat.bind(adapter);
      let runs = 0;
      adapter.chat = (options) => {
        runs += 1;
        return chat(options);
      };
      callerIn(s).preempt('cancel');
      // the preemptive run exists and is held (the test above proves holding)
      await vi.waitFor(() => expect(runs).toBe(1), { timeout: 10_000 });
      stopHolding();
      await vi.waitFor(() => expect(cancelled).toEqual(['cancel']), { timeout: 10_000 });
    });
  });
});
