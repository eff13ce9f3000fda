import { AIMessage } from '@langchain/core/messages';
import { tool } from '@langchain/core/tools';
import { END, MessagesAnnotation, START, StateGraph } from '@langchain/langgraph';
import { llm } from '@livekit/agents';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { chatGraph, reactGraph } from '../../fixtures/graphs.js';
import { ScriptedChatModel } from '../../fixtures/scripted-chat-model.js';
import { eventsOf, withTextSession } from '../../fixtures/session.js';
import { LLMAdapter } from '../../src/index.js';

describe('what the caller hears', () => {
  it('speaks the streamed answer of the model, and keeps the multi-turn history', async () => {
    const model = new ScriptedChatModel({
      script: [{ text: 'Hello there, how can I help?' }, { text: 'Your order ships today.' }],
    });
    const adapter = new LLMAdapter({ graph: chatGraph(model).compile() });
    await withTextSession(
      { llm: adapter, instructions: 'You are Acme support.' },
      async ({ say }) => {
        expect(eventsOf(await say('hi'))).toEqual([
          ['message', 'assistant', 'Hello there, how can I help?'],
        ]);
        expect(eventsOf(await say('where is my order?'))).toEqual([
          ['message', 'assistant', 'Your order ships today.'],
        ]);
      },
    );
    expect(model.calls[1]?.map((m) => [m.getType(), m.content])).toEqual([
      ['system', 'You are Acme support.'],
      ['human', 'hi'],
      ['ai', 'Hello there, how can I help?'],
      ['human', 'where is my order?'],
    ]);
  });

  it('never speaks tool calls, their arguments or tool results in a ReAct loop', async () => {
    const lookupOrder = tool(async ({ orderId }) => `order ${orderId}: SECRET-STATUS shipped`, {
      name: 'lookup_order',
      description: 'Look up an order',
      schema: z.object({ orderId: z.string() }),
    });
    const model = new ScriptedChatModel({
      script: [
        { text: 'Let me check.', toolCalls: [{ name: 'lookup_order', args: { orderId: 'A-42' } }] },
        (messages) => ({
          text: `It says: ${messages.at(-1)?.getType() === 'tool' ? 'shipped' : 'unknown'}.`,
        }),
      ],
    });
    const adapter = new LLMAdapter({ graph: reactGraph(model, [lookupOrder]).compile() });
    await withTextSession({ llm: adapter }, async ({ say }) => {
      expect(eventsOf(await say('where is A-42?'))).toEqual([
        ['message', 'assistant', 'Let me check. It says: shipped.'],
      ]);
    });
    expect(model.boundTools).toEqual(['lookup_order']);
  });

  it('speaks only the allowed nodes', async () => {
    const router = new ScriptedChatModel({ script: [{ text: 'intent=billing' }] });
    const responder = new ScriptedChatModel({ script: [{ text: 'Billing can help with that.' }] });
    const graph = new StateGraph(MessagesAnnotation)
      .addNode('router', async (s) => ({ messages: [await router.invoke(s.messages)] }))
      .addNode('respond', async (s) => ({ messages: [await responder.invoke(s.messages)] }))
      .addEdge(START, 'router')
      .addEdge('router', 'respond')
      .addEdge('respond', END)
      .compile();
    await withTextSession(
      { llm: new LLMAdapter({ graph, nodes: ['respond'] }) },
      async ({ say }) => {
        expect(eventsOf(await say('my bill is wrong'))).toEqual([
          ['message', 'assistant', 'Billing can help with that.'],
        ]);
      },
    );
  });

  it('streams subgraph tokens with subgraphs: true; without it, the subgraph answer arrives whole', async () => {
    const build = () => {
      const inner = new ScriptedChatModel({
        script: [{ text: 'From the subgraph.' }],
        tokenDelayMs: 1,
      });
      return new StateGraph(MessagesAnnotation)
        .addNode('child', chatGraph(inner).compile())
        .addEdge(START, 'child')
        .addEdge('child', END)
        .compile();
    };
    const contentChunks = async (adapter: LLMAdapter) => {
      const chatCtx = new llm.ChatContext([
        llm.ChatMessage.create({ role: 'user', content: 'hi' }),
      ]);
      const chunks: string[] = [];
      for await (const chunk of adapter.chat({ chatCtx })) {
        if (chunk.delta?.content) chunks.push(chunk.delta.content);
      }
      return chunks;
    };
    expect(await contentChunks(new LLMAdapter({ graph: build(), subgraphs: true }))).toEqual([
      'From',
      ' the',
      ' subgraph.',
    ]);
    expect(await contentChunks(new LLMAdapter({ graph: build() }))).toEqual(['From the subgraph.']);
    await withTextSession(
      { llm: new LLMAdapter({ graph: build(), subgraphs: true }) },
      async ({ say }) => {
        expect(eventsOf(await say('hi'))).toEqual([['message', 'assistant', 'From the subgraph.']]);
      },
    );
  });

  it('speaks custom strings, text blocks and whole AIMessages, but not custom objects', async () => {
    const graph = new StateGraph(MessagesAnnotation)
      .addNode('work', async (_s, config) => {
        config.writer?.('One moment. ');
        config.writer?.({ progress: 0.5, note: 'SECRET-PROGRESS' });
        return {
          messages: [
            new AIMessage({
              content: [
                { type: 'text', text: 'Found it: ' },
                { type: 'image_url', image_url: { url: 'https://example.com/SECRET.png' } },
                { type: 'text', text: 'three items.' },
              ],
            }),
          ],
        };
      })
      .addEdge(START, 'work')
      .addEdge('work', END)
      .compile();
    await withTextSession({ llm: new LLMAdapter({ graph }) }, async ({ say }) => {
      expect(eventsOf(await say('status?'))).toEqual([
        ['message', 'assistant', 'One moment. Found it: three items.'],
      ]);
    });
  });

  it('speaks custom-stream token deltas exactly as written, and spaces a message after them', async () => {
    // a node that streams its own model client writes one delta per token
    const graph = new StateGraph(MessagesAnnotation)
      .addNode('stream_own_client', async (_s, config) => {
        for (const delta of ['Hel', 'lo', ', your', ' order', ' shipped.']) config.writer?.(delta);
        return { messages: [new AIMessage('Anything else?')] };
      })
      .addEdge(START, 'stream_own_client')
      .addEdge('stream_own_client', END)
      .compile();
    await withTextSession({ llm: new LLMAdapter({ graph }) }, async ({ say }) => {
      expect(eventsOf(await say('status?'))).toEqual([
        ['message', 'assistant', 'Hello, your order shipped. Anything else?'],
      ]);
    });
  });
});
