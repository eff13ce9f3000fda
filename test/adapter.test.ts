import { END, MessagesAnnotation, START, StateGraph } from '@langchain/langgraph';
import { describe, expect, it } from 'vitest';
import { LLMAdapter } from '../src/index.js';

const builder = () =>
  new StateGraph(MessagesAnnotation)
    .addNode('agent', async () => ({}))
    .addEdge(START, 'agent')
    .addEdge('agent', END);

describe('LLMAdapter', () => {
  it('names the graph as its model, and LangGraph as its provider', () => {
    const adapter = new LLMAdapter({ graph: builder().compile({ name: 'support' }) });
    expect([adapter.label(), adapter.model, adapter.provider]).toEqual([
      'livekit-langgraph.LLMAdapter',
      'support',
      'langgraph',
    ]);
    expect(
      new LLMAdapter({ graph: { stream: async () => [], graphId: 'remote-agent' } as never }).model,
    ).toBe('remote-agent');
  });

  it('picks the thread id: the option, else configurable.thread_id, else one id per adapter', () => {
    const graph = builder().compile();
    expect(new LLMAdapter({ graph, threadId: 'call-1' }).threadId()).toBe('call-1');
    const perRoom = new LLMAdapter({ graph, threadId: ({ roomName }) => `room:${roomName}` });
    expect(perRoom.threadId()).toBe('room:undefined');
    const configured = new LLMAdapter({ graph, config: { configurable: { thread_id: 'cfg' } } });
    expect(configured.threadId()).toBe('cfg');
    const fallback = new LLMAdapter({ graph });
    expect(fallback.threadId()).toBe(fallback.threadId());
    expect(fallback.threadId()).not.toBe(new LLMAdapter({ graph }).threadId());
  });
});
