/**
 * The `end_call` function call, executed by a real text-mode AgentSession: one hangup per session,
 * whatever triggers it and how often.
 */
import { once } from 'node:events';
import { beta, llm, voice } from '@livekit/agents';
import { describe, expect, it } from 'vitest';
import { eventsOf, waitUntil, withTextSession, withTimeout } from '../../fixtures/session.js';
import { hangupCall } from '../../src/call/hangup.js';
import { useHangupFixture } from '../helpers/hangup-fixture.js';

const ROOM = 'call-text';
const bye = (...reasons: string[]) =>
  new voice.testing.FakeLLM([
    { input: 'hello', content: 'Hi! How can I help?' },
    {
      input: 'bye',
      content: 'Goodbye!',
      toolCalls: reasons.map((reason) => ({ name: 'end_call', args: { reason } })),
    },
  ]);

describe('hangupTool in a text-mode session', () => {
  const room = useHangupFixture(ROOM);
  /** A hangup nobody else can have made: proves, by its reason, that no earlier one is pending. */
  const sentinel = (session: voice.AgentSession) =>
    hangupCall({ session, reason: 'sentinel', roomService: room.stub.client(), roomName: ROOM });

  it('deletes the room once, after the goodbye, and shuts the session down', async () => {
    await withTextSession(
      { llm: bye('caller said bye'), tools: { end_call: room.hangupTool() } },
      async (s) => {
        const closed = once(s.session, 'close');
        const result = await s.say('bye');
        result.expect.containsFunctionCall({ name: 'end_call' });
        // `undefined` output: no further LLM turn after the goodbye.
        expect(eventsOf(result)).toEqual([
          ['message', 'assistant', 'Goodbye!'],
          ['function_call', 'end_call', { reason: 'caller said bye' }],
          ['function_call_output', 'end_call', ''],
        ]);
        const [close] = await withTimeout(closed, 10_000, 'session close');
        expect(close.reason).toBe('caller said bye');
        // the close may come before the request's answer: onHangup comes after it
        await waitUntil(() => room.hangups.length > 0, 'onHangup');
        expect(room.stub.requests.map((r) => [r.method, r.body, r.grant?.roomCreate])).toEqual([
          ['DeleteRoom', { room: ROOM }, true],
        ]);
        expect(room.hangups).toEqual([
          {
            reason: 'caller said bye',
            roomName: ROOM,
            action: 'delete_room',
            playoutWaitMs: expect.any(Number),
            drainMs: 0,
            interrupted: false,
            timedOut: false,
          },
        ]);
      },
    );
  });

  it('does not drain in text mode: nothing was played aloud', async () => {
    await withTextSession(
      { llm: bye('caller said bye'), tools: { end_call: room.hangupTool({ drainMs: 500 }) } },
      async (s) => {
        const closed = once(s.session, 'close');
        await s.say('bye');
        await withTimeout(closed, 10_000, 'session close');
        // the session closes ~0.5 s after the goodbye; a drained hangup would come after it
        await withTimeout(sentinel(s.session), 10_000, 'hangupCall');
        expect(room.hangups.map((i) => [i.reason, i.drainMs])).toEqual([['caller said bye', 0]]);
      },
    );
  });

  it('hangs up once when one turn calls end_call twice', async () => {
    await withTextSession(
      { llm: bye('first', 'second'), tools: { end_call: room.hangupTool() } },
      async (s) => {
        const result = await s.say('bye');
        expect(result.events.filter((e) => e.type === 'function_call')).toHaveLength(2);
        const info = await withTimeout(sentinel(s.session), 10_000, 'hangupCall');
        expect(info.reason).toBe('first');
        expect(room.hangups.map((i) => i.reason)).toEqual(['first']);
        expect(room.stub.requests).toHaveLength(1);
      },
    );
  });

  it('shares the hangup with hangupCall', async () => {
    await withTextSession(
      { llm: bye('caller said bye'), tools: { end_call: room.hangupTool() } },
      async (s) => {
        await s.say('bye');
        const info = await withTimeout(sentinel(s.session), 10_000, 'hangupCall');
        expect(info).toBe(room.hangups[0]);
        expect(room.hangups).toHaveLength(1);
        expect(room.stub.requests).toHaveLength(1);
      },
    );
  });

  it('does nothing without an end_call', async () => {
    await withTextSession({ llm: bye(), tools: { end_call: room.hangupTool() } }, async (s) => {
      await s.say('hello');
      const info = await withTimeout(sentinel(s.session), 10_000, 'hangupCall');
      expect(info.reason).toBe('sentinel');
      expect(room.hangups).toEqual([]);
      expect(room.stub.requests).toHaveLength(1);
    });
  });

  it('keeps the call up when the goodbye was interrupted before end_call ran', async () => {
    const tool = room.hangupTool();
    await withTextSession({ llm: bye(), tools: { end_call: tool } }, async (s) => {
      const goodbye = voice.SpeechHandle.create();
      goodbye.interrupt();
      const call = llm.FunctionCall.create({ callId: 'c1', name: 'end_call', args: '{}' });
      const ctx = new voice.RunContext(s.session, goodbye, call);
      const output = await tool.execute(
        {},
        { ctx, toolCallId: 'c1', abortSignal: AbortSignal.abort() },
      );
      expect(output).toMatch(/^The caller interrupted the goodbye, so the call was NOT ended/);
      const info = await withTimeout(sentinel(s.session), 10_000, 'hangupCall');
      expect(info.reason).toBe('sentinel');
      expect(room.hangups).toEqual([]);
    });
  });
});

/*
 * LiveKit's own `beta.createEndCallTool({ endInstructions: null })` also receives the `end_call`
 * call (it is a Toolset, so only the array form of `tools` takes it): on the goodbye's done
 * callback it shuts the session down, and inside a job it deletes the room from a job shutdown
 * callback (through `JobContext.deleteRoom`, which logs and swallows errors).
 *
 * What hangupTool does better: it waits for exactly that goodbye and makes it non-interruptible;
 * deletes the room right after the playout (not after the session's ~500 ms drain and the job
 * shutdown), once per session, retried, with 404 as success and auth errors reported to you
 * (`onHangup`, `hangupCall`); works outside a job and without a realtime model (no 5 s guess for
 * a reply); bounds the wait with `playoutTimeoutMs`; keeps the call up when the caller
 * interrupts the goodbye and tells the model so; and offers `remove_participant`, custom actions
 * and `hangupCall` for ends from outside the graph.
 */
describe('beta.createEndCallTool as the end_call receiver', () => {
  it('ends the session on an end_call function call', async () => {
    const tools = [beta.createEndCallTool({ endInstructions: null })];
    await withTextSession({ llm: bye('caller said bye'), tools }, async (s) => {
      const closed = once(s.session, 'close');
      const result = await s.say('bye');
      result.expect.containsFunctionCall({ name: 'end_call' });
      await withTimeout(closed, 10_000, 'session close');
      expect(s.transcript()).toEqual([
        ['user', 'bye'],
        ['assistant', 'Goodbye!'],
      ]);
    });
  });
});
