/**
 * The graph transfers the call, end to end in text mode: a real graph behind `LLMAdapter`, a real
 * AgentSession executing `transferTool()`, a real `SipClient` talking to the local SIP stand-in,
 * which verifies the token's grants as LiveKit does.
 */
import { once } from 'node:events';
import { type AIMessage, type BaseMessage, ToolMessage } from '@langchain/core/messages';
import { END, MemorySaver, MessagesAnnotation, START, StateGraph } from '@langchain/langgraph';
import { ToolNode } from '@langchain/langgraph/prebuilt';
import { voice } from '@livekit/agents';
import { describe, expect, it } from 'vitest';
import { handoffLine, transferGraph } from '../../fixtures/graphs.js';
import { ScriptedChatModel } from '../../fixtures/scripted-chat-model.js';
import { eventsOf, waitUntil, withTextSession, withTimeout } from '../../fixtures/session.js';
import {
  SIP_BRIDGE_GONE,
  SIP_BUSY,
  SIP_NO_ANSWER,
  SIP_PARTICIPANT_GONE,
  SIP_REFER_REFUSED,
  SIP_TIMED_OUT,
} from '../../fixtures/sip-server.js';
import { LLMAdapter, transferCallTool } from '../../src/index.js';
import { captureLogs } from '../helpers/logs.js';
import { collectReports } from '../helpers/reports.js';
import { CALLER, DESTINATIONS, useTransferFixture } from '../helpers/transfer-fixture.js';

const ROOM = 'call-transfer';
const HANDOFF = handoffLine('billing');
const SORRY = 'Sorry, I could not put you through.';

/**
 * Asks for a transfer to `to` with a handoff line; on the run after a failed transfer, says
 * {@link SORRY} and keeps what it read as the transfer's result in `seen`.
 */
const transferringGraph = (to: string, seen: string[]) =>
  transferGraph(to, (messages) => {
    const last: BaseMessage | undefined = messages.at(-1);
    if (!last || !ToolMessage.isInstance(last)) return undefined;
    seen.push(String(last.content));
    return SORRY;
  });

describe('the graph transfers the call (text mode)', () => {
  const room = useTransferFixture(ROOM);

  it('transfers after the handoff line, once, and ends the session with onTransfer', async () => {
    const seen: string[] = [];
    const report = await withTextSession(
      {
        llm: new LLMAdapter({ graph: transferringGraph('billing', seen) }),
        tools: { transfer_call: room.transferTool({ playDialtone: true }) },
      },
      async (s) => {
        const reports = collectReports(s.session);
        const closed = once(s.session, 'close');
        const events = eventsOf(await s.say('I want a person'));
        await withTimeout(closed, 10_000, 'the session to close after the transfer');
        await waitUntil(() => room.transfers.length > 0, 'onTransfer');
        // the session shut down once the caller had left, before a tool output was recorded
        expect(events).toEqual([
          ['message', 'assistant', HANDOFF],
          ['function_call', 'transfer_call', { to: 'billing', reason: 'refund dispute' }],
        ]);
        return reports.first();
      },
    );
    // the call report says where the call went
    expect(report).toMatchObject({
      endedBy: 'transfer',
      reason: 'refund dispute',
      to: 'billing',
      transfer: { to: 'billing', destination: DESTINATIONS.billing },
    });
    // a transfer that went through is an action taken, as a failed one is
    expect(report.actions.map(({ at: _, ...action }) => action)).toEqual([
      { name: 'transfer_call', to: 'billing', reason: 'refund dispute', ok: true },
    ]);
    expect(room.sip.requests.map((r) => [r.method, r.status, r.body])).toEqual([
      [
        'TransferSIPParticipant',
        200,
        expect.objectContaining({
          roomName: ROOM,
          participantIdentity: CALLER,
          transferTo: DESTINATIONS.billing,
          playDialtone: true,
        }),
      ],
    ]);
    expect(room.transfers.map(({ requestMs: _, playoutWaitMs: __, ...info }) => info)).toEqual([
      {
        to: 'billing',
        destination: DESTINATIONS.billing,
        reason: 'refund dispute',
        roomName: ROOM,
        participantIdentity: CALLER,
        drainMs: 0,
      },
    ]);
    expect(seen).toEqual([]);
  });

  it.each([
    ['486 busy', SIP_BUSY, 'the line was busy'],
    ['480 no answer', SIP_NO_ANSWER, 'nobody answered'],
    [
      "the caller's phone refusing the REFER (403)",
      SIP_REFER_REFUSED,
      'the phone network refused the transfer',
    ],
    [
      "LiveKit's ringing timeout (no NOTIFY after the REFER)",
      SIP_TIMED_OUT,
      'nobody answered in time',
    ],
    [
      'a caller gone from the room (404)',
      SIP_PARTICIPANT_GONE,
      'our phone system could not find this call to transfer',
    ],
    ['no SIP bridge (503)', SIP_BRIDGE_GONE, 'our phone system could not be reached'],
    ['a request that never returns', 'hang' as const, 'nobody answered in time'],
  ])('keeps the call up on %s, and the graph reads why', async (_name, answer, words) => {
    room.sip.respondWith(answer);
    const seen: string[] = [];
    const failure = `The transfer to billing failed: ${words}. The caller is still on the line with you. Tell them, and offer another way to help.`;
    await withTextSession(
      {
        llm: new LLMAdapter({ graph: transferringGraph('billing', seen) }),
        tools: { transfer_call: room.transferTool({ requestTimeoutMs: 500 }) },
      },
      async (s) => {
        const reports = collectReports(s.session);
        let closes = 0;
        s.session.on(voice.AgentSessionEventTypes.Close, () => closes++);
        const events = eventsOf(await s.say('I want a person'));
        expect(events).toEqual([
          ['message', 'assistant', HANDOFF],
          ['function_call', 'transfer_call', { to: 'billing', reason: 'refund dispute' }],
          // agents-js hands a tool's string result to the LLM JSON-encoded
          ['function_call_output', 'transfer_call', JSON.stringify(failure)],
          ['message', 'assistant', SORRY],
        ]);
        expect(closes).toBe(0);
        await s.session.close();
        // the call went on until this close: the transfer shut nothing down (it would have
        // closed the session with "transferred to billing"), and it did not end the call
        const report = await reports.first();
        expect(closes).toBe(1);
        expect(report).toMatchObject({ endedBy: 'session_closed', reason: 'user_initiated' });
        expect(report.actions.map(({ at: _, ...action }) => action)).toEqual([
          {
            name: 'transfer_call',
            to: 'billing',
            reason: 'refund dispute',
            ok: false,
            error: failure,
          },
        ]);
      },
    );
    expect(seen[0]).toBe(JSON.stringify(failure));
    expect(room.transfers).toEqual([]);
  });

  it('makes no request for a destination nobody listed, and tells the graph the names', async () => {
    const seen: string[] = [];
    const report = await withTextSession(
      {
        llm: new LLMAdapter({ graph: transferringGraph('+15550001111', seen) }),
        tools: { transfer_call: room.transferTool() },
      },
      async (s) => {
        const reports = collectReports(s.session);
        await s.say('call my lawyer');
        await s.session.close();
        return reports.first();
      },
    );
    const refusal =
      'There is no transfer destination named "+15550001111", so nothing was dialled. The caller is still on the line with you. The destinations are: billing, support.';
    expect(seen).toEqual([JSON.stringify(refusal)]);
    // the report keeps the refused attempt
    expect(report.actions.map(({ at: _, ...action }) => action)).toEqual([
      {
        name: 'transfer_call',
        to: '+15550001111',
        reason: 'refund dispute',
        ok: false,
        error: refusal,
      },
    ]);
    expect(room.sip.requests).toEqual([]);
  });

  it('tells the graph of a refused request (401: wrong credentials) and keeps the call up', async () => {
    const seen: string[] = [];
    const sipClient = room.sip.client({ apiSecret: 'not-the-secret-of-the-stand-in-at-all' });
    const logs = captureLogs();
    try {
      await withTextSession(
        {
          llm: new LLMAdapter({ graph: transferringGraph('billing', seen) }),
          tools: { transfer_call: room.transferTool({ sipClient }) },
        },
        async (s) => {
          await s.say('a person please');
        },
      );
      // logged once, as a message: not the error object with its stack and the client's request
      const failed = logs.records().filter((r) => r.msg === 'transfer failed; the call stays up');
      expect(failed.map((r) => [r.to, r.error, 'stack' in r])).toEqual([
        ['billing', 'invalid token', false],
      ]);
    } finally {
      logs.restore();
    }
    expect(room.sip.requests.map((r) => [r.method, r.status])).toEqual([
      ['TransferSIPParticipant', 401],
    ]);
    expect(seen).toEqual([
      JSON.stringify(
        'The transfer to billing failed: our phone system refused the request (a setup problem on our side). The caller is still on the line with you. Tell them, and offer another way to help.',
      ),
    ]);
  });

  it("with input: 'latest', the thread's transfer_call result becomes why the transfer failed", async () => {
    room.sip.respondWith(SIP_BUSY);
    const seen: string[] = [];
    const model = new ScriptedChatModel({
      script: [
        {
          text: HANDOFF,
          toolCalls: [{ name: 'transfer_call', args: { to: 'billing' }, id: 't1' }],
        },
        (messages) => {
          seen.push(String(messages.at(-1)?.content));
          return { text: SORRY };
        },
      ],
    });
    const bound = model.bindTools([transferCallTool]);
    const graph = new StateGraph(MessagesAnnotation)
      .addNode('agent', async (state) => ({ messages: [await bound.invoke(state.messages)] }))
      .addNode('tools', new ToolNode([transferCallTool]))
      .addEdge(START, 'agent')
      .addConditionalEdges('agent', (state) =>
        (state.messages.at(-1) as AIMessage).tool_calls?.length ? 'tools' : END,
      )
      // once transfer_call ran there is nothing to add: a failure comes back as the next turn
      .addEdge('tools', END)
      .compile({ checkpointer: new MemorySaver() });
    await withTextSession(
      {
        llm: new LLMAdapter({ graph, input: 'latest', threadId: 'call-latest-transfer' }),
        tools: { transfer_call: room.transferTool() },
      },
      async (s) => {
        expect(eventsOf(await s.say('a person please')).at(-1)).toEqual([
          'message',
          'assistant',
          SORRY,
        ]);
      },
    );
    const failure = JSON.stringify(
      'The transfer to billing failed: the line was busy. The caller is still on the line with you. Tell them, and offer another way to help.',
    );
    expect(seen).toEqual([failure]);
    const { values } = await graph.getState({
      configurable: { thread_id: 'call-latest-transfer' },
    });
    const result = (values.messages as BaseMessage[]).find((m) => ToolMessage.isInstance(m));
    expect(result?.content).toBe(failure);
  });
});
