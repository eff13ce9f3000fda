/**
 * `LLMAdapter` over a `RemoteGraph`, against a real LangGraph API server (`langgraphjs dev`)
 * serving fixtures/remote-graphs.ts: one server for the whole file, one AgentSession per test.
 */

import { once } from 'node:events';
import { RemoteGraph } from '@langchain/langgraph/remote';
import type { llm, metrics } from '@livekit/agents';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { observeTool, withAudioSession } from '../../fixtures/audio.js';
import { type LangGraphServer, startLangGraphServer } from '../../fixtures/langgraph-server.js';
import {
  callerIn,
  HEARD_IN_CALL,
  HEARD_OF_REFUND,
  interruptTheGoodbye,
  runRememberedCall,
} from '../../fixtures/remembered-call.js';
import { type RoomServiceStub, startRoomServiceStub } from '../../fixtures/room-service-server.js';
import { agentSpeaking, eventsOf, withTextSession, withTimeout } from '../../fixtures/session.js';
import { startSipStub } from '../../fixtures/sip-server.js';
import { DEFAULT_ERROR_LINE } from '../../src/adapter-options.js';
import { CALL_KEPT_UP_NOTE } from '../../src/graph/end-call.js';
import {
  dtmfTool,
  type HangupInfo,
  hangupTool,
  LLMAdapter,
  type LLMAdapterOptions,
  remoteThreadId,
  transferTool,
} from '../../src/index.js';
import { CALLER, DESTINATIONS } from '../helpers/transfer-fixture.js';

let server: LangGraphServer;
beforeAll(async () => {
  server = await startLangGraphServer();
});
afterAll(() => server?.stop());

const remote = (graphId: string) => new RemoteGraph({ graphId, url: server.url });

/** The messages of a server thread as [type, content] pairs. */
async function serverThread(threadId: string): Promise<[string, unknown][]> {
  const state = await server.client.threads.getState<{
    messages: { type: string; content: unknown }[];
  }>(remoteThreadId(threadId));
  return state.values.messages.map((m) => [m.type, m.content]);
}

describe('a RemoteGraph on LangGraph Server', () => {
  it('streams its tokens and usage, on the UUIDv5 of the thread id, keeping the history on the server', async () => {
    const adapter = new LLMAdapter({ graph: remote('echo'), threadId: 'call-remote-echo' });
    const collected: metrics.LLMMetrics[] = [];
    adapter.on('metrics_collected', (m) => collected.push(m));
    await withTextSession({ llm: adapter }, async ({ say }) => {
      expect(eventsOf(await say('hello'))).toEqual([['message', 'assistant', 'You said: hello']]);
      expect(eventsOf(await say('again'))).toEqual([['message', 'assistant', 'You said: again']]);
    });
    expect(adapter.threadId()).toBe('call-remote-echo');
    expect(adapter.model).toBe('echo');
    // input 'latest' is the default for a RemoteGraph: each message is on the thread once
    expect(await serverThread('call-remote-echo')).toEqual([
      ['human', 'hello'],
      ['ai', 'You said: hello'],
      ['human', 'again'],
      ['ai', 'You said: again'],
    ]);
    expect(collected.map((m) => [m.promptTokens, m.completionTokens, m.cancelled])).toEqual([
      [5, 3, false],
      [5, 3, false],
    ]);
  });

  describe('ends the call as a local graph does', () => {
    let stub: RoomServiceStub;
    beforeEach(async () => {
      stub = await startRoomServiceStub();
    });
    afterEach(() => stub.close());

    it.each([
      ['endCall() in a node', 'ends_by_signal', {}, 'All set. Goodbye!', 'order placed', 'signal'],
      [
        "the model's end_call tool call",
        'ends_by_tool',
        {},
        'Glad I could help. Bye!',
        'caller said bye',
        'tool',
      ],
      [
        'a node declared with { metadata: { end_call: true } }',
        'ends_by_node',
        {},
        'Your refund is on its way. Goodbye.',
        'an end-call node ran: goodbye',
        'node',
      ],
      [
        'a silent node named in endCallNodes',
        'ends_silently',
        { endCallNodes: ['goodbye'] },
        'Your refund is on its way.',
        'an end-call node ran: goodbye',
        'node',
      ],
    ] as [string, string, Partial<LLMAdapterOptions>, string, string, string][])(
      '%s: one end_call, one DeleteRoom',
      async (_name, graphId, options, spoken, reason, trigger) => {
        const hangups: HangupInfo[] = [];
        const adapter = new LLMAdapter({ graph: remote(graphId), ...options });
        const tool = hangupTool({
          roomService: stub.client(),
          roomName: 'call-remote-end',
          onHangup: (info) => void hangups.push(info),
        });
        const events = await withTextSession(
          { llm: adapter, tools: { end_call: tool } },
          async ({ say, session }) => {
            const closed = once(session, 'close');
            const result = eventsOf(await say('that is all'));
            await withTimeout(closed, 10_000, 'the session to close after the hangup');
            return result;
          },
        );
        expect(events.filter(([type]) => type !== 'function_call_output')).toEqual([
          ['message', 'assistant', spoken],
          ['function_call', 'end_call', { reason, trigger }],
        ]);
        expect(stub.requests.map((r) => [r.method, r.body])).toEqual([
          ['DeleteRoom', { room: 'call-remote-end' }],
        ]);
        expect(hangups.map((h) => h.reason)).toEqual([reason]);
      },
    );
    it('keeps an interrupted goodbye on the server thread as heard, with the call kept up', async () => {
      const threadId = 'call-remote-kept-up';
      const adapter = new LLMAdapter({ graph: remote('ends_by_tool'), threadId });
      const roomService = stub.client();
      const endCall = observeTool(
        hangupTool({ roomService, roomName: 'call-remote-kept-up', interruptible: true }),
      );
      await withAudioSession({ llm: adapter, tools: { end_call: endCall.tool } }, async (s) => {
        const caller = callerIn(s);
        await interruptTheGoodbye(caller, endCall, 'Glad I could');
        // the next run's input has brought the thread in line with what was heard
        await caller.endTurn('wait, one more thing');
        expect((await serverThread(threadId)).slice(0, 5)).toEqual([
          ['human', 'bye'],
          ['ai', 'Glad I could'],
          ['tool', CALL_KEPT_UP_NOTE],
          ['ai', ''],
          ['human', 'wait, one more thing'],
        ]);
        expect(stub.requests).toEqual([]);
      });
    });
  });

  describe('interrupt()', () => {
    it('speaks the question, and resumes the server run with what the caller answers', async () => {
      const adapter = new LLMAdapter({ graph: remote('asker'), threadId: 'call-remote-ask' });
      await withTextSession({ llm: adapter }, async ({ say }) => {
        expect(eventsOf(await say('check my account'))).toEqual([
          ['message', 'assistant', "What's your account number?"],
        ]);
        const paused = await server.client.threads.get(remoteThreadId('call-remote-ask'));
        expect(paused.status).toBe('interrupted');
        expect(eventsOf(await say('12345'))).toEqual([
          ['message', 'assistant', 'Thanks, account 12345 is active.'],
        ]);
      });
      const thread = await server.client.threads.get(remoteThreadId('call-remote-ask'));
      expect(thread.status).toBe('idle');
      // the question and the answer travelled as interrupt() and Command({ resume })
      expect(await serverThread('call-remote-ask')).toEqual([
        ['human', 'check my account'],
        ['ai', 'Thanks, account 12345 is active.'],
      ]);
    });

    it('resumes from a new adapter on the same thread (a restarted worker)', async () => {
      const options = { graph: remote('asker'), threadId: 'call-remote-restart' };
      await withTextSession({ llm: new LLMAdapter(options) }, async ({ say }) => {
        expect(eventsOf(await say('check my account'))).toEqual([
          ['message', 'assistant', "What's your account number?"],
        ]);
      });
      await withTextSession({ llm: new LLMAdapter(options) }, async ({ say }) => {
        expect(eventsOf(await say('67890'))).toEqual([
          ['message', 'assistant', 'Thanks, account 67890 is active.'],
        ]);
      });
    });
  });

  it('stops a run that spoke and then went quiet, as a local one (outputGapTimeoutMs)', async () => {
    const adapter = new LLMAdapter({
      graph: remote('slow'),
      threadId: 'call-remote-gap',
      outputGapTimeoutMs: 1_000,
    });
    const errors: string[] = [];
    adapter.on('error', (e) => errors.push(e.error.message));
    await withTextSession({ llm: adapter }, async ({ say }) => {
      expect(eventsOf(await say('check my order'))).toEqual([
        ['message', 'assistant', `Let me check that. ${DEFAULT_ERROR_LINE}`],
      ]);
    });
    expect(errors).toEqual([
      expect.stringMatching(/^LangGraph run went silent for 1000 ms after it began to speak/),
    ]);
  });

  it('cancels the server run on barge-in, and the next turn runs on the same thread', async () => {
    const adapter = new LLMAdapter({ graph: remote('slow'), threadId: 'call-remote-barge-in' });
    const errors: unknown[] = [];
    adapter.on('error', (e) => errors.push(e));
    const threadId = remoteThreadId('call-remote-barge-in');
    let heard: llm.ChatItem | undefined;
    await withTextSession({ llm: adapter }, async ({ session, say }) => {
      const speaking = agentSpeaking(session);
      const run = session.run({ userInput: 'tell me everything' });
      await withTimeout(speaking, 10_000, 'the first words');
      session.interrupt();
      await withTimeout(run.wait(), 10_000, 'the interrupted run');

      const [serverRun] = await server.client.runs.list(threadId);
      // the graph talks for a minute: only a cancellation stops it within the timeout
      const stopped = async () => {
        for (;;) {
          const { status } = await server.client.runs.get(threadId, serverRun?.run_id ?? '');
          if (status !== 'running' && status !== 'pending') return status;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      };
      // `langgraphjs dev` marks a cancelled run 'error'; LangGraph Platform marks it 'interrupted'
      expect(['error', 'interrupted']).toContain(await withTimeout(stopped(), 10_000, 'cancel'));

      expect(eventsOf(await say('and now briefly?'))).toEqual([
        ['message', 'assistant', 'Short answer.'],
      ]);
      heard = session.history.items.find(
        (item) => item.type === 'message' && item.role === 'assistant' && item.interrupted,
      );
    });
    expect(errors).toEqual([]);
    // the cancelled run's checkpoints are a dead branch; the thread holds what the caller heard
    const words = heard?.type === 'message' ? heard.textContent : undefined;
    expect(words).toMatch(/^word0 /);
    expect((await serverThread('call-remote-barge-in')).map(([, content]) => content)).toEqual([
      'tell me everything',
      words,
      'and now briefly?',
      'Short answer.',
    ]);
  });

  it('keeps on the server thread exactly what the caller said and heard', async () => {
    const threadId = 'call-remote-remembers';
    const adapter = new LLMAdapter({ graph: remote('caller'), threadId });
    const messages = async () => {
      const state = await server.client.threads
        .getState<{ messages: unknown[] }>(remoteThreadId(threadId))
        .catch(() => undefined);
      return state?.values?.messages ?? [];
    };
    const { history, thread } = await runRememberedCall(adapter, messages);
    expect(history).toEqual(HEARD_IN_CALL);
    expect(thread).toEqual(history);
  });

  it('keeps only what the caller heard when the call ends mid-answer', async () => {
    const threadId = 'call-remote-hung-up';
    const adapter = new LLMAdapter({ graph: remote('caller'), threadId });
    await withAudioSession({ llm: adapter }, async (s) => {
      adapter.attach(s.session);
      await callerIn(s).endTurn('where is my refund?');
      // the caller hangs up: withAudioSession closes the session mid-answer
      s.output.heardWhenInterrupted = HEARD_OF_REFUND;
    });
    await adapter.settled();
    expect(await serverThread(threadId)).toEqual([
      ['human', 'where is my refund?'],
      ['ai', HEARD_OF_REFUND],
    ]);
  });

  it('transfers and presses keys as a local graph does: the graph side runs on the server', async () => {
    const adapter = new LLMAdapter({
      graph: remote('transfers'),
      threadId: 'call-remote-transfer',
    });
    const sip = await startSipStub();
    try {
      const pressed: string[] = [];
      const tools = {
        transfer_call: transferTool({
          destinations: DESTINATIONS,
          sipClient: sip.client(),
          roomName: 'call-remote-transfer',
          participantIdentity: CALLER,
          drainMs: 0,
        }),
        send_dtmf: dtmfTool({
          room: {
            localParticipant: { publishDtmf: async (_code, digit) => void pressed.push(digit) },
          },
          gapMs: 0,
        }),
      };
      const events = await withTextSession({ llm: adapter, tools }, async ({ say, session }) => {
        const closed = once(session, 'close');
        const result = eventsOf(await say('billing please'));
        await withTimeout(closed, 10_000, 'the session to close after the transfer');
        return result;
      });
      expect(events.filter(([type]) => type !== 'function_call_output')).toEqual([
        ['message', 'assistant', "I'm connecting you to billing now."],
        ['function_call', 'send_dtmf', { digits: '1' }],
        ['function_call', 'transfer_call', { to: 'billing', reason: 'refund dispute' }],
      ]);
      expect(pressed).toEqual(['1']);
      expect(sip.requests.map((r) => [r.method, r.body.transferTo])).toEqual([
        ['TransferSIPParticipant', DESTINATIONS.billing],
      ]);
    } finally {
      await sip.close();
    }
  });
});
