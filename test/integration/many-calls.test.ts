/**
 * One adapter serving many calls at once, as a worker process does: nothing it or agents-js adds
 * per call may pile up on an emitter the calls share (Node warns past 10 listeners).
 */
import { BaseCallbackHandler } from '@langchain/core/callbacks/base';
import { HumanMessage } from '@langchain/core/messages';
import { voice } from '@livekit/agents';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chatGraph } from '../../fixtures/graphs.js';
import { ScriptedChatModel } from '../../fixtures/scripted-chat-model.js';
import { eventsOf, withTextSession, withTimeout } from '../../fixtures/session.js';
import { LLMAdapter } from '../../src/index.js';

/** More than Node's default cap of 10 listeners per event. */
const CALLS = 12;

describe('one adapter shared by many calls', () => {
  const warnings: string[] = [];
  const onWarning = (warning: Error) => warnings.push(`${warning.name}: ${warning.message}`);
  beforeEach(() => {
    warnings.length = 0;
    process.on('warning', onWarning);
  });
  afterEach(() => {
    process.off('warning', onWarning);
  });

  it(`serves ${CALLS} open sessions without a MaxListenersExceededWarning`, async () => {
    const shared = new AbortController();
    const adapter = new LLMAdapter({
      graph: chatGraph(
        new ScriptedChatModel({ script: [{ text: 'Acme support, hello.' }] }),
      ).compile(),
      // a signal every run of the adapter joins: it must not collect one listener per run
      config: { signal: shared.signal },
    });
    const sessions = Array.from({ length: CALLS }, () => new voice.AgentSession({ llm: adapter }));
    try {
      await Promise.all(
        sessions.map((session) =>
          withTimeout(session.start({ agent: new voice.Agent({ instructions: '' }) })),
        ),
      );
      for (const session of sessions) adapter.holdPreemptiveRuns(session);
      // one turn at a time: the sessions stay open together, which is what adds up listeners
      const results: unknown[][][] = [];
      for (const [i, session] of sessions.entries()) {
        const result = session.run({ userInput: `call ${i}` });
        await withTimeout(result.wait(), 10_000, `the reply in call ${i}`);
        results.push(eventsOf(result));
      }
      expect(results).toEqual(
        sessions.map(() => [['message', 'assistant', 'Acme support, hello.']]),
      );
    } finally {
      await Promise.all(sessions.map((session) => withTimeout(session.close())));
    }
    // process warnings are emitted on the next tick
    await new Promise((resolve) => setImmediate(resolve));
    expect(warnings.filter((w) => w.startsWith('MaxListenersExceededWarning'))).toEqual([]);
  });
});

/**
 * LangGraph.js 1.7.3 makes the `messages` stream mode out of LangChain callbacks that run in
 * LangChain's background queue: one queue per process, one callback at a time, not awaited by the
 * graph. It closes the run's stream without waiting for that queue, and a token delivered after
 * the close is dropped. Whatever keeps the queue busy — many runs at once in one process, a slow
 * callback handler, parallel model calls in one run — made turns silent unless
 * `LANGCHAIN_CALLBACKS_BACKGROUND=false`. The adapter now has LangGraph deliver its tokens inline
 * (src/stream/inline-tokens.ts), whatever the setting; other handlers stay in the background.
 * See docs/scaling.md.
 */
describe('many graph runs at once in one process', () => {
  const echo = () =>
    new ScriptedChatModel({
      script: [(messages) => ({ text: `You said: ${String(messages.at(-1)?.content)}` })],
    });

  /** A callback handler that holds LangChain's background queue until `release()`, as a slow tracer would. */
  function busyQueue() {
    let release: () => void = () => {};
    const queueFree = new Promise<void>((resolve) => {
      release = resolve;
    });
    class BusyHandler extends BaseCallbackHandler {
      name = 'busy';
      override async handleLLMNewToken() {
        await queueFree;
      }
    }
    return { handler: new BusyHandler(), release };
  }

  it(`gives each of ${CALLS} calls answered at once its exact reply, callbacks in the background`, async () => {
    // a model that answers instantly (no timer between tokens): before the adapter delivered its
    // tokens inline, 12 runs at once lost every reply (8 at once: half of them)
    const adapter = new LLMAdapter({ graph: chatGraph(echo()).compile() });
    const sessions = Array.from({ length: CALLS }, () => new voice.AgentSession({ llm: adapter }));
    try {
      await Promise.all(
        sessions.map((session) =>
          withTimeout(session.start({ agent: new voice.Agent({ instructions: '' }) })),
        ),
      );
      const replies = await Promise.all(
        sessions.map(async (session, i) => {
          const result = session.run({ userInput: `call ${i}` });
          await withTimeout(result.wait(), 10_000, `the reply in call ${i}`);
          return eventsOf(result);
        }),
      );
      expect(replies).toEqual(
        sessions.map((_, i) => [['message', 'assistant', `You said: call ${i}`]]),
      );
    } finally {
      await Promise.all(sessions.map((session) => withTimeout(session.close())));
    }
  });

  it('speaks the whole turn while a callback handler holds the background queue', async () => {
    const busy = busyQueue();
    const adapter = new LLMAdapter({
      graph: chatGraph(echo()).compile(),
      config: { callbacks: [busy.handler] },
    });
    try {
      await withTextSession({ llm: adapter }, async ({ say }) => {
        expect(eventsOf(await say('hello'))).toEqual([['message', 'assistant', 'You said: hello']]);
      });
    } finally {
      // the queue is the whole process's: free it for the tests that follow
      busy.release();
    }
  });

  it('upstream (LangGraph.js 1.7.3): raw graph.stream loses the tokens the background queue holds until the run ended', async () => {
    const busy = busyQueue();
    try {
      const graph = chatGraph(echo()).compile();
      const stream = await graph.stream(
        { messages: [new HumanMessage('hello')] },
        { streamMode: ['messages'], callbacks: [busy.handler] },
      );
      let tokens = 0;
      for await (const _part of stream) tokens += 1;
      // no error: the run ended normally with nothing streamed. When this fails because tokens
      // arrive, LangGraph.js dispatches `messages` inline: src/stream/inline-tokens.ts and
      // docs/scaling.md can go.
      expect(tokens).toBe(0);
    } finally {
      busy.release();
    }
  });
});
