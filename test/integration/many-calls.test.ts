/**
 * One adapter serving many calls at once, as a worker process does: nothing it or agents-js adds
 * per call may pile up on an emitter the calls share (Node warns past 10 listeners).
 */
import { voice } from '@livekit/agents';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LLMAdapter } from '../../src/index.js';
import { chatGraph } from '../helpers/graphs.js';
import { ScriptedChatModel } from '../helpers/scripted-chat-model.js';
import { eventsOf, withTimeout } from '../helpers/session.js';

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
