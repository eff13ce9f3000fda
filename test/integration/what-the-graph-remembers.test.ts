/**
 * With `input: 'latest'` the graph's thread must hold what the caller said and heard — not the
 * preemptive runs agents-js discarded, not the words of an answer cut by a barge-in.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BaseCheckpointSaver, MemorySaver } from '@langchain/langgraph';
import { SqliteSaver } from '@langchain/langgraph-checkpoint-sqlite';
import { afterAll, describe, expect, it } from 'vitest';
import { LLMAdapter } from '../../src/index.js';
import type { StreamableGraph } from '../../src/stream.js';
import { chatGraph } from '../helpers/graphs.js';
import { callerModel, HEARD_OF_REFUND, runRememberedCall } from '../helpers/remembered-call.js';

const dir = mkdtempSync(join(tmpdir(), 'livekit-langgraph-remembers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What the call's chat context holds at its end: what the caller said and heard. */
const HEARD = [
  ['user', 'I want to cancel my order'],
  ['assistant', 'You said: I want to cancel my order'],
  ['user', 'where is my refund?'],
  ['assistant', HEARD_OF_REFUND],
  ['user', 'thanks, that is all'],
  ['assistant', 'You said: thanks, that is all'],
];

function callerGraph(checkpointer: BaseCheckpointSaver) {
  const model = callerModel();
  return { model, graph: chatGraph(model).compile({ checkpointer }) };
}

const messagesOf = (graph: StreamableGraph, threadId: string) => async () => {
  const state = (await graph.getState?.({ configurable: { thread_id: threadId } })) as {
    values?: { messages?: unknown[] };
  };
  return state?.values?.messages ?? [];
};

describe('what the graph remembers', () => {
  it.each([
    ['MemorySaver', () => new MemorySaver()],
    ['SqliteSaver', () => SqliteSaver.fromConnString(join(dir, 'remembers.sqlite'))],
  ])('with %s, the thread holds exactly what the caller said and heard', async (_name, saver) => {
    const threadId = `call-remembers-${_name}`;
    const { graph, model } = callerGraph(saver());
    const adapter = new LLMAdapter({ graph, input: 'latest', threadId });
    const { history, thread } = await runRememberedCall(adapter, messagesOf(graph, threadId));
    expect(history).toEqual(HEARD);
    expect(thread).toEqual(history);
    // the last answer was built on that conversation, not on the discarded or unheard words
    const lastCall = model.calls.at(-1)?.map((m) => [m.getType(), m.content]);
    expect(lastCall).toEqual(
      HEARD.slice(0, -1).map(([role, text]) => [role === 'user' ? 'human' : 'ai', text]),
    );
  });

  it('without forking (the control), the same call leaves phantom turns in the thread', async () => {
    const threadId = 'call-remembers-control';
    const { graph } = callerGraph(new MemorySaver());
    // what an adapter that runs every turn on the thread's head would do
    const unforked: StreamableGraph = {
      stream: (input, options = {}) => {
        const { checkpoint_id: _id, ...configurable } = options.configurable as Record<
          string,
          unknown
        >;
        return graph.stream(input as never, { ...options, configurable } as never);
      },
      getState: (config) => graph.getState(config as never),
    };
    const adapter = new LLMAdapter({ graph: unforked, input: 'latest', threadId });
    const { history, thread } = await runRememberedCall(adapter, messagesOf(graph, threadId));
    expect(history).toEqual(HEARD);
    expect(thread).not.toEqual(history);
    // the discarded preemptive runs' transcripts and answers
    expect(thread).toEqual(
      expect.arrayContaining([
        ['user', 'I want to'],
        ['assistant', 'You said: I want to'],
        ['user', 'I want to cancel'],
        ['assistant', 'You said: I want to cancel'],
      ]),
    );
  });
});
