/**
 * The telephony example with TRANSFER_TO set: its graph (examples/telephony-agent/graph.ts) hands
 * a caller who asks for a person to the `human` destination, through a real text-mode session,
 * `transferTool()` and the local SIP stand-in; a caller's keypad entry reaches its model as the
 * digits.
 */
import { once } from 'node:events';
import type { BaseMessage } from '@langchain/core/messages';
import { Room, RoomEvent } from '@livekit/rtc-node';
import { describe, expect, it } from 'vitest';
import {
  buildSupportGraph,
  SYSTEM_PROMPT,
  TRANSFER_PROMPT,
} from '../../examples/telephony-agent/graph.js';
import { ScriptedChatModel } from '../../fixtures/scripted-chat-model.js';
import { eventsOf, waitUntil, withTextSession, withTimeout } from '../../fixtures/session.js';
import { startSipStub } from '../../fixtures/sip-server.js';
import { forwardDtmf, LLMAdapter, transferTool } from '../../src/index.js';

const HANDOFF = "I'm connecting you to a colleague now.";

describe('the telephony example with a person to transfer to', () => {
  it('transfers a caller who asks for a person to TRANSFER_TO, after the handoff line', async () => {
    const sip = await startSipStub();
    const prompts: string[] = [];
    const model = new ScriptedChatModel({
      script: [
        (messages: BaseMessage[]) => {
          prompts.push(String(messages[0]?.content));
          return { text: HANDOFF, toolCalls: [{ name: 'transfer_call', args: { to: 'human' } }] };
        },
      ],
    });
    try {
      await withTextSession(
        {
          llm: new LLMAdapter({ graph: buildSupportGraph(model, { transfer: true }) }),
          tools: {
            transfer_call: transferTool({
              destinations: { human: 'tel:+15105550123' },
              sipClient: sip.client(),
              roomName: 'call-sample-transfer',
              participantIdentity: 'caller',
              drainMs: 0,
            }),
          },
        },
        async ({ say, session }) => {
          const closed = once(session, 'close');
          const events = eventsOf(await say('can I talk to a person?'));
          await withTimeout(closed, 10_000, 'the session to close after the transfer');
          expect(events).toEqual([
            ['message', 'assistant', HANDOFF],
            ['function_call', 'transfer_call', { to: 'human' }],
          ]);
        },
      );
      expect(prompts).toEqual([SYSTEM_PROMPT + TRANSFER_PROMPT]);
      expect(sip.requests.map((r) => [r.status, r.body.transferTo])).toEqual([
        [200, 'tel:+15105550123'],
      ]);
    } finally {
      await sip.close();
    }
  });

  it("hands a keypad entry to the model as the caller's digits", async () => {
    const heard: string[] = [];
    const model = new ScriptedChatModel({
      script: [
        (messages: BaseMessage[]) => {
          heard.push(String(messages.at(-1)?.content));
          return { text: 'Thanks.' };
        },
      ],
    });
    const room = new Room();
    await withTextSession(
      { llm: new LLMAdapter({ graph: buildSupportGraph(model) }) },
      async ({ session, transcript }) => {
        const keys = forwardDtmf({ session, room });
        for (const [code, key] of [
          [1, '1'],
          [0, '0'],
          [0, '0'],
          [2, '2'],
          [11, '#'],
        ] as const) {
          room.emit(RoomEvent.DtmfReceived, code, key, {} as never);
        }
        await waitUntil(() => transcript().at(-1)?.[1] === 'Thanks.', 'the answer to the keys');
        keys.stop();
      },
    );
    expect(heard).toEqual(['1002']);
  });
});
