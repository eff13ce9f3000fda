/**
 * The telephony example's graph (examples/telephony-agent/graph.ts), driven by a scripted model
 * through a real text-mode AgentSession, `LLMAdapter` and `hangupTool()` against the local
 * RoomService room.stub — the phone agent minus STT, TTS and SIP.
 */
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BaseMessage, ToolMessage } from '@langchain/core/messages';
import { MemorySaver } from '@langchain/langgraph';
import { SqliteSaver } from '@langchain/langgraph-checkpoint-sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildSupportGraph, GOODBYE, SYSTEM_PROMPT } from '../../examples/telephony-agent/graph.js';
import { ScriptedChatModel, type ScriptedReply } from '../../fixtures/scripted-chat-model.js';
import { eventsOf, withTextSession, withTimeout } from '../../fixtures/session.js';
import { LLMAdapter, type LLMAdapterOptions } from '../../src/index.js';
import { useHangupFixture } from '../helpers/hangup-fixture.js';

const ROOM = 'call-sample';
const ORDER_1001 = 'order 1001: shipped on Monday, arriving Thursday';

/** The model's first reply to an order question: a word while it looks the order up. */
const lookUp = (orderId: string): ScriptedReply => ({
  text: 'Let me check that.',
  toolCalls: [{ name: 'lookup_order', args: { orderId } }],
});

/** The model reads the lookup result and tells the caller in its own words. */
const tellStatus = (messages: BaseMessage[]): ScriptedReply => {
  const last = messages.at(-1);
  const result = last && ToolMessage.isInstance(last) ? last.content : undefined;
  return result === ORDER_1001
    ? { text: 'Your order shipped on Monday and arrives on Thursday.' }
    : { text: `unexpected tool result: ${JSON.stringify(result)}` };
};

/** A thread's messages as [type, text] pairs, tool calls as [type, text, names]. */
function threadOf(messages: BaseMessage[]): unknown[][] {
  return messages.map((m) => {
    const calls = (m as { tool_calls?: { name: string }[] }).tool_calls ?? [];
    const row = [m.getType(), m.content];
    return calls.length ? [...row, calls.map((c) => c.name)] : row;
  });
}

describe('the telephony example graph', () => {
  const room = useHangupFixture(ROOM);

  /** Runs the turns in one session; returns each turn's events. */
  async function call(options: LLMAdapterOptions, ...turns: string[]): Promise<unknown[][][]> {
    return withTextSession(
      { llm: new LLMAdapter(options), tools: { end_call: room.hangupTool() } },
      async ({ say }) => {
        const events: unknown[][][] = [];
        for (const turn of turns) events.push(eventsOf(await say(turn)));
        return events;
      },
    );
  }

  /** Runs one turn that ends the call; waits until the session closed. */
  async function endingTurn(options: LLMAdapterOptions, userInput: string) {
    return withTextSession(
      { llm: new LLMAdapter(options), tools: { end_call: room.hangupTool() } },
      async ({ say, session }) => {
        const closed = once(session, 'close');
        const events = eventsOf(await say(userInput));
        await withTimeout(closed, 10_000, 'the session to close after the hangup');
        return events;
      },
    );
  }

  it('answers an order question through lookup_order, never speaking the tool result', async () => {
    const model = new ScriptedChatModel({ script: [lookUp('1001'), tellStatus] });
    const [events] = await call({ graph: buildSupportGraph(model) }, 'where is my order 1001?');
    expect(events).toEqual([
      [
        'message',
        'assistant',
        'Let me check that. Your order shipped on Monday and arrives on Thursday.',
      ],
    ]);
    expect(model.boundTools).toEqual(['end_call', 'lookup_order', 'finish']);
    // the system prompt leads every model call; the second one read the lookup result
    expect(model.calls.map((messages) => messages[0]?.content)).toEqual([
      SYSTEM_PROMPT,
      SYSTEM_PROMPT,
    ]);
    expect(model.calls[1]?.at(-1)?.content).toBe(ORDER_1001);
    expect(room.stub.requests).toEqual([]);
    expect(room.hangups).toEqual([]);
  });

  it('ends the call when the caller says bye: the model says goodbye and calls end_call', async () => {
    const model = new ScriptedChatModel({
      script: [
        {
          text: 'You are welcome. Goodbye!',
          toolCalls: [{ name: 'end_call', args: { reason: 'caller said goodbye' } }],
        },
      ],
    });
    const events = await endingTurn({ graph: buildSupportGraph(model) }, 'thanks, bye');
    expect(events).toEqual([
      ['message', 'assistant', 'You are welcome. Goodbye!'],
      ['function_call', 'end_call', { reason: 'caller said goodbye', trigger: 'tool' }],
      ['function_call_output', 'end_call', ''],
    ]);
    // after end_call the graph ends: no second model call that could say more
    expect(model.calls).toHaveLength(1);
    expect(room.stub.requests.map((r) => [r.method, r.body])).toEqual([
      ['DeleteRoom', { room: ROOM }],
    ]);
    expect(room.hangups.map((h) => [h.reason, h.action, h.interrupted, h.error])).toEqual([
      ['caller said goodbye', 'delete_room', false, undefined],
    ]);
  });

  it('ends the call through the goodbye node when the task is done', async () => {
    const model = new ScriptedChatModel({ script: [{ toolCalls: [{ name: 'finish' }] }] });
    const graph = buildSupportGraph(model, { checkpointer: new MemorySaver() });
    const options = { graph, input: 'latest', threadId: 'call-done' } as const;
    const events = await endingTurn(options, 'no, that was all');
    expect(events).toEqual([
      ['message', 'assistant', GOODBYE],
      ['function_call', 'end_call', { reason: 'an end-call node ran: goodbye', trigger: 'node' }],
      ['function_call_output', 'end_call', ''],
    ]);
    expect(room.stub.requests.map((r) => [r.method, r.body])).toEqual([
      ['DeleteRoom', { room: ROOM }],
    ]);
    expect(room.hangups.map((h) => h.reason)).toEqual(['an end-call node ran: goodbye']);
    // the goodbye node answered the finish call, so the thread stays valid for a model API
    const state = await graph.getState({ configurable: { thread_id: 'call-done' } });
    expect(threadOf(state.values.messages)).toEqual([
      ['human', 'no, that was all'],
      ['ai', '', ['finish']],
      ['tool', 'The call ended with the goodbye.'],
      ['ai', GOODBYE],
    ]);
  });

  describe("with input: 'latest' and a SqliteSaver", () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'telephony-sample-'));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('lets a restarted worker continue the thread of a call', async () => {
      const file = join(dir, 'threads.sqlite');
      const thread = 'call-restarted';

      // the first worker answers one question, then goes away (crash, deploy)
      const first = SqliteSaver.fromConnString(file);
      const model1 = new ScriptedChatModel({ script: [lookUp('1001'), tellStatus] });
      await call(
        {
          graph: buildSupportGraph(model1, { checkpointer: first }),
          input: 'latest',
          threadId: thread,
        },
        'where is my order 1001?',
      );
      first.db.close();

      // a new worker: a new process' saver on the same file, a new adapter, an empty session
      const second = SqliteSaver.fromConnString(file);
      try {
        const model2 = new ScriptedChatModel({
          script: [(messages) => ({ text: `I can see ${messages.length - 1} earlier messages.` })],
        });
        const graph = buildSupportGraph(model2, { checkpointer: second });
        const [events] = await call(
          { graph, input: 'latest', threadId: thread },
          'does it need a signature?',
        );
        expect(events).toEqual([['message', 'assistant', 'I can see 5 earlier messages.']]);
        const earlier = [
          ['human', 'where is my order 1001?'],
          ['ai', 'Let me check that.', ['lookup_order']],
          ['tool', ORDER_1001],
          ['ai', 'Your order shipped on Monday and arrives on Thursday.'],
          ['human', 'does it need a signature?'],
        ];
        // the new worker's model saw the whole call, not just the new question
        expect(threadOf(model2.calls[0]?.slice(1) ?? [])).toEqual(earlier);
        const state = await graph.getState({ configurable: { thread_id: thread } });
        expect(threadOf(state.values.messages)).toEqual([
          ...earlier,
          ['ai', 'I can see 5 earlier messages.'],
        ]);
      } finally {
        second.db.close();
      }
    });
  });
});
