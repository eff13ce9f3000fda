/**
 * One adapter attached to two sessions: a barge-in in either stops that session's silent graph
 * step at once. Runs used to be matched to sessions by the chat context, whose instructions
 * message has the same id in every session, so no run could be told apart and none stopped.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { AIMessage } from '@langchain/core/messages';
import { END, MemorySaver, MessagesAnnotation, START, StateGraph } from '@langchain/langgraph';
import { Future, voice } from '@livekit/agents';
import { describe, expect, it } from 'vitest';
import { withTimeout } from '../../fixtures/session.js';
import { LLMAdapter } from '../../src/index.js';

/**
 * Each run: "Let me check." (the reply is then playing, and agents-js alone would abort the run
 * only when it speaks again), a silent 5 s step, then "Done."; `steps` says what stopped each step.
 */
function slowGraph() {
  let inStep = new Future<void>();
  const steps: { stoppedBy: string; ended: Future<void> }[] = [];
  const graph = new StateGraph(MessagesAnnotation)
    .addNode('ack', async () => ({ messages: [new AIMessage('Let me check.')] }))
    .addNode('work', async (_state, config) => {
      const step = { stoppedBy: 'nothing', ended: new Future<void>() };
      steps.push(step);
      inStep.resolve();
      try {
        await sleep(5_000, undefined, { signal: config.signal });
      } catch {
        step.stoppedBy = String(config.signal?.reason);
      } finally {
        step.ended.resolve();
      }
      return { messages: [new AIMessage('Done.')] };
    })
    .addEdge(START, 'ack')
    .addEdge('ack', 'work')
    .addEdge('work', END)
    .compile({ checkpointer: new MemorySaver() });
  return {
    graph,
    steps,
    /** Resolves once the next run is in its silent step. */
    nextStep: () => {
      const reached = inStep.await;
      void reached.then(() => {
        inStep = new Future<void>();
      });
      return reached;
    },
  };
}

describe('one adapter attached to two sessions', () => {
  it("a barge-in in each session stops that session's silent step", async () => {
    const work = slowGraph();
    // with input: 'latest', agents-js alone does not abort a silent run on a barge-in (it does
    // with 'history' in text mode), so only the adapter's own link to the session can stop it
    const adapter = new LLMAdapter({ graph: work.graph, input: 'latest', threadId: 'shared' });
    const sessions = [0, 1].map(() => new voice.AgentSession({ llm: adapter }));
    try {
      for (const session of sessions) {
        await withTimeout(session.start({ agent: new voice.Agent({ instructions: 'help' }) }));
        adapter.attach(session);
      }
      for (const [index, session] of [...sessions, ...sessions].entries()) {
        const reached = work.nextStep();
        const run = session.run({ userInput: `question ${index}` });
        await withTimeout(reached, 10_000, 'the silent step');
        session.interrupt();
        const step = work.steps[index];
        await withTimeout(step?.ended.await ?? Promise.reject(), 10_000, 'the step to end');
        // stopped by the adapter's link to this session's reply, not by a deadline later on
        expect(step?.stoppedBy).toBe('Error: the caller interrupted the reply');
        await withTimeout(run.wait(), 10_000, 'the interrupted reply').catch(() => undefined);
      }
    } finally {
      for (const session of sessions) await withTimeout(session.close(), 10_000, 'session.close');
    }
  });
});
