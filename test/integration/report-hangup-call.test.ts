/**
 * The call report when the app ends the call with `hangupCall()` (a max-duration timer), in audio
 * mode: the hangup's action comes `drainMs` after the goodbye played, after the session's close,
 * and the report waits for it — but never longer than `waitForEndMs`.
 */
import { once } from 'node:events';
import { voice } from '@livekit/agents';
import { describe, expect, it } from 'vitest';
import { silence, withAudioSession } from '../../fixtures/audio.js';
import { chatGraph } from '../../fixtures/graphs.js';
import { callerIn } from '../../fixtures/remembered-call.js';
import { ScriptedChatModel } from '../../fixtures/scripted-chat-model.js';
import { withTimeout } from '../../fixtures/session.js';
import { hangupCall, LLMAdapter } from '../../src/index.js';
import { useHangupFixture } from '../helpers/hangup-fixture.js';
import { collectReports, heard } from '../helpers/reports.js';

const ROOM = 'call-report-timer';
const GOODBYE = 'We have reached the time limit for this call. Goodbye!';

const answering = () =>
  new LLMAdapter({
    graph: chatGraph(
      new ScriptedChatModel({ script: [{ text: 'Your order ships today.' }] }),
    ).compile(),
  });

describe('the call report when hangupCall() ends the call', () => {
  const room = useHangupFixture(ROOM);

  it('a timer: ended by the app with its reason, delivered after the drained hangup', async () => {
    const order: string[] = [];
    const report = await withAudioSession({ llm: answering() }, async (s) => {
      const collector = collectReports(s.session, { room: { name: ROOM, on() {}, off() {} } });
      s.session.once(voice.AgentSessionEventTypes.Close, () => order.push('close'));
      const caller = callerIn(s);
      await caller.endTurn('where is my order?');
      caller.hear(undefined);
      const maxDuration = new Promise<void>((resolve) => setTimeout(resolve, 10));
      await maxDuration;
      const speech = s.session.say(GOODBYE, { audio: silence() });
      const hangup = hangupCall({
        session: s.session,
        speech,
        reason: 'max duration',
        roomService: room.stub.client(),
        roomName: ROOM,
        // longer than the session takes to close (about 0.5 s), so the hangup outlives the close
        drainMs: 2000,
        onHangup: () => void order.push('onHangup'),
      });
      await withTimeout(s.output.waitForSegment(), 10_000, 'the goodbye audio');
      s.output.finishPlayback();
      await withTimeout(hangup, 10_000, 'hangupCall');
      const first = await collector.first();
      order.push('report');
      return first;
    });
    // the session closes while the hangup drains; the report comes once the hangup is done
    expect(order).toEqual(['close', 'onHangup', 'report']);
    expect(report).toMatchObject({ room: ROOM, endedBy: 'app', reason: 'max duration' });
    expect(report.trigger).toBeUndefined();
    expect(report.hangup).toMatchObject({ reason: 'max duration', action: 'delete_room' });
    expect(report.hangup?.drainMs).toBeGreaterThanOrEqual(2000);
    expect(heard(report)).toEqual([
      ['user', 'where is my order?', false],
      ['assistant', 'Your order ships today.', false],
      ['assistant', GOODBYE, false],
    ]);
    expect(room.stub.requests.map((r) => r.method)).toEqual(['DeleteRoom']);
  });

  it('stops waiting for a hangup that does not finish after waitForEndMs', async () => {
    let release = () => {};
    const stuck = new Promise<void>((resolve) => {
      release = resolve;
    });
    try {
      const report = await withAudioSession({ llm: answering() }, async (s) => {
        const collector = collectReports(s.session, { waitForEndMs: 50 });
        const closed = once(s.session, 'close');
        void hangupCall({ session: s.session, reason: 'operator', action: () => stuck });
        await withTimeout(closed, 10_000, 'the session to close');
        return collector.first();
      });
      expect(report).toMatchObject({ endedBy: 'app', reason: 'operator', endUnfinished: true });
      expect(report.hangup).toBeUndefined();
    } finally {
      release();
    }
  });
});
