/**
 * Hanging up after the goodbye is heard, in audio mode: the test decides when the goodbye's
 * playback finishes (ControlledAudioOutput), so every ordering below is set by hand, not by time.
 */
import { once } from 'node:events';
import { Future, voice } from '@livekit/agents';
import type { RoomServiceClient } from 'livekit-server-sdk';
import { describe, expect, it } from 'vitest';
import {
  type AudioSession,
  callerSays,
  goodbyeInFlight,
  observeTool,
  silence,
  withAudioSession,
} from '../../fixtures/audio.js';
import { startRoomServiceStub } from '../../fixtures/room-service-server.js';
import { withTimeout } from '../../fixtures/session.js';
import {
  type HangupInfo,
  type HangupToolOptions,
  hangupCall,
  hangupTool,
} from '../../src/call/hangup.js';
import { useStandIn } from '../helpers/stand-in.js';

const ROOM = 'call-audio';

/** A FakeLLM that counts its runs: every user turn the session answers starts one. */
class CountingLLM extends voice.testing.FakeLLM {
  runs: string[] = [];
  override chat(options: Parameters<voice.testing.FakeLLM['chat']>[0]) {
    const last = options.chatCtx.items.at(-1);
    this.runs.push(last?.type === 'message' ? (last.textContent ?? '') : '');
    return super.chat(options);
  }
}

let model: CountingLLM;
const llm = () => {
  model = new CountingLLM([
    { input: 'hello', content: 'Hi! How can I help?' },
    {
      input: 'bye',
      content: 'Goodbye!',
      toolCalls: [{ name: 'end_call', args: { reason: 'caller said bye' } }],
    },
    { input: 'wait, one more thing', content: 'Sure, what else?' },
  ]);
  return model;
};
const ms = (ns: bigint) => Number(ns) / 1e6;

const stub = useStandIn('hangup-audio', startRoomServiceStub);

/**
 * A client pointed at the stub that records, at each DeleteRoom call, whether the test had
 * already finished the goodbye's playback (a wrong order fails whatever the timing).
 */
function probedClient(s: () => AudioSession | undefined) {
  const client: RoomServiceClient = stub().client();
  const finishedAtDelete: boolean[] = [];
  const deleteRoom = client.deleteRoom.bind(client);
  client.deleteRoom = (room) => {
    finishedAtDelete.push(s()?.output.playbackFinishedAt !== undefined);
    return deleteRoom(room);
  };
  return { client, finishedAtDelete };
}

/** Runs `fn` in an audio session whose agent has an observed hangupTool(options). */
async function withHangupTool(
  options: HangupToolOptions,
  fn: (t: {
    s: AudioSession;
    receiver: ReturnType<typeof observeTool>;
    hungUp: Future<HangupInfo>;
    /** The tool's client; give it to hangupCall to probe its order too. */
    client: RoomServiceClient;
    finishedAtDelete: boolean[];
  }) => Promise<void>,
): Promise<void> {
  let session: AudioSession | undefined;
  const { client, finishedAtDelete } = probedClient(() => session);
  const hungUp = new Future<HangupInfo>();
  const receiver = observeTool(
    hangupTool({
      roomService: client,
      roomName: ROOM,
      onHangup: (i) => hungUp.resolve(i),
      ...options,
    }),
  );
  await withAudioSession({ llm: llm(), tools: { end_call: receiver.tool } }, async (s) => {
    session = s;
    await fn({ s, receiver, hungUp, client, finishedAtDelete });
  });
}

const sentinel = (session: voice.AgentSession) =>
  withTimeout(
    hangupCall({ session, reason: 'sentinel', roomService: stub().client(), roomName: ROOM }),
    10_000,
    'hangupCall',
  );

describe('hangupTool in an audio session', () => {
  it('deletes the room only after the goodbye has played', async () => {
    await withHangupTool({}, async ({ s, receiver, hungUp, finishedAtDelete }) => {
      const { speech } = await goodbyeInFlight(s, receiver);
      expect(stub().requests).toEqual([]);
      const finishedAt = s.output.finishPlayback();
      const request = await withTimeout(stub().nextRequest(), 10_000, 'DeleteRoom');
      expect([request.method, request.body]).toEqual(['DeleteRoom', { room: ROOM }]);
      expect(request.time).toBeGreaterThan(finishedAt);
      expect(finishedAtDelete).toEqual([true]);
      expect(speech.done()).toBe(true);
      const info = await withTimeout(hungUp.await, 10_000, 'onHangup');
      expect([info.interrupted, info.timedOut, info.error]).toEqual([false, false, undefined]);
    });
  });

  it('deletes the room drainMs after the goodbye played locally, not before', async () => {
    await withHangupTool({}, async ({ s, receiver, hungUp }) => {
      await goodbyeInFlight(s, receiver);
      const finishedAt = s.output.finishPlayback();
      const request = await withTimeout(stub().nextRequest(), 10_000, 'DeleteRoom');
      // the default drain: 500 ms; the timer never fires early, so only a small slack for rounding
      expect(ms(request.time - finishedAt)).toBeGreaterThanOrEqual(495);
      const info = await withTimeout(hungUp.await, 10_000, 'onHangup');
      expect(info.drainMs).toBeGreaterThanOrEqual(500);
      expect(stub().requests.map((r) => r.method)).toEqual(['DeleteRoom']);
    });
  });

  it('deletes the room right after playout with drainMs: 0', async () => {
    await withHangupTool({ drainMs: 0 }, async ({ s, receiver, hungUp, finishedAtDelete }) => {
      await goodbyeInFlight(s, receiver);
      s.output.finishPlayback();
      const info = await withTimeout(hungUp.await, 10_000, 'onHangup');
      expect([info.drainMs, finishedAtDelete]).toEqual([0, [true]]);
    });
  });

  it('starts nothing new once the goodbye is locked, whether the caller speaks or code asks', async () => {
    await withHangupTool({}, async ({ s, receiver, hungUp }) => {
      const created: string[] = [];
      s.session.on(voice.AgentSessionEventTypes.SpeechCreated, (ev) => created.push(ev.source));
      // the control: before the goodbye, the caller's turn is answered
      expect(await callerSays(s, 'hello')).toBe(true);
      await withTimeout(s.output.waitForSegment(), 10_000, 'the answer audio');
      s.output.finishPlayback();
      expect([model.runs, created]).toEqual([['hello'], ['generate_reply']]);

      const { speech } = await goodbyeInFlight(s, receiver);
      expect(created).toEqual(['generate_reply', 'generate_reply']);
      // while the goodbye plays...
      expect(() => s.session.generateReply({ userInput: 'wait, one more thing' })).toThrow(
        'AgentSession is closing',
      );
      expect(await callerSays(s, 'wait, one more thing')).toBe(true);
      const finishedAt = s.output.finishPlayback();
      await withTimeout(speech.waitForPlayout(), 10_000, 'the goodbye to be done');
      // ...and once it is done, while the drain holds the line (as DeleteRoom retries would)
      expect(await callerSays(s, 'wait, one more thing')).toBe(true);
      const spokeAt = process.hrtime.bigint();
      expect(() => s.session.say('Sure, what else?')).toThrow('AgentSession is closing');

      const request = await withTimeout(stub().nextRequest(), 10_000, 'DeleteRoom');
      expect(spokeAt).toBeLessThan(request.time);
      expect(ms(request.time - finishedAt)).toBeGreaterThanOrEqual(495);
      await withTimeout(hungUp.await, 10_000, 'onHangup');
      expect(model.runs).toEqual(['hello', 'bye']);
      expect(created).toEqual(['generate_reply', 'generate_reply']);
      expect(s.output.capturedPlayoutSegments).toBe(2);
      expect(stub().requests.map((r) => r.method)).toEqual(['DeleteRoom']);
    });
  });

  it('does not let an interrupt cut the goodbye', async () => {
    await withHangupTool({}, async ({ s, receiver, hungUp }) => {
      const { speech } = await goodbyeInFlight(s, receiver);
      expect(speech.allowInterruptions).toBe(false);
      expect(() => s.session.interrupt()).toThrow('does not allow interruptions');
      expect([speech.interrupted, s.output.clearedSegments]).toEqual([false, 0]);
      s.output.finishPlayback();
      const info = await withTimeout(hungUp.await, 10_000, 'onHangup');
      expect(info.interrupted).toBe(false);
      expect(stub().requests.map((r) => r.method)).toEqual(['DeleteRoom']);
    });
  });

  it('keeps the call up when an interruptible goodbye is interrupted, and tells the model', async () => {
    await withHangupTool({ interruptible: true }, async ({ s, receiver, hungUp }) => {
      const { speech } = await goodbyeInFlight(s, receiver);
      s.session.interrupt();
      await withTimeout(speech.waitForPlayout(), 10_000, 'the interrupted goodbye');
      expect(s.output.clearedSegments).toBe(1);
      // The tool's hangup is over without a request, or the sentinel would join it.
      expect((await sentinel(s.session)).reason).toBe('sentinel');
      expect(stub().requests).toHaveLength(1);
      expect(hungUp.done).toBe(false);
      // what the graph reads about it is tested with LLMAdapter in graph-ends-call.test.ts
    });
  });

  it('hangs up after an interrupted goodbye with hangupWhenInterrupted', async () => {
    const options = { interruptible: true, hangupWhenInterrupted: true };
    await withHangupTool(options, async ({ s, receiver, hungUp }) => {
      await goodbyeInFlight(s, receiver);
      s.session.interrupt();
      const info = await withTimeout(hungUp.await, 10_000, 'onHangup');
      // cut before any of it played (position 0): nothing in flight, so no drain
      expect([info.interrupted, info.timedOut, info.drainMs]).toEqual([true, false, 0]);
      expect(stub().requests.map((r) => r.method)).toEqual(['DeleteRoom']);
    });
  });

  it('hangs up anyway when the goodbye does not finish within playoutTimeoutMs', async () => {
    await withHangupTool(
      { playoutTimeoutMs: 50 },
      async ({ s, receiver, hungUp, finishedAtDelete }) => {
        s.session.generateReply({ userInput: 'bye' });
        await withTimeout(receiver.nextExecution(), 10_000, 'end_call');
        const info = await withTimeout(hungUp.await, 10_000, 'onHangup');
        // a goodbye cut by the timeout has no tail to wait for
        expect([info.timedOut, info.interrupted, info.drainMs]).toEqual([true, false, 0]);
        expect(finishedAtDelete).toEqual([false]);
      },
    );
  });
});

describe('hangupCall in an audio session', () => {
  const end = (options: Omit<Parameters<typeof hangupCall>[0], 'roomName'>) =>
    withTimeout(hangupCall({ roomName: ROOM, ...options }), 10_000, 'hangupCall');

  it('waits for the speech playing now', async () => {
    await withHangupTool({}, async ({ s, client, finishedAtDelete }) => {
      s.session.generateReply({ userInput: 'hello' });
      await withTimeout(s.output.waitForSegment(), 10_000, 'the reply audio');
      const hangup = end({ session: s.session, roomService: client });
      s.output.finishPlayback();
      expect((await hangup).interrupted).toBe(false);
      expect(finishedAtDelete).toEqual([true]);
    });
  });

  it('waits for the goodbye it is given and makes it non-interruptible', async () => {
    await withHangupTool({}, async ({ s, client, finishedAtDelete }) => {
      const speech = s.session.say('Time is up. Goodbye!', { audio: silence() });
      const hangup = end({ session: s.session, speech, roomService: client });
      expect(speech.allowInterruptions).toBe(false);
      await withTimeout(s.output.waitForSegment(), 10_000, 'the goodbye audio');
      s.output.finishPlayback();
      const info = await hangup;
      expect([info.interrupted, info.timedOut, info.error]).toEqual([false, false, undefined]);
      expect(finishedAtDelete).toEqual([true]);
    });
  });

  it('is cancelled by its signal after the goodbye played: no action, and the session still closes', async () => {
    await withHangupTool({}, async ({ s, client }) => {
      const speech = s.session.say('Time is up. Goodbye!', { audio: silence() });
      const cancel = new AbortController();
      const closed = once(s.session, 'close');
      const hangup = end({
        session: s.session,
        speech,
        signal: cancel.signal,
        roomService: client,
      });
      await withTimeout(s.output.waitForSegment(), 10_000, 'the goodbye audio');
      s.output.finishPlayback();
      await withTimeout(speech.waitForPlayout(), 10_000, 'the goodbye to be done');
      cancel.abort();
      await expect(hangup).rejects.toThrow('The operation was aborted');
      // the session was shut down when the hangup started; it closes whatever the signal says
      await withTimeout(closed, 10_000, 'session close');
      expect(stub().requests).toEqual([]);
    });
  });

  it('is cancelled by its signal while it waits, and a later end still hangs up', async () => {
    await withHangupTool({}, async ({ s, client }) => {
      const speech = s.session.say('Are you still there?', { audio: silence() });
      const cancel = new AbortController();
      const hangup = end({
        session: s.session,
        speech,
        signal: cancel.signal,
        roomService: client,
      });
      cancel.abort();
      await expect(hangup).rejects.toThrow('The operation was aborted');
      await withTimeout(s.output.waitForSegment(), 10_000, 'the speech audio');
      s.output.finishPlayback();
      expect((await sentinel(s.session)).reason).toBe('sentinel');
      expect(stub().requests).toHaveLength(1);
    });
  });
});
