/**
 * One adapter serving many calls at once, as a worker process does: nothing it or agents-js adds
 * per call may pile up on an emitter the calls share (Node warns past 10 listeners).
 */
import { BaseCallbackHandler } from '@langchain/core/callbacks/base';
import { voice } from '@livekit/agents';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LLMAdapter } from '../../src/index.js';
import { chatGraph } from '../helpers/graphs.js';
import { ScriptedChatModel } from '../helpers/scripted-chat-model.js';
import { eventsOf, withTextSession, withTimeout } from '../helpers/session.js';

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
 * the close is dropped. The adapter completes a message from its node's `updates` part once one of
 * its tokens arrived; a message none of whose tokens arrived in time is not spoken (it cannot be
 * told apart from history a subgraph hands back). Whatever keeps the queue busy — many runs at once
 * in one process, a slow callback handler, parallel model calls in one run — makes turns silent.
 * With `LANGCHAIN_CALLBACKS_BACKGROUND=false` the callbacks run inline and nothing is lost.
 * See docs/scaling.md.
 */
describe('many graph runs at once in one process', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  const echo = () =>
    new ScriptedChatModel({
      script: [(messages) => ({ text: `You said: ${String(messages.at(-1)?.content)}` })],
    });

  it(`gives each of ${CALLS} calls answered at once its exact reply with LANGCHAIN_CALLBACKS_BACKGROUND=false`, async () => {
    // read by each LangChain callback handler when it is created, i.e. at every graph run
    vi.stubEnv('LANGCHAIN_CALLBACKS_BACKGROUND', 'false');
    // a model that answers instantly (no timer between tokens): without the setting, 12 runs
    // at once lost every reply (8 at once: half of them) on the machine this was written on
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

  it('upstream (LangGraph.js 1.7.3): a turn whose tokens the background callback queue holds until the run ended is silent, even with one call in the process', async () => {
    // a callback handler that keeps LangChain's background queue busy until the run is over, as
    // a slow tracer (or the callbacks of other runs) would: the tokens queued behind it come late
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
    const adapter = new LLMAdapter({
      graph: chatGraph(echo()).compile(),
      config: { callbacks: [new BusyHandler()] },
    });
    try {
      await withTextSession({ llm: adapter }, async ({ say, transcript }) => {
        const result = await say('hello');
        // no error, no retry: the run ended normally with nothing to say. When this fails because
        // the reply is there, LangGraph.js dispatches `messages` inline: update docs/scaling.md.
        expect(eventsOf(result)).toEqual([]);
        expect(transcript()).toEqual([['user', 'hello']]);
      });
    } finally {
      // the queue is the whole process's: free it for the tests that follow
      release();
    }
  });

  it('speaks the whole turn behind a slow callback handler with LANGCHAIN_CALLBACKS_BACKGROUND=false', async () => {
    vi.stubEnv('LANGCHAIN_CALLBACKS_BACKGROUND', 'false');
    // inline, a slow handler slows the run down instead of losing its tokens
    class SlowHandler extends BaseCallbackHandler {
      name = 'slow';
      override async handleLLMNewToken() {
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
    }
    const adapter = new LLMAdapter({
      graph: chatGraph(echo()).compile(),
      config: { callbacks: [new SlowHandler()] },
    });
    await withTextSession({ llm: adapter }, async ({ say }) => {
      expect(eventsOf(await say('hello'))).toEqual([['message', 'assistant', 'You said: hello']]);
    });
  });
});
