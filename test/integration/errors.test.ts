import { AIMessage } from '@langchain/core/messages';
import { END, MessagesAnnotation, START, StateGraph } from '@langchain/langgraph';
import type { llm } from '@livekit/agents';
import { describe, expect, it } from 'vitest';
import { chatGraph } from '../../fixtures/graphs.js';
import { ScriptedChatModel } from '../../fixtures/scripted-chat-model.js';
import { eventsOf, withTextSession } from '../../fixtures/session.js';
import { DEFAULT_ERROR_LINE } from '../../src/adapter-options.js';
import { LLMAdapter } from '../../src/index.js';

/** Records the adapter's `error` events. */
type LLMError = Parameters<llm.LLMCallbacks['error']>[0];

function errorsOf(adapter: LLMAdapter): LLMError[] {
  const errors: LLMError[] = [];
  adapter.on('error', (error) => errors.push(error));
  return errors;
}

describe('a failing graph', () => {
  it('is run again when it failed before saying anything, and the caller hears the answer once', async () => {
    const model = new ScriptedChatModel({
      script: [
        { error: Object.assign(new Error('model service unavailable'), { status: 503 }) },
        { text: 'Sorry for the wait, here I am.' },
      ],
    });
    const adapter = new LLMAdapter({ graph: chatGraph(model).compile() });
    const errors = errorsOf(adapter);
    await withTextSession({ llm: adapter }, async ({ say }) => {
      expect(eventsOf(await say('hello?'))).toEqual([
        ['message', 'assistant', 'Sorry for the wait, here I am.'],
      ]);
    });
    expect(model.calls).toHaveLength(2);
    // the retry is the adapter's own: the session sees no error at all
    expect(errors).toEqual([]);
  });

  it('is not run again once it spoke, and the session survives to the next turn', async () => {
    let turn = 0;
    const graph = new StateGraph(MessagesAnnotation)
      .addNode('speak', async () => ({
        messages: [new AIMessage({ id: `m${turn}`, content: 'Let me look that up.' })],
      }))
      .addNode('lookup', async () => {
        turn += 1;
        if (turn === 1) throw new TypeError('orders.find is not a function');
        return { messages: [new AIMessage({ id: `r${turn}`, content: 'Found it.' })] };
      })
      .addEdge(START, 'speak')
      .addEdge('speak', 'lookup')
      .addEdge('lookup', END)
      .compile();
    const adapter = new LLMAdapter({ graph });
    const errors = errorsOf(adapter);
    await withTextSession({ llm: adapter }, async ({ say }) => {
      const first = await say('order status?');
      expect(eventsOf(first)).toEqual([['message', 'assistant', 'Let me look that up.']]);
      expect(eventsOf(await say('and now?'))).toEqual([
        ['message', 'assistant', 'Let me look that up. Found it.'],
      ]);
    });
    expect(turn).toBe(2);
    expect(
      errors.map((e) => [e.recoverable, e.error.message, (e.error.cause as Error).name]),
    ).toEqual([
      [
        false,
        'LangGraph run failed in node "lookup": TypeError: orders.find is not a function',
        'TypeError',
      ],
    ]);
  });

  it('does not retry a recursion limit', async () => {
    const model = new ScriptedChatModel({ script: [{ text: '' }] });
    const graph = new StateGraph(MessagesAnnotation)
      .addNode('loop', async (s) => ({ messages: [await model.invoke(s.messages)] }))
      .addEdge(START, 'loop')
      .addConditionalEdges('loop', () => 'loop')
      .compile();
    const adapter = new LLMAdapter({ graph, config: { recursionLimit: 3 } });
    const errors = errorsOf(adapter);
    await withTextSession({ llm: adapter }, async ({ say }) => {
      // the caller hears the error line instead of silence
      expect(eventsOf(await say('hi'))).toEqual([['message', 'assistant', DEFAULT_ERROR_LINE]]);
    });
    expect(
      errors.map((e) => [
        e.recoverable,
        e.error.message.split('.')[0],
        (e.error.cause as Error).name,
      ]),
    ).toEqual([
      [
        false,
        'LangGraph run failed: GraphRecursionError: Recursion limit of 3 reached without hitting a stop condition',
        'GraphRecursionError',
      ],
    ]);
    expect(model.calls).toHaveLength(3);
  });
});
