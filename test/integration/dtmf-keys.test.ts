/**
 * Keys both ways, through real sessions and real graphs, with the rooms of test/helpers/dtmf-room.ts.
 */
import { once } from 'node:events';
import { AIMessage, type BaseMessage, HumanMessage } from '@langchain/core/messages';
import { END, MemorySaver, MessagesAnnotation, START, StateGraph } from '@langchain/langgraph';
import { voice } from '@livekit/agents';
import { Room, RoomEvent } from '@livekit/rtc-node';
import { describe, expect, it } from 'vitest';
import { withAudioSession } from '../../fixtures/audio.js';
import { askingGraph, reactGraph } from '../../fixtures/graphs.js';
import { ScriptedChatModel } from '../../fixtures/scripted-chat-model.js';
import { eventsOf, waitUntil, withTextSession, withTimeout } from '../../fixtures/session.js';
import {
  dtmfTool,
  forwardDtmf,
  isDtmfInput,
  LLMAdapter,
  sendDtmf,
  sendDtmfTool,
} from '../../src/index.js';
import { pressKeys, recordingRoom } from '../helpers/dtmf-room.js';

describe('keys out: dtmfTool', () => {
  it('presses the keys of every sendDtmf of a run, in order, gapMs apart, with no new turn', async () => {
    const { room, pressed } = recordingRoom();
    const graph = new StateGraph(MessagesAnnotation)
      .addNode('menu', async (_s, config) => {
        sendDtmf(config, '2');
        sendDtmf(config, '*9#');
        return { messages: [new AIMessage('Choosing billing.')] };
      })
      .addEdge(START, 'menu')
      .addEdge('menu', END)
      .compile();
    await withTextSession(
      { llm: new LLMAdapter({ graph }), tools: { send_dtmf: dtmfTool({ room, gapMs: 50 }) } },
      async (s) => {
        const events = eventsOf(await s.say('press two for billing'));
        expect(events.filter(([type]) => type === 'function_call')).toEqual([
          ['function_call', 'send_dtmf', { digits: '2' }],
          ['function_call', 'send_dtmf', { digits: '*9#' }],
        ]);
        // no output, so no further LLM turn: one assistant message
        expect(events.filter(([type]) => type === 'message')).toEqual([
          ['message', 'assistant', 'Choosing billing.'],
        ]);
      },
    );
    expect(pressed.map(({ code, digit }) => [code, digit])).toEqual([
      [2, '2'],
      [10, '*'],
      [9, '9'],
      [11, '#'],
    ]);
    // within one call the keys are gapMs apart (a generous bound: timers never fire early)
    const gaps = pressed.slice(2).map((p, i) => p.at - (pressed[i + 1]?.at ?? 0));
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(49);
  });

  it('presses the first key drainMs after the words before it finished playing, not before', async () => {
    const DRAIN_MS = 300;
    const { room, pressed } = recordingRoom();
    const graph = new StateGraph(MessagesAnnotation)
      .addNode('menu', async (_s, config) => {
        sendDtmf(config, '12');
        return { messages: [new AIMessage('Sending your account number.')] };
      })
      .addEdge(START, 'menu')
      .addEdge('menu', END)
      .compile();
    await withAudioSession(
      {
        llm: new LLMAdapter({ graph }),
        tools: { send_dtmf: dtmfTool({ room, gapMs: 0, drainMs: DRAIN_MS }) },
      },
      async ({ session, output }) => {
        session.generateReply({ userInput: 'pay my bill' });
        await withTimeout(output.waitForSegment(), 10_000, 'the reply audio');
        // the tool has started and waits: no key while the words play
        expect(pressed).toEqual([]);
        output.finishPlayback();
        const playedAt = performance.now();
        await waitUntil(() => pressed.length === 2, 'the keys');
        // Node's timers may fire up to 1 ms early
        expect((pressed[0]?.at ?? 0) - playedAt).toBeGreaterThanOrEqual(DRAIN_MS - 1);
      },
    );
    expect(pressed.map((p) => p.digit)).toEqual(['1', '2']);
  });

  it('tells the model which of its keys are not keys, and presses none', async () => {
    const { room, pressed } = recordingRoom();
    const model = new ScriptedChatModel({
      script: [
        { text: '', toolCalls: [{ name: 'send_dtmf', args: { digits: '12x' } }] },
        (messages) => ({ text: `Noted: ${String(messages.at(-1)?.content)}` }),
      ],
    });
    const graph = new StateGraph(MessagesAnnotation)
      .addNode('agent', async (state) => ({ messages: [await model.invoke(state.messages)] }))
      .addEdge(START, 'agent')
      .addEdge('agent', END)
      .compile();
    await withTextSession(
      { llm: new LLMAdapter({ graph }), tools: { send_dtmf: dtmfTool({ room }) } },
      async (s) => {
        const events = eventsOf(await s.say('enter the code'));
        const error =
          'The keys "12x" were not sent: "x" is not a phone key: only 0-9, *, # and A-D can be pressed, so no key was pressed.';
        expect(events).toContainEqual(['function_call_output', 'send_dtmf', JSON.stringify(error)]);
        expect(events.at(-1)).toEqual(['message', 'assistant', `Noted: ${JSON.stringify(error)}`]);
      },
    );
    expect(pressed).toEqual([]);
  });

  it("carries a model's send_dtmf (bound with sendDtmfTool and run by a ToolNode) to the line", async () => {
    const { room, pressed } = recordingRoom();
    const model = new ScriptedChatModel({
      script: [
        { text: '', toolCalls: [{ name: 'send_dtmf', args: { digits: '1' } }] },
        { text: '' },
      ],
    });
    await withTextSession(
      {
        llm: new LLMAdapter({ graph: reactGraph(model, [sendDtmfTool]).compile() }),
        tools: { send_dtmf: dtmfTool({ room, gapMs: 0 }) },
      },
      async (s) => {
        await s.say('for sales press one');
      },
    );
    expect(pressed.map((p) => p.digit)).toEqual(['1']);
  });
});

describe('keys in: forwardDtmf', () => {
  it('resumes a graph waiting in interrupt() with the digits entered before #', async () => {
    const graph = askingGraph('Enter your account number, then press pound.').compile({
      checkpointer: new MemorySaver(),
    });
    const room = new Room();
    await withTextSession(
      { llm: new LLMAdapter({ graph, input: 'latest', threadId: 'call-keys' }) },
      async (s) => {
        expect(eventsOf(await s.say('check my account'))).toEqual([
          ['message', 'assistant', 'Enter your account number, then press pound.'],
        ]);
        const keys = forwardDtmf({ session: s.session, room });
        try {
          const reply = once(s.session, voice.AgentSessionEventTypes.ConversationItemAdded);
          pressKeys(room, '4821#');
          await withTimeout(reply, 10_000, 'the turn of the keys');
          await waitUntil(
            () => s.transcript().at(-1)?.[1] === 'Thanks, account 4821 is active.',
            'the answer to the keys',
          );
        } finally {
          keys.stop();
        }
      },
    );
  });

  it('submits after interDigitTimeoutMs of quiet, marked as keys for the graph', async () => {
    const seen: BaseMessage[] = [];
    const graph = new StateGraph(MessagesAnnotation)
      .addNode('agent', async (state) => {
        const last = state.messages.at(-1) as BaseMessage;
        seen.push(last);
        return { messages: [new AIMessage(isDtmfInput(last) ? 'You typed it.' : 'You said it.')] };
      })
      .addEdge(START, 'agent')
      .addEdge('agent', END)
      .compile();
    const room = new Room();
    await withTextSession({ llm: new LLMAdapter({ graph }) }, async (s) => {
      const keys = forwardDtmf({ session: s.session, room, interDigitTimeoutMs: 200 });
      try {
        pressKeys(room, '77');
        await waitUntil(() => s.transcript().at(-1)?.[1] === 'You typed it.', 'the keys turn');
        await s.say('seventy seven');
        expect(s.transcript().at(-1)).toEqual(['assistant', 'You said it.']);
        keys.stop();
        // stopped: nothing listens to the room's keys any more, so none reach the session
        expect(room.listenerCount(RoomEvent.DtmfReceived)).toBe(0);
        pressKeys(room, '5#');
        await s.say('thanks');
        expect(seen).toHaveLength(3);
      } finally {
        keys.stop();
      }
    });
    expect(seen.map((m) => [HumanMessage.isInstance(m), m.content, isDtmfInput(m)])).toEqual([
      [true, '77', true],
      [true, 'seventy seven', false],
      [true, 'thanks', false],
    ]);
  });

  it('a keypress while the agent speaks interrupts it, as speech would', async () => {
    const graph = new StateGraph(MessagesAnnotation)
      .addNode('agent', async () => ({ messages: [new AIMessage('Our opening hours are long.')] }))
      .addEdge(START, 'agent')
      .addEdge('agent', END)
      .compile();
    const room = new Room();
    await withAudioSession({ llm: new LLMAdapter({ graph }) }, async ({ session, output }) => {
      const keys = forwardDtmf({ session, room });
      try {
        session.generateReply({ userInput: 'when are you open?' });
        await withTimeout(output.waitForSegment(), 10_000, 'the answer audio');
        pressKeys(room, '0');
        await waitUntil(() => output.clearedSegments === 1, 'the answer to be cut');
      } finally {
        keys.stop();
      }
    });
  });
});
