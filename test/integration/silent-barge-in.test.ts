/**
 * A barge-in while the graph is silent in a slow step (a tool that acts on the world): the run
 * stops at once, and nothing it would have said or done afterwards happens. agents-js 1.9 alone
 * aborts the stream only when the graph speaks again (FACTS), seconds later.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { AIMessage } from '@langchain/core/messages';
import { END, MemorySaver, MessagesAnnotation, START, StateGraph } from '@langchain/langgraph';
import { Future } from '@livekit/agents';
import { describe, expect, it } from 'vitest';
import { conversationOf } from '../../fixtures/remembered-call.js';
import { withTextSession, withTimeout } from '../../fixtures/session.js';
import { LLMAdapter } from '../../src/index.js';

const SLOW_STEP_MS = 2_000;

/** "Let me book that." → a silent 2 s booking step → "Booked for Tuesday." */
function bookingGraph() {
  const inSlowStep = new Future<void>();
  const stepEnded = new Future<{ aborted: boolean }>();
  let booked = false;
  const graph = new StateGraph(MessagesAnnotation)
    .addNode('ack', async () => ({ messages: [new AIMessage('Let me book that.')] }))
    .addNode('book', async (_state, config) => {
      inSlowStep.resolve();
      try {
        await sleep(SLOW_STEP_MS, undefined, { signal: config.signal });
        booked = true;
      } finally {
        stepEnded.resolve({ aborted: config.signal?.aborted ?? false });
      }
      return {};
    })
    .addNode('confirm', async () => ({ messages: [new AIMessage('Booked for Tuesday.')] }))
    .addEdge(START, 'ack')
    .addEdge('ack', 'book')
    .addEdge('book', 'confirm')
    .addEdge('confirm', END)
    .compile({ checkpointer: new MemorySaver() });
  return { graph, inSlowStep, stepEnded, booked: () => booked };
}

/** Interrupts the reply while the graph is in its silent step; returns whether the step was aborted. */
async function bargeInDuringSlowStep(attach: boolean) {
  const booking = bookingGraph();
  const adapter = new LLMAdapter({ graph: booking.graph, input: 'latest', threadId: 'booking' });
  const transcript = await withTextSession({ llm: adapter }, async ({ session, transcript }) => {
    if (attach) adapter.attach(session);
    const run = session.run({ userInput: 'book it' });
    await withTimeout(booking.inSlowStep.await, 10_000, 'the slow step');
    session.interrupt();
    const ended = await withTimeout(booking.stepEnded.await, 10_000, 'the slow step to end');
    await withTimeout(run.wait(), 10_000, 'the interrupted reply').catch(() => undefined);
    return { aborted: ended.aborted, said: transcript() };
  });
  const state = await booking.graph.getState({ configurable: { thread_id: 'booking' } });
  return { ...transcript, booked: booking.booked(), thread: conversationOf(state.values.messages) };
}

describe('a barge-in during a silent graph step', () => {
  it('stops the run at once: the slow step is aborted and nothing after it is said or stored', async () => {
    const { aborted, booked, said, thread } = await bargeInDuringSlowStep(true);
    // the step's wait ended on the run's abort signal, not by running out (bench/barge-in.ts
    // measures how soon)
    expect(aborted).toBe(true);
    expect(booked).toBe(false);
    expect(said.map(([, text]) => text).join(' ')).not.toContain('Booked');
    expect(thread.map(([, text]) => text).join(' ')).not.toContain('Booked');
  });

  it('(control) without attach, the step runs on until the graph speaks again', async () => {
    const { booked, aborted } = await bargeInDuringSlowStep(false);
    expect(booked).toBe(true);
    expect(aborted).toBe(false);
  });
});
