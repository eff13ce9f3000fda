/**
 * The caller hangs up while an answer is still playing (the graph already finished): LiveKit
 * records what was heard only as the session closes, and no later run carries the correction,
 * so the adapter writes it to the thread itself.
 */
import type { BaseCheckpointSaver } from '@langchain/langgraph';
import { MemorySaver } from '@langchain/langgraph';
import { SqliteSaver } from '@langchain/langgraph-checkpoint-sqlite';
import { describe, expect, it } from 'vitest';
import { withAudioSession } from '../../fixtures/audio.js';
import { chatGraph } from '../../fixtures/graphs.js';
import { callerIn, conversationOf, historyOf } from '../../fixtures/remembered-call.js';
import { ScriptedChatModel } from '../../fixtures/scripted-chat-model.js';
import { LLMAdapter } from '../../src/index.js';

const LONG_ANSWER = Array.from({ length: 300 }, (_, i) => `w${i}`).join(' ');

const savers: [string, () => BaseCheckpointSaver][] = [
  ['MemorySaver', () => new MemorySaver()],
  ['SQLite', () => SqliteSaver.fromConnString(':memory:')],
];

describe.each(savers)('a call that ends mid-answer (%s)', (_name, newSaver) => {
  it('leaves the thread holding only what the caller heard', async () => {
    const checkpointer = newSaver();
    {
      const model = new ScriptedChatModel({ script: [{ text: LONG_ANSWER }] });
      const graph = chatGraph(model).compile({ checkpointer });
      const adapter = new LLMAdapter({ graph, input: 'latest', threadId: 'hung-up' });
      const history = await withAudioSession({ llm: adapter }, async (s) => {
        adapter.attach(s.session);
        await callerIn(s).endTurn('tell me everything');
        // the caller hangs up after five words: withAudioSession closes the session now
        s.output.heardWhenInterrupted = 'w0 w1 w2 w3 w4';
        return () => historyOf(s.session);
      });
      await adapter.settled();
      expect(history().at(-1)).toEqual(['assistant', 'w0 w1 w2 w3 w4']);
      const state = await graph.getState({ configurable: { thread_id: 'hung-up' } });
      expect(conversationOf(state.values.messages)).toEqual([
        ['user', 'tell me everything'],
        ['assistant', 'w0 w1 w2 w3 w4'],
      ]);
    }
  });
});
