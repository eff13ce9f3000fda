/**
 * The tests every durable checkpointer must pass (SQLite always, Postgres when one is available):
 * a new adapter over a new connection — a restarted worker — continues the call's thread.
 */
import type { BaseMessage } from '@langchain/core/messages';
import type { BaseCheckpointSaver } from '@langchain/langgraph';
import { expect, it } from 'vitest';
import { askingGraph, callerModel, chatGraph, echoModel } from '../../fixtures/graphs.js';
import { HEARD_IN_CALL, runRememberedCall } from '../../fixtures/remembered-call.js';
import { eventsOf, withTextSession } from '../../fixtures/session.js';
import { LLMAdapter } from '../../src/index.js';

/**
 * Channel versions that are unique and ordered, as the Python PostgresSaver mints them, so two
 * runs forked from one checkpoint keep their own state (docs/threads-and-memory.md).
 */
export function uniqueChannelVersion(current: string | number | undefined): string {
  const last =
    current === undefined ? 0 : Number.parseInt(String(current).split('.')[0] ?? '0', 10);
  return `${String(last + 1).padStart(32, '0')}.${Math.random().toFixed(16).slice(2)}`;
}

/** A checkpointer on a fresh connection, and how to close that connection. */
export interface OpenedSaver {
  saver: BaseCheckpointSaver;
  close(): Promise<void>;
}

/** Runs one worker's life: opens the checkpointer, runs `fn`, closes the connection. */
async function asWorker<T>(
  open: () => Promise<OpenedSaver>,
  fn: (saver: BaseCheckpointSaver) => Promise<T>,
): Promise<T> {
  const { saver, close } = await open();
  try {
    return await fn(saver);
  } finally {
    await close();
  }
}

const pairs = (messages: BaseMessage[] | undefined) =>
  (messages ?? []).map((m) => [m.getType(), m.content]);

/**
 * Defines the durable-thread tests for the checkpointer that `open` connects to; `threadId`
 * gives each test a thread of its own (a database may outlive one test run).
 */
export function durableThreadTests(
  open: () => Promise<OpenedSaver>,
  threadId: (name: string) => string,
): void {
  it('continues the conversation from the checkpointer after a restart', async () => {
    const thread = threadId('restart');
    await asWorker(open, async (saver) => {
      const graph = chatGraph(echoModel()).compile({ checkpointer: saver });
      const adapter = new LLMAdapter({ graph, input: 'latest', threadId: thread });
      await withTextSession({ llm: adapter }, async ({ say }) => {
        expect(eventsOf(await say('my name is Ada'))).toEqual([
          ['message', 'assistant', 'You said: my name is Ada'],
        ]);
      });
    });
    const model = echoModel();
    const state = await asWorker(open, async (saver) => {
      const graph = chatGraph(model).compile({ checkpointer: saver });
      const adapter = new LLMAdapter({ graph, input: 'latest', threadId: thread });
      await withTextSession({ llm: adapter }, async ({ say }) => {
        expect(eventsOf(await say('what is my name?'))).toEqual([
          ['message', 'assistant', 'You said: what is my name?'],
        ]);
      });
      return graph.getState({ configurable: { thread_id: thread } });
    });
    const expected = [
      ['human', 'my name is Ada'],
      ['ai', 'You said: my name is Ada'],
      ['human', 'what is my name?'],
      ['ai', 'You said: what is my name?'],
    ];
    // the new worker's model saw the old worker's turn, read back from the checkpointer
    expect(pairs(model.calls[0])).toEqual(expected.slice(0, 3));
    expect(pairs(state.values.messages as BaseMessage[])).toEqual(expected);
  });

  it('resumes a graph paused on interrupt() with the first words after a restart', async () => {
    const thread = threadId('interrupt');
    const adapterOn = (saver: BaseCheckpointSaver) =>
      new LLMAdapter({
        graph: askingGraph().compile({ checkpointer: saver }),
        input: 'latest',
        threadId: thread,
      });
    await asWorker(open, (saver) =>
      withTextSession({ llm: adapterOn(saver) }, async ({ say }) => {
        expect(eventsOf(await say('check my account'))).toEqual([
          ['message', 'assistant', "What's your account number?"],
        ]);
      }),
    );
    await asWorker(open, (saver) =>
      withTextSession({ llm: adapterOn(saver) }, async ({ say }) => {
        expect(eventsOf(await say('12345'))).toEqual([
          ['message', 'assistant', 'Thanks, account 12345 is active.'],
        ]);
      }),
    );
  });

  it('holds exactly what the caller said and heard, after discarded preemptive runs and a barge-in', async () => {
    const thread = threadId('remembers');
    await asWorker(open, async (saver) => {
      const graph = chatGraph(callerModel()).compile({ checkpointer: saver });
      const adapter = new LLMAdapter({ graph, input: 'latest', threadId: thread });
      const messages = async () =>
        ((await graph.getState({ configurable: { thread_id: thread } })).values.messages ??
          []) as unknown[];
      const { history, thread: held } = await runRememberedCall(adapter, messages);
      expect(history).toEqual(HEARD_IN_CALL);
      expect(held).toEqual(history);
    });
  });
}
