import { type LangGraphRunnableConfig, MemorySaver } from '@langchain/langgraph';
import type { metrics } from '@livekit/agents';
import { describe, expect, it } from 'vitest';
import { chatGraph } from '../../fixtures/graphs.js';
import { ScriptedChatModel } from '../../fixtures/scripted-chat-model.js';
import { eventsOf, withTextSession } from '../../fixtures/session.js';
import { LLMAdapter } from '../../src/index.js';

describe('run config and metrics', () => {
  it('merges thread_id into the user config without changing it, and passes tags, metadata and callbacks', async () => {
    const seen: Record<string, unknown>[] = [];
    const model = new ScriptedChatModel({ script: [{ text: 'ok' }] });
    const graph = chatGraph(model)
      .addNode('inspect', async (_s, runtime) => {
        // nodes get the whole run config; LangGraph 1.x types the argument as its Runtime subset
        const config = runtime as LangGraphRunnableConfig;
        seen.push({
          thread: config.configurable?.thread_id,
          tenant: config.configurable?.tenant,
          tags: config.tags,
          metadata: { app: config.metadata?.app },
          recursionLimit: config.recursionLimit,
        });
        return {};
      })
      .addEdge('agent', 'inspect')
      .compile();
    const handled: string[] = [];
    const config = {
      configurable: { tenant: 'acme' },
      tags: ['voice'],
      metadata: { app: 'support-line' },
      recursionLimit: 12,
      callbacks: [
        {
          // the node runs the tracer sees, by the node name LangGraph puts in their metadata
          handleChainStart: (...args: unknown[]) => {
            const node = (args[5] as { langgraph_node?: unknown } | undefined)?.langgraph_node;
            if (typeof node === 'string') handled.push(node);
          },
        },
      ],
    };
    const frozen = structuredClone({ ...config, callbacks: undefined });
    const adapter = new LLMAdapter({ graph, config, threadId: 'call-7' });
    await withTextSession({ llm: adapter }, async ({ say }) => {
      await say('hi');
    });
    expect(seen).toEqual([
      {
        thread: 'call-7',
        tenant: 'acme',
        tags: ['voice'],
        metadata: { app: 'support-line' },
        recursionLimit: 12,
      },
    ]);
    expect(handled).toEqual(expect.arrayContaining(['agent', 'inspect']));
    expect({ ...config, callbacks: undefined }).toEqual(frozen);
  });

  it.each([
    ['a threadId function', { threadId: () => 'from-function' }, 'from-function'],
    [
      'configurable.thread_id',
      { config: { configurable: { thread_id: 'from-config' } } },
      'from-config',
    ],
  ])('takes the thread from %s', (_name, options, expected) => {
    const adapter = new LLMAdapter({
      graph: chatGraph(new ScriptedChatModel({ script: [{}] })).compile(),
      ...options,
    });
    expect(adapter.threadId()).toBe(expected);
  });

  it('uses one random thread per adapter outside a LiveKit job', () => {
    const graph = chatGraph(new ScriptedChatModel({ script: [{}] })).compile();
    const a = new LLMAdapter({ graph });
    const b = new LLMAdapter({ graph });
    expect(a.threadId()).toBe(a.threadId());
    expect(a.threadId()).not.toBe(b.threadId());
    expect(a.threadId()).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('reports LiveKit LLM metrics with the token usage of every model call of the run', async () => {
    const model = new ScriptedChatModel({
      script: [{ text: 'Part one.', usage: { input: 10, output: 3 } }],
    });
    const second = new ScriptedChatModel({
      script: [{ text: 'Part two.', usage: { input: 20, output: 4 } }],
    });
    const graph = chatGraph(model)
      .addNode('more', async (s) => ({ messages: [await second.invoke(s.messages)] }))
      .addEdge('agent', 'more')
      .compile({ name: 'support-graph', checkpointer: new MemorySaver() });
    const adapter = new LLMAdapter({ graph });
    const collected: metrics.LLMMetrics[] = [];
    adapter.on('metrics_collected', (m) => collected.push(m));
    await withTextSession({ llm: adapter }, async ({ say }) => {
      expect(eventsOf(await say('hi'))).toEqual([['message', 'assistant', 'Part one. Part two.']]);
    });
    expect(collected).toHaveLength(1);
    const [m] = collected;
    expect({
      label: m?.label,
      model: m?.metadata?.modelName,
      provider: m?.metadata?.modelProvider,
      promptTokens: m?.promptTokens,
      completionTokens: m?.completionTokens,
      totalTokens: m?.totalTokens,
      cancelled: m?.cancelled,
    }).toEqual({
      label: 'livekit-langgraph.LLMAdapter',
      model: 'support-graph',
      provider: 'langgraph',
      promptTokens: 30,
      completionTokens: 7,
      totalTokens: 37,
      cancelled: false,
    });
    expect(m?.ttftMs).toBeGreaterThanOrEqual(0);
  });
});
