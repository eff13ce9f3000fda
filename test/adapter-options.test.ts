import { END, MemorySaver, MessagesAnnotation, START, StateGraph } from '@langchain/langgraph';
import { PostgresSaver } from '@langchain/langgraph-checkpoint-postgres';
import { describe, expect, it } from 'vitest';
import { forkUnsafeCheckpointer } from '../src/adapter-options.js';
import { LLMAdapter, type LLMAdapterOptions } from '../src/index.js';
import type { StreamableGraph } from '../src/stream/stream.js';
import { uniqueChannelVersion } from './helpers/durable-threads.js';

const builder = () =>
  new StateGraph(MessagesAnnotation)
    .addNode('agent', async () => ({}))
    .addNode('goodbye', async () => ({}), { metadata: { end_call: true } })
    .addEdge(START, 'agent')
    .addEdge('agent', 'goodbye')
    .addEdge('goodbye', END);

const make = (options: unknown) => () => new LLMAdapter(options as LLMAdapterOptions);

describe('LLMAdapter options', () => {
  it.each([
    [
      'no options object',
      undefined,
      /LLMAdapter: invalid options — expected an options object: new LLMAdapter\(\{ graph: builder.compile\(\) \}\)/,
    ],
    [
      'no graph',
      {},
      /LLMAdapter: invalid options — `graph`: expected a compiled LangGraph graph or a RemoteGraph/,
    ],
    [
      'a graph builder',
      { graph: builder() },
      /this is a graph builder; pass `builder.compile\(\)`/,
    ],
    ['a plain object', { graph: { invoke() {} } }, /expected a compiled LangGraph graph/],
    [
      'the graph itself, as the Python adapter takes it',
      builder().compile(),
      /^LLMAdapter: pass the graph in an options object: `new LLMAdapter\(\{ graph \}\)`$/,
    ],
    [
      'an unknown input mode',
      { graph: builder().compile(), input: 'all' },
      /`input`: expected "history" \(no checkpointer\) or "latest"/,
    ],
    [
      'a misspelled option',
      { graph: builder().compile(), endCallNode: ['goodbye'] },
      /unknown option `endCallNode`: did you mean `endCallNodes`\?/,
    ],
    ['an empty nodes list', { graph: builder().compile(), nodes: [] }, /would mute the agent/],
    ['an empty threadId', { graph: builder().compile(), threadId: '' }, /threadId cannot be empty/],
    [
      'an unknown speaking node',
      { graph: builder().compile(), nodes: ['agnet'] },
      /`nodes` names "agnet", which the graph does not have — its nodes are .*"agent", "goodbye"/,
    ],
    [
      'an unknown end-call node',
      { graph: builder().compile(), endCallNodes: ['bye'] },
      /`endCallNodes` names "bye"/,
    ],
  ])('rejects %s with a message that names the fix', (_name, options, message) => {
    expect(make(options)).toThrow(message);
  });

  it('accepts inner node names when subgraphs are streamed', () => {
    expect(make({ graph: builder().compile(), subgraphs: true, nodes: ['inner'] })).not.toThrow();
  });

  it('does not change the options it was given', () => {
    const options = { graph: builder().compile(), nodes: ['agent'], config: { tags: ['a'] } };
    const copy = {
      ...options,
      nodes: [...options.nodes],
      config: { tags: [...options.config.tags] },
    };
    new LLMAdapter(options);
    expect(options).toEqual(copy);
  });
});

describe('forkUnsafeCheckpointer', () => {
  const graphWith = (checkpointer: unknown) =>
    ({ stream: async () => (async function* () {})(), checkpointer }) as StreamableGraph;

  it('names the PostgresSaver channel-version problem and the fix', () => {
    const saver = PostgresSaver.fromConnString('postgresql://postgres@127.0.0.1:1/none');
    expect(forkUnsafeCheckpointer(graphWith(saver))).toMatch(
      /PostgresSaver numbers channel versions .*langgraphjs#1812.*getNextVersion/,
    );
    Object.assign(saver, { getNextVersion: uniqueChannelVersion });
    expect(forkUnsafeCheckpointer(graphWith(saver))).toBeUndefined();
    expect(forkUnsafeCheckpointer(graphWith(new MemorySaver()))).toBeUndefined();
    void saver.end();
  });
});
