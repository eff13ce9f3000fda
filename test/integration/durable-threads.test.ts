/**
 * Durable threads with `input: 'latest'` and SQLite: a restarted worker continues the call, and
 * many concurrent calls on one adapter never share state.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BaseMessage } from '@langchain/core/messages';
import { SqliteSaver } from '@langchain/langgraph-checkpoint-sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chatGraph, echoModel } from '../../fixtures/graphs.js';
import { eventsOf, withTextSession } from '../../fixtures/session.js';
import { LLMAdapter } from '../../src/index.js';
import { durableThreadTests } from '../helpers/durable-threads.js';

const dir = mkdtempSync(join(tmpdir(), 'livekit-langgraph-sqlite-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A new connection to the test's SQLite file, as a restarted worker opens it. */
const openSqlite = (file: string) => async () => {
  const saver = SqliteSaver.fromConnString(join(dir, file));
  return { saver, close: async () => void saver.db.close() };
};

describe('SQLite threads (SqliteSaver)', () => {
  durableThreadTests(openSqlite('calls.sqlite'), (name) => `call-sqlite-${name}`);
});

describe('concurrent calls on one adapter', () => {
  // LangGraph.js streams tokens through LangChain's background callback queue, one per process:
  // 50 runs at once outrun it and lose tokens unless handlers run inline (see docs/scaling.md).
  // Read when each run starts; this test file runs in a process of its own.
  beforeAll(() => {
    process.env.LANGCHAIN_CALLBACKS_BACKGROUND = 'false';
  });
  afterAll(() => {
    delete process.env.LANGCHAIN_CALLBACKS_BACKGROUND;
  });

  it('keeps 50 simultaneous calls on their own threads', async () => {
    const calls = 50;
    const { saver, close } = await openSqlite('concurrent.sqlite')();
    // the default thread id is the job's room name, which agents-js keeps in async context:
    // one adapter serves every call, each call's turns run in its own context
    const room = new AsyncLocalStorage<string>();
    const adapter = new LLMAdapter({
      graph: chatGraph(echoModel()).compile({ checkpointer: saver }),
      input: 'latest',
      threadId: () => room.getStore() ?? 'no-room',
    });
    const call = (n: number) =>
      room.run(`call-${n}`, () =>
        withTextSession({ llm: adapter }, async ({ say }) => [
          eventsOf(await say(`I am caller ${n}`)),
          eventsOf(await say(`caller ${n} again`)),
        ]),
      );
    try {
      const heard = await Promise.all(Array.from({ length: calls }, (_, n) => call(n)));
      const threads = await Promise.all(
        Array.from({ length: calls }, async (_, n) => {
          const state = await saver.getTuple({ configurable: { thread_id: `call-${n}` } });
          const messages = (state?.checkpoint.channel_values.messages ?? []) as BaseMessage[];
          return messages.map((m) => [m.getType(), m.content]);
        }),
      );
      for (let n = 0; n < calls; n++) {
        expect(heard[n]).toEqual([
          [['message', 'assistant', `You said: I am caller ${n}`]],
          [['message', 'assistant', `You said: caller ${n} again`]],
        ]);
        expect(threads[n]).toEqual([
          ['human', `I am caller ${n}`],
          ['ai', `You said: I am caller ${n}`],
          ['human', `caller ${n} again`],
          ['ai', `You said: caller ${n} again`],
        ]);
      }
      expect(await saver.getTuple({ configurable: { thread_id: 'no-room' } })).toBeUndefined();
    } finally {
      await close();
    }
  }, 60_000);
});
