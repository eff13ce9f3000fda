/**
 * `LangGraphStream` on its own, with a scripted graph: what it puts, when it runs the graph
 * again, and that an abort ends it quietly. The session-level behaviour is in test/integration/.
 */
import { AIMessageChunk } from '@langchain/core/messages';
import { DEFAULT_API_CONNECT_OPTIONS, llm } from '@livekit/agents';
import { describe, expect, it } from 'vitest';
import { withTimeout } from '../../fixtures/session.js';
import { LLMAdapter } from '../../src/index.js';
import { PartClassifier } from '../../src/stream/parts.js';
import { STREAM_MODES } from '../../src/stream/run-options.js';
import { type GraphRun, LangGraphStream, type StreamableGraph } from '../../src/stream/stream.js';

const token = (text: string) => [
  'messages',
  [new AIMessageChunk({ id: 'm', content: text }), { langgraph_node: 'agent' }],
];

/** A graph whose runs follow `attempts` in turn: parts to yield, then maybe an error to throw. */
function scriptedGraph(attempts: { parts: unknown[]; error?: Error }[]) {
  let runs = 0;
  const graph: StreamableGraph = {
    stream: async () => {
      const attempt = attempts[runs++] ?? { parts: [] };
      return (async function* () {
        yield* attempt.parts;
        if (attempt.error) throw attempt.error;
      })();
    },
  };
  return { graph, runs: () => runs };
}

function streamOf(graph: StreamableGraph, maxRetry = 2) {
  const run: GraphRun = {
    graph,
    input: () => ({ messages: [] }),
    options: { configurable: { thread_id: 't' }, streamMode: STREAM_MODES, subgraphs: false },
    classifier: () => new PartClassifier({ endCallNodes: new Set() }),
    pausable: false,
  };
  const adapter = new LLMAdapter({ graph });
  const errors: Error[] = [];
  // agents-js reports a stream's failure as the LLM's error event; the iterator just ends
  adapter.on('error', (event: { error: Error }) => void errors.push(event.error));
  const stream = new LangGraphStream(adapter, {
    chatCtx: llm.ChatContext.empty(),
    connOptions: { ...DEFAULT_API_CONNECT_OPTIONS, maxRetry, retryIntervalMs: 0 },
    run,
  });
  return Object.assign(stream, { errors });
}

/** The text the stream put, and the error it reported. */
async function drain(
  stream: ReturnType<typeof streamOf>,
): Promise<{ text: string; error?: Error }> {
  let text = '';
  for await (const chunk of stream) text += chunk.delta?.content ?? '';
  return { text, error: stream.errors[0] };
}

describe('LangGraphStream', () => {
  it('runs the graph again after a failure before anything was said', async () => {
    const { graph, runs } = scriptedGraph([
      { parts: [], error: new TypeError('fetch failed') },
      { parts: [token('Hello'), token(' again')] },
    ]);
    const { text, error } = await withTimeout(drain(streamOf(graph)), 10_000, 'the stream');
    expect([text, error, runs()]).toEqual(['Hello again', undefined, 2]);
  });

  it('does not run it again once something was said, and reports the failure', async () => {
    const { graph, runs } = scriptedGraph([
      { parts: [token('Let me')], error: new Error('model went away') },
    ]);
    const { text, error } = await withTimeout(drain(streamOf(graph)), 10_000, 'the stream');
    expect([text, runs()]).toEqual(['Let me', 1]);
    expect(error?.message).toContain('model went away');
  });

  it('gives up after its retries, naming how many attempts it made', async () => {
    const refused = () => ({ parts: [], error: new TypeError('fetch failed') });
    const { graph, runs } = scriptedGraph([refused(), refused(), refused()]);
    const { error } = await withTimeout(drain(streamOf(graph, 2)), 10_000, 'the stream');
    expect(runs()).toBe(3);
    expect(error?.message).toMatch(/fetch failed \(after 3 attempts\)$/);
  });

  it('ends quietly when aborted, putting nothing more', async () => {
    let release: () => void = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    const graph: StreamableGraph = {
      stream: async () =>
        (async function* () {
          yield token('Hello');
          await released;
          yield token(' never heard');
        })(),
    };
    const stream = streamOf(graph);
    const iterator = stream[Symbol.asyncIterator]();
    const first = await withTimeout(iterator.next(), 10_000, 'the first chunk');
    expect(first.value?.delta?.content).toBe('Hello');
    stream.close();
    release();
    const rest = await withTimeout(iterator.next(), 10_000, 'the end of the stream');
    expect(rest.done).toBe(true);
  });
});
