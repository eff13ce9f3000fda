import { AIMessage, HumanMessage } from '@langchain/core/messages';
import { describe, expect, it } from 'vitest';
import { storeFinishedThread } from '../../src/stream/finished-thread.js';
import type { StreamableGraph } from '../../src/stream/stream.js';

const finished = {
  checkpointId: 'cp-1',
  messages: [
    new HumanMessage({ id: 'h', content: 'tell me' }),
    new AIMessage({ id: 'a', content: 'one two three four' }),
  ],
  corrections: [
    {
      spoken: [{ messageId: 'a', text: 'one two three four' }],
      heardText: 'one two',
      end: undefined,
      retranscribed: new Map<string, string>(),
    },
  ],
};

function recordingGraph(fail?: Error) {
  const writes: [Record<string, unknown>, unknown][] = [];
  const graph: StreamableGraph = {
    stream: async () => (async function* () {})(),
    updateState: async (config, values) => {
      if (fail) throw fail;
      writes.push([config, values]);
      return {};
    },
  };
  return { graph, writes };
}

describe('storeFinishedThread', () => {
  it('writes the corrections on top of the checkpoint the caller got', async () => {
    const { graph, writes } = recordingGraph();
    await storeFinishedThread(graph, { configurable: { thread_id: 't' } }, finished);
    expect(writes).toHaveLength(1);
    const [config, values] = writes[0] as [unknown, { messages: AIMessage[] }];
    expect(config).toEqual({
      configurable: { thread_id: 't', checkpoint_ns: '', checkpoint_id: 'cp-1' },
    });
    expect(values.messages.map((m) => [m.id, m.content])).toEqual([['a', 'one two']]);
  });

  it('never throws: a failed write leaves the thread as it was', async () => {
    const { graph } = recordingGraph(new Error('database is gone'));
    await expect(
      storeFinishedThread(graph, { configurable: { thread_id: 't' } }, finished),
    ).resolves.toBeUndefined();
  });
});
