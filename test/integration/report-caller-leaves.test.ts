/**
 * The call report when the caller hangs up in the middle of an answer: an audio-mode session whose
 * test output decides what was heard, and a real (unconnected) rtc-node `Room` on which the SIP
 * caller's participant leaves. The transcript holds only what the caller heard.
 */
import { voice } from '@livekit/agents';
import { ParticipantKind, type RemoteParticipant, Room, RoomEvent } from '@livekit/rtc-node';
import { describe, expect, it } from 'vitest';
import { withAudioSession } from '../../fixtures/audio.js';
import { chatGraph } from '../../fixtures/graphs.js';
import { callerIn } from '../../fixtures/remembered-call.js';
import { ScriptedChatModel } from '../../fixtures/scripted-chat-model.js';
import { withTimeout } from '../../fixtures/session.js';
import { LLMAdapter } from '../../src/index.js';
import { collectReports, heard, reportSettled } from '../helpers/reports.js';

const LONG_ANSWER = Array.from({ length: 200 }, (_, i) => `w${i}`).join(' ');
const HEARD = 'w0 w1 w2 w3 w4';

const longAnswers = () =>
  new LLMAdapter({
    graph: chatGraph(new ScriptedChatModel({ script: [{ text: LONG_ANSWER }] })).compile(),
  });

/** A remote participant as the room hands it to listeners (only what the report reads). */
const participant = (identity: string, kind: ParticipantKind) =>
  ({ identity, kind }) as unknown as RemoteParticipant;

describe('the call report when the caller hangs up mid-answer', () => {
  it('the SIP participant leaves the room: ended by the caller, the answer cut where it was', async () => {
    const room = new Room();
    const report = await withAudioSession({ llm: longAnswers() }, async (s) => {
      const collector = collectReports(s.session, { room });
      await callerIn(s).endTurn('tell me everything');
      // another participant leaving is not the caller hanging up
      room.emit(RoomEvent.ParticipantDisconnected, participant('agent-2', ParticipantKind.AGENT));
      room.emit(RoomEvent.ParticipantDisconnected, participant('sip_+1555', ParticipantKind.SIP));
      // the app (or RoomIO) closes the session; agents-js commits what was played
      s.output.heardWhenInterrupted = HEARD;
      await withTimeout(s.session.close(), 10_000, 'session.close');
      const first = await collector.first();
      await reportSettled(s.session);
      expect(collector.reports).toHaveLength(1);
      return first;
    });
    expect(report).toMatchObject({ endedBy: 'caller', reason: 'the caller hung up' });
    expect(report.hangup).toBeUndefined();
    expect(heard(report)).toEqual([
      ['user', 'tell me everything', false],
      ['assistant', HEARD, true],
    ]);
    expect(room.listenerCount(RoomEvent.ParticipantDisconnected)).toBe(0);
  });

  it('the caller named by callerIdentity leaves, whatever their kind', async () => {
    const room = new Room();
    const report = await withAudioSession({ llm: longAnswers() }, async (s) => {
      const collector = collectReports(s.session, { room, callerIdentity: 'web-caller' });
      await callerIn(s).endTurn('hello');
      room.emit(RoomEvent.ParticipantDisconnected, participant('sip_other', ParticipantKind.SIP));
      room.emit(
        RoomEvent.ParticipantDisconnected,
        participant('web-caller', ParticipantKind.STANDARD),
      );
      s.output.heardWhenInterrupted = 'w0';
      await s.session.close();
      return collector.first();
    });
    expect(report.endedBy).toBe('caller');
    expect(heard(report).at(-1)).toEqual(['assistant', 'w0', true]);
  });

  it('the session closes with participant_disconnected (RoomIO, no room given)', async () => {
    const report = await withAudioSession({ llm: longAnswers() }, async (s) => {
      const collector = collectReports(s.session);
      await callerIn(s).endTurn('tell me everything');
      s.output.heardWhenInterrupted = HEARD;
      // what RoomIO does when the linked participant disconnects
      s.session.shutdown({ drain: false, reason: voice.CloseReason.PARTICIPANT_DISCONNECTED });
      return collector.first();
    });
    expect(report).toMatchObject({ endedBy: 'caller', reason: 'the caller hung up' });
    expect(heard(report)).toEqual([
      ['user', 'tell me everything', false],
      ['assistant', HEARD, true],
    ]);
  });

  it('the room closing under the session is a job shutdown', async () => {
    const room = new Room();
    const report = await withAudioSession({ llm: longAnswers() }, async (s) => {
      const collector = collectReports(s.session, { room });
      room.emit(RoomEvent.Disconnected, 0 as never);
      await s.session.close();
      return collector.first();
    });
    expect(report).toMatchObject({ endedBy: 'job_shutdown', reason: 'the room was closed' });
    expect(report.transcript).toEqual([]);
  });
});
