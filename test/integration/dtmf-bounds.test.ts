/**
 * Keys are bounded both ways: one press sends at most 32 keys and stops when the call ends (the
 * close does not wait for keys nobody hears), and one keypad entry of the caller holds at most 32.
 */
import { AIMessage, type BaseMessage } from '@langchain/core/messages';
import { END, MessagesAnnotation, START, StateGraph } from '@langchain/langgraph';
import { Room } from '@livekit/rtc-node';
import { describe, expect, it } from 'vitest';
import { ScriptedChatModel } from '../../fixtures/scripted-chat-model.js';
import { eventsOf, waitUntil, withTextSession, withTimeout } from '../../fixtures/session.js';
import { dtmfTool, forwardDtmf, LLMAdapter, sendDtmf } from '../../src/index.js';
import { pressKeys, recordingRoom } from '../helpers/dtmf-room.js';
import { collectReports } from '../helpers/reports.js';

/** A graph whose model asks to press `digits`, then says what the tool answered. */
function pressingGraph(digits: string) {
  const model = new ScriptedChatModel({
    script: [
      { text: '', toolCalls: [{ name: 'send_dtmf', args: { digits } }] },
      (messages) => ({ text: `Noted: ${String(messages.at(-1)?.content)}` }),
    ],
  });
  return new StateGraph(MessagesAnnotation)
    .addNode('agent', async (state) => ({ messages: [await model.invoke(state.messages)] }))
    .addEdge(START, 'agent')
    .addEdge('agent', END)
    .compile();
}

describe('keys out are bounded', () => {
  it('refuses more than 32 keys in one press, naming the cap, and presses none', async () => {
    const { room, pressed } = recordingRoom();
    await withTextSession(
      {
        llm: new LLMAdapter({ graph: pressingGraph('1'.repeat(100)) }),
        tools: { send_dtmf: dtmfTool({ room }) },
      },
      async (s) => {
        const error = `The keys "${'1'.repeat(100)}" were not sent: 100 keys are more than one press may send (at most 32), so no key was pressed.`;
        expect(eventsOf(await s.say('enter it all'))).toContainEqual([
          'function_call_output',
          'send_dtmf',
          JSON.stringify(error),
        ]);
      },
    );
    expect(pressed).toEqual([]);
  });

  it('stops pressing when the call ends, and the close does not wait for the rest', async () => {
    const { room, pressed } = recordingRoom();
    const graph = new StateGraph(MessagesAnnotation)
      .addNode('menu', async (_s, config) => {
        sendDtmf(config, '1'.repeat(32));
        return { messages: [new AIMessage('Entering the number.')] };
      })
      .addEdge(START, 'menu')
      .addEdge('menu', END)
      .compile();
    await withTextSession(
      // 32 keys 2 s apart would hold the line for a minute
      { llm: new LLMAdapter({ graph }), tools: { send_dtmf: dtmfTool({ room, gapMs: 2_000 }) } },
      async (s) => {
        const reports = collectReports(s.session);
        s.session.generateReply({ userInput: 'enter the number' });
        await waitUntil(() => pressed.length > 0, 'the first key');
        await withTimeout(s.session.close(), 10_000, 'the close during the key press');
        const report = await reports.first();
        const sent = pressed.length;
        expect(sent).toBeLessThan(32);
        expect(report.actions.map(({ at: _, ...action }) => action)).toEqual([
          {
            name: 'send_dtmf',
            digits: '1'.repeat(32),
            ok: false,
            error: `the call ended after ${sent} of 32 keys`,
          },
        ]);
      },
    );
  });
});

describe('keys in are bounded', () => {
  it('keeps the first 32 keys of a 500-key entry, as one turn', async () => {
    const seen: BaseMessage[] = [];
    const graph = new StateGraph(MessagesAnnotation)
      .addNode('agent', async (state) => {
        seen.push(state.messages.at(-1) as BaseMessage);
        return { messages: [new AIMessage('Got it.')] };
      })
      .addEdge(START, 'agent')
      .addEdge('agent', END)
      .compile();
    const room = new Room();
    await withTextSession({ llm: new LLMAdapter({ graph }) }, async (s) => {
      const keys = forwardDtmf({ session: s.session, room });
      try {
        pressKeys(room, `${'7'.repeat(500)}#`);
        await waitUntil(() => s.transcript().at(-1)?.[1] === 'Got it.', 'the keys turn');
        await s.say('that was all');
      } finally {
        keys.stop();
      }
    });
    expect(seen.map((m) => m.content)).toEqual(['7'.repeat(32), 'that was all']);
  });
});
