import { setTimeout as sleep } from 'node:timers/promises';
import { END, MessagesAnnotation, START, StateGraph } from '@langchain/langgraph';
import { Future } from '@livekit/agents';
import { describe, expect, it } from 'vitest';
import { withTextSession, withTimeout } from '../../fixtures/session.js';
import { LLMAdapter } from '../../src/index.js';

/** A graph that speaks one word every 20 ms until its run is aborted, and reports what it saw. */
function talkativeGraph() {
  const spokeTwice = new Future<void>();
  const stopped = new Future<{ aborted: boolean; words: number }>();
  const graph = new StateGraph(MessagesAnnotation)
    .addNode('talk', async (_state, config) => {
      let words = 0;
      try {
        for (; words < 500; words++) {
          config.writer?.(`word${words} `);
          if (words === 1) spokeTwice.resolve();
          await sleep(20, undefined, { signal: config.signal });
        }
      } finally {
        stopped.resolve({ aborted: config.signal?.aborted ?? false, words });
      }
      return {};
    })
    .addEdge(START, 'talk')
    .addEdge('talk', END)
    .compile();
  return { graph, spokeTwice, stopped };
}

describe('barge-in', () => {
  it('aborts the graph run through its signal, and nothing is reported as an error', async () => {
    const { graph, spokeTwice, stopped } = talkativeGraph();
    const adapter = new LLMAdapter({ graph });
    const errors: unknown[] = [];
    adapter.on('error', (e) => errors.push(e));
    await withTextSession({ llm: adapter }, async ({ session }) => {
      const run = session.run({ userInput: 'tell me everything' });
      await withTimeout(spokeTwice.await, 5_000, 'the first words');
      session.interrupt();
      const seen = await withTimeout(stopped.await, 5_000, 'the graph to stop');
      expect(seen.aborted).toBe(true);
      expect(seen.words).toBeLessThan(500);
      await withTimeout(run.wait(), 5_000, 'the interrupted run');
    });
    expect(errors).toEqual([]);
  });
});
