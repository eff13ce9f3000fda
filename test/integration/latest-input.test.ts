import { MemorySaver } from '@langchain/langgraph';
import { describe, expect, it } from 'vitest';
import { chatGraph } from '../../fixtures/graphs.js';
import { ScriptedChatModel } from '../../fixtures/scripted-chat-model.js';
import { eventsOf, withTextSession } from '../../fixtures/session.js';
import { LLMAdapter } from '../../src/index.js';

describe("input: 'latest' with a checkpointer", () => {
  it('sends only what is new each turn, so the thread holds the conversation once', async () => {
    const model = new ScriptedChatModel({
      script: [{ text: 'Hi, Acme here.' }, { text: 'It shipped.' }, { text: 'You are welcome.' }],
    });
    const graph = chatGraph(model).compile({ checkpointer: new MemorySaver() });
    const adapter = new LLMAdapter({ graph, input: 'latest', threadId: 'call-latest' });
    await withTextSession({ llm: adapter, instructions: 'Be brief.' }, async ({ say, session }) => {
      await session.say('Welcome to Acme.').waitForPlayout();
      expect(eventsOf(await say('hello'))).toEqual([['message', 'assistant', 'Hi, Acme here.']]);
      expect(eventsOf(await say('where is my order?'))).toEqual([
        ['message', 'assistant', 'It shipped.'],
      ]);
      expect(eventsOf(await say('thanks'))).toEqual([['message', 'assistant', 'You are welcome.']]);
    });
    const state = await graph.getState({ configurable: { thread_id: 'call-latest' } });
    const thread = (state.values.messages as { getType(): string; content: unknown }[]).map((m) => [
      m.getType(),
      m.content,
    ]);
    const expected = [
      ['system', 'Be brief.'],
      ['ai', 'Welcome to Acme.'],
      ['human', 'hello'],
      ['ai', 'Hi, Acme here.'],
      ['human', 'where is my order?'],
      ['ai', 'It shipped.'],
      ['human', 'thanks'],
      ['ai', 'You are welcome.'],
    ];
    expect(thread).toEqual(expected);
    // the model saw the same thread on the last turn, up to its own answer
    expect(model.calls[2]?.map((m) => [m.getType(), m.content])).toEqual(expected.slice(0, -1));
  });

  it('keeps threads apart on one adapter, and gives a new thread the conversation so far', async () => {
    const model = new ScriptedChatModel({
      script: [(messages) => ({ text: `seen ${messages.length}` })],
    });
    const graph = chatGraph(model).compile({ checkpointer: new MemorySaver() });
    let thread = 'a';
    const adapter = new LLMAdapter({ graph, input: 'latest', threadId: () => thread });
    await withTextSession({ llm: adapter }, async ({ say }) => {
      expect(eventsOf(await say('one'))).toEqual([['message', 'assistant', 'seen 1']]);
      thread = 'b';
      expect(eventsOf(await say('two'))).toEqual([['message', 'assistant', 'seen 3']]);
      thread = 'a';
      expect(eventsOf(await say('three'))).toEqual([['message', 'assistant', 'seen 5']]);
    });
    const contents = async (id: string) =>
      (
        (await graph.getState({ configurable: { thread_id: id } })).values.messages as {
          content: unknown;
        }[]
      ).map((m) => m.content);
    expect(await contents('a')).toEqual(['one', 'seen 1', 'two', 'seen 3', 'three', 'seen 5']);
    expect(await contents('b')).toEqual(['one', 'seen 1', 'two', 'seen 3']);
  });
});
