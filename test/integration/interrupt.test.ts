/**
 * interrupt() turns with a local graph, through a real AgentSession: the question is spoken, the
 * turn ends, and the caller's next words resume the graph with `Command({ resume })`.
 */
import { AIMessage } from '@langchain/core/messages';
import {
  END,
  interrupt,
  MemorySaver,
  MessagesAnnotation,
  START,
  StateGraph,
} from '@langchain/langgraph';
import type { llm } from '@livekit/agents';
import { describe, expect, it } from 'vitest';
import { askingGraph } from '../../fixtures/graphs.js';
import { eventsOf, withTextSession } from '../../fixtures/session.js';
import { DEFAULT_ERROR_LINE } from '../../src/adapter-options.js';
import { LLMAdapter } from '../../src/index.js';
import {
  INTERRUPT_NEEDS_CHECKPOINTER,
  INTERRUPT_NEEDS_LATEST,
} from '../../src/stream/interrupts.js';

type LLMError = Parameters<llm.LLMCallbacks['error']>[0];

const stateOf = async (graph: ReturnType<ReturnType<typeof askingGraph>['compile']>, id: string) =>
  graph.getState({ configurable: { thread_id: id } });

describe('interrupt()', () => {
  it('speaks the question, ends the turn, and resumes with what the caller says next', async () => {
    const graph = askingGraph().compile({ checkpointer: new MemorySaver() });
    const adapter = new LLMAdapter({ graph, input: 'latest', threadId: 'call-ask' });
    await withTextSession({ llm: adapter }, async ({ say }) => {
      expect(eventsOf(await say('check my account'))).toEqual([
        ['message', 'assistant', "What's your account number?"],
      ]);
      expect((await stateOf(graph, 'call-ask')).next).toEqual(['ask']);
      expect(eventsOf(await say('12345'))).toEqual([
        ['message', 'assistant', 'Thanks, account 12345 is active.'],
      ]);
      expect((await stateOf(graph, 'call-ask')).next).toEqual([]);
      // nothing is pending any more: the next words are ordinary input, which asks again
      expect(eventsOf(await say('and my other account?'))).toEqual([
        ['message', 'assistant', "What's your account number?"],
      ]);
    });
    const messages = (await stateOf(graph, 'call-ask')).values.messages as AIMessage[];
    // the question and the answer travel as interrupt() and Command({ resume }), not as messages
    expect(messages.map((m) => [m.getType(), m.content])).toEqual([
      ['human', 'check my account'],
      ['ai', 'Thanks, account 12345 is active.'],
      ['human', 'and my other account?'],
    ]);
  });

  it('speaks what the graph said before the question, then the question', async () => {
    const graph = new StateGraph(MessagesAnnotation)
      .addNode('greet', async () => ({ messages: [new AIMessage('Sure, I can look.')] }))
      .addNode('ask', async () => {
        const zip = interrupt('Which zip code?');
        return { messages: [new AIMessage(`Looking at ${String(zip)}.`)] };
      })
      .addEdge(START, 'greet')
      .addEdge('greet', 'ask')
      .addEdge('ask', END)
      .compile({ checkpointer: new MemorySaver() });
    const adapter = new LLMAdapter({ graph, input: 'latest', nodes: ['greet'] });
    await withTextSession({ llm: adapter }, async ({ say }) => {
      // the prompt is spoken even though `nodes` leaves its node out
      expect(eventsOf(await say('any stores near me?'))).toEqual([
        ['message', 'assistant', 'Sure, I can look. Which zip code?'],
      ]);
      // 'ask' is not in `nodes`: its answer reaches the thread but is not spoken
      expect(eventsOf(await say('94107'))).toEqual([]);
    });
    const messages = (await graph.getState({ configurable: { thread_id: adapter.threadId() } }))
      .values.messages as AIMessage[];
    expect(messages.at(-1)?.content).toBe('Looking at 94107.');
  });

  it.each([
    [
      "input: 'history'",
      () => ({ graph: askingGraph().compile({ checkpointer: new MemorySaver() }) }),
      INTERRUPT_NEEDS_LATEST,
    ],
    [
      'a graph without a checkpointer',
      () => ({ graph: askingGraph().compile() }),
      `${INTERRUPT_NEEDS_CHECKPOINTER} (node "ask")`,
    ],
  ])('fails the turn with %s, saying how to fix it', async (_name, options, message) => {
    const adapter = new LLMAdapter(options());
    const errors: LLMError[] = [];
    adapter.on('error', (e) => errors.push(e));
    await withTextSession({ llm: adapter }, async ({ say }) => {
      // the caller hears the error line; the developer reads the fix in the error
      expect(eventsOf(await say('check my account'))).toEqual([
        ['message', 'assistant', DEFAULT_ERROR_LINE],
      ]);
    });
    expect(errors.map((e) => [e.recoverable, e.error.message])).toEqual([[false, message]]);
  });
});
