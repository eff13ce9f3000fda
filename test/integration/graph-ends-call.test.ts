/**
 * The graph ends the call, end to end: a real graph behind `LLMAdapter`, a real AgentSession
 * executing `hangupTool()`, a real RoomServiceClient talking to the local RoomService room.stub.
 */
import { once } from 'node:events';
import { AIMessage } from '@langchain/core/messages';
import { END, MessagesAnnotation, START, StateGraph } from '@langchain/langgraph';
import { describe, expect, it } from 'vitest';
import { goodbyeInFlight, observeTool, withAudioSession } from '../../fixtures/audio.js';
import { goodbyeGraph, reactGraph, sayingGraph } from '../../fixtures/graphs.js';
import { ScriptedChatModel } from '../../fixtures/scripted-chat-model.js';
import { eventsOf, waitUntil, withTextSession, withTimeout } from '../../fixtures/session.js';
import { CALL_KEPT_UP_NOTE } from '../../src/graph/end-call.js';
import {
  endCall,
  endCallTool,
  hangupCall,
  LLMAdapter,
  type LLMAdapterOptions,
} from '../../src/index.js';
import { useHangupFixture } from '../helpers/hangup-fixture.js';

const ROOM = 'call-graph';

/** agent → goodbye (says `goodbyeSays`), an end-call node by its metadata or by the adapter's option. */
const goodbyeNodeGraph = (declared: 'metadata' | 'option', goodbyeSays = 'Goodbye.') =>
  goodbyeGraph(goodbyeSays, declared === 'metadata' ? { end_call: true } : undefined);

describe('the graph ends the call', () => {
  const room = useHangupFixture(ROOM);

  /** Runs one turn, waits for the session to close, returns the run's events. */
  async function endingTurn(options: LLMAdapterOptions, userInput = 'bye') {
    return withTextSession(
      { llm: new LLMAdapter(options), tools: { end_call: room.hangupTool() } },
      async (s) => {
        const closed = once(s.session, 'close');
        const events = eventsOf(await s.say(userInput));
        await withTimeout(closed, 10_000, 'the session to close after the hangup');
        // the session closes once the goodbye has played; the hangup reports when its action is done
        await waitUntil(() => room.hangups.length > 0, 'onHangup');
        return events;
      },
    );
  }

  it.each([
    [
      'endCall() in a node',
      () => ({
        graph: sayingGraph('All set. Goodbye!', (config) =>
          endCall(config, { reason: 'order placed' }),
        ),
      }),
      'All set. Goodbye!',
      'order placed',
      'signal',
    ],
    [
      'a bare "end" on the custom stream',
      () => ({ graph: sayingGraph('Goodbye!', (config) => config?.writer?.('end')) }),
      'Goodbye!',
      'the graph ended the call',
      'signal',
    ],
    [
      "the model's end_call tool call, run by a ToolNode",
      () => ({
        graph: reactGraph(
          new ScriptedChatModel({
            script: [
              {
                text: 'Glad I could help. Bye!',
                toolCalls: [{ name: 'end_call', args: { reason: 'caller said bye' } }],
              },
              { text: '' },
            ],
          }),
          [endCallTool],
        ).compile(),
      }),
      'Glad I could help. Bye!',
      'caller said bye',
      'tool',
    ],
    [
      'a signal whose reason is not text (written out, never a reason to stay up)',
      () => ({
        graph: sayingGraph('Goodbye!', (config) =>
          config?.writer?.({ type: 'end', reason: 12345 }),
        ),
      }),
      'Goodbye!',
      '12345',
      'signal',
    ],
    [
      'an end_call the model broke (in invalid_tool_calls of a whole message)',
      () => ({
        graph: new StateGraph(MessagesAnnotation)
          .addNode('agent', async () => ({
            messages: [
              new AIMessage({
                content: 'Bye now!',
                invalid_tool_calls: [
                  {
                    id: 'call-1',
                    name: 'end_call',
                    args: '{"reason": "caller said b',
                    error: 'Unterminated string in JSON',
                    type: 'invalid_tool_call',
                  },
                ],
              }),
            ],
          }))
          .addEdge(START, 'agent')
          .addEdge('agent', END)
          .compile(),
      }),
      'Bye now!',
      'the model called end_call',
      'tool',
    ],
    [
      'a node declared with { metadata: { end_call: true } }',
      () => ({ graph: goodbyeNodeGraph('metadata') }),
      'Your refund is on its way. Goodbye.',
      'an end-call node ran: goodbye',
      'node',
    ],
    [
      'a silent node named in endCallNodes',
      () => ({ graph: goodbyeNodeGraph('option', ''), endCallNodes: ['goodbye'] }),
      'Your refund is on its way.',
      'an end-call node ran: goodbye',
      'node',
    ],
  ])(
    '%s: one end_call, one DeleteRoom after the goodbye',
    async (_name, options, spoken, reason, trigger) => {
      const events = await endingTurn(options());
      expect(events).toContainEqual(['message', 'assistant', spoken]);
      expect(events.filter(([type]) => type === 'function_call')).toEqual([
        ['function_call', 'end_call', { reason, trigger }],
      ]);
      expect(events.filter(([type]) => type === 'message')).toHaveLength(1);
      expect(room.stub.requests.map((r) => [r.method, r.body])).toEqual([
        ['DeleteRoom', { room: ROOM }],
      ]);
      expect(
        room.hangups.map((h) => [h.reason, h.action, h.interrupted, h.timedOut, h.error]),
      ).toEqual([[reason, 'delete_room', false, false, undefined]]);
    },
  );

  it('sends one end_call when every trigger fires in the same run', async () => {
    const model = new ScriptedChatModel({
      script: [
        {
          text: 'Bye!',
          toolCalls: [
            { name: 'end_call', args: { reason: 'from the model' } },
            { name: 'end_call', args: { reason: 'twice' } },
          ],
        },
      ],
    });
    const graph = new StateGraph(MessagesAnnotation)
      .addNode('agent', async (state, config) => {
        endCall(config, { reason: 'from the signal' });
        config.writer?.('end');
        return { messages: [await model.invoke(state.messages)] };
      })
      .addNode('goodbye', async () => ({}), { metadata: { end_call: true } })
      .addEdge(START, 'agent')
      .addEdge('agent', 'goodbye')
      .addEdge('goodbye', END)
      .compile();
    const events = await endingTurn({ graph });
    expect(events).toEqual([
      ['message', 'assistant', 'Bye!'],
      ['function_call', 'end_call', { reason: 'from the signal', trigger: 'signal' }],
      ['function_call_output', 'end_call', ''],
    ]);
    expect(room.stub.requests).toHaveLength(1);
    expect(room.hangups).toHaveLength(1);
  });

  it('does not hang up when nothing ends the call', async () => {
    const graph = sayingGraph('Anything else?');
    await withTextSession(
      { llm: new LLMAdapter({ graph }), tools: { end_call: room.hangupTool() } },
      async (s) => {
        expect(eventsOf(await s.say('thanks'))).toEqual([
          ['message', 'assistant', 'Anything else?'],
        ]);
        // a hangup of our own: had one been pending, hangupCall would have returned that one
        const own = await hangupCall({
          session: s.session,
          reason: 'sentinel',
          roomService: room.stub.client(),
          roomName: ROOM,
        });
        expect(own.reason).toBe('sentinel');
      },
    );
    expect(room.hangups).toEqual([]);
    expect(room.stub.requests).toHaveLength(1);
  });

  describe('in audio mode', () => {
    it('deletes the room only after the goodbye finished playing, and the goodbye cannot be cut', async () => {
      const graph = sayingGraph('Thanks for calling. Goodbye!', (config) =>
        endCall(config, { reason: 'done' }),
      );
      const receiver = observeTool(room.hangupTool());
      await withAudioSession(
        { llm: new LLMAdapter({ graph }), tools: { end_call: receiver.tool } },
        async (s) => {
          const { session, output } = s;
          const { speech } = await goodbyeInFlight(s, receiver, 'that is all');
          expect(speech.allowInterruptions).toBe(false);
          expect(() => session.interrupt()).toThrow('does not allow interruptions');
          expect(output.clearedSegments).toBe(0);
          expect(room.stub.requests).toEqual([]);
          const closed = once(session, 'close');
          output.finishPlayback();
          const request = await withTimeout(room.stub.nextRequest(), 10_000, 'DeleteRoom');
          expect([request.method, request.body]).toEqual(['DeleteRoom', { room: ROOM }]);
          await withTimeout(closed, 10_000, 'session close');
          await waitUntil(() => room.hangups.length > 0, 'onHangup');
        },
      );
      expect(room.hangups.map((h) => [h.reason, h.interrupted])).toEqual([['done', false]]);
    });

    it('keeps an interrupted interruptible goodbye up, and the graph reads why on the next turn', async () => {
      const model = new ScriptedChatModel({
        script: [
          {
            text: 'Goodbye then!',
            toolCalls: [{ name: 'end_call', args: { reason: 'caller said bye' } }],
          },
          { text: '' }, // after its ToolNode ran end_call, the model has nothing to add
          { text: 'Sure, what else?' },
        ],
      });
      const graph = reactGraph(model, [endCallTool]).compile();
      const receiver = observeTool(room.hangupTool({ interruptible: true }));
      await withAudioSession(
        { llm: new LLMAdapter({ graph }), tools: { end_call: receiver.tool } },
        async (s) => {
          const { session, output } = s;
          const { speech } = await goodbyeInFlight(s, receiver);
          session.interrupt();
          await withTimeout(speech.waitForPlayout(), 10_000, 'the interrupted goodbye');
          const reply = session.generateReply({ userInput: 'wait, one more thing' });
          await withTimeout(output.waitForSegment(), 10_000, 'the next reply');
          output.finishPlayback();
          await withTimeout(reply.waitForPlayout(), 10_000, 'the next reply to play');
        },
      );
      expect(room.hangups).toEqual([]);
      expect(room.stub.requests).toEqual([]);
      // what the graph got on the second turn: LiveKit's view, with the end_call that did not end the call
      const secondTurn = (model.calls[2] ?? []).slice(-3).map((m) => [m.getType(), m.content]);
      expect(secondTurn).toEqual([
        ['ai', 'Goodbye then!'],
        ['tool', CALL_KEPT_UP_NOTE],
        ['human', 'wait, one more thing'],
      ]);
    });
  });
});
