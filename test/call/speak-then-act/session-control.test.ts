import { type llm, voice } from '@livekit/agents';
import { describe, expect, it } from 'vitest';
import {
  currentSpeech,
  cutLastLine,
  holdNewTurns,
  lockLastLine,
  stopNewTurns,
} from '../../../src/call/speak-then-act/session-control.js';

const newSession = () =>
  new voice.AgentSession({ llm: new voice.testing.FakeLLM([]) as unknown as llm.LLM });

/** What agents-js emits when it creates a reply; returns the reply's speech. */
function replyCreated(session: voice.AgentSession): voice.SpeechHandle {
  const speech = voice.SpeechHandle.create();
  session.emit(voice.AgentSessionEventTypes.SpeechCreated, {
    type: 'speech_created',
    userInitiated: false,
    source: 'generate_reply',
    speechHandle: speech,
    createdAt: Date.now(),
  } as never);
  return speech;
}

describe('session control', () => {
  it('locks a goodbye that still plays, and leaves an interrupted one as it is', () => {
    const playing = voice.SpeechHandle.create();
    lockLastLine(playing);
    expect(playing.allowInterruptions).toBe(false);
    const interrupted = voice.SpeechHandle.create();
    interrupted.interrupt();
    expect(() => lockLastLine(interrupted)).not.toThrow();
    expect(interrupted.allowInterruptions).toBe(true);
  });

  it('finds no speech and cuts nothing on a session that does not run', () => {
    const session = newSession();
    expect(currentSpeech(session)).toBeUndefined();
    expect(() => cutLastLine(session)).not.toThrow();
  });

  it('cancels the replies created while turns are held, and none after the release', () => {
    const session = newSession();
    const release = holdNewTurns(session);
    expect(replyCreated(session).interrupted).toBe(true);
    release();
    expect(replyCreated(session).interrupted).toBe(false);
  });

  it('interrupts any speech created once no new turn may start, and shuts the session down once', async () => {
    const session = newSession();
    await session.start({ agent: new voice.Agent({ instructions: '' }) });
    const closed = new Promise((resolve) =>
      session.once(voice.AgentSessionEventTypes.Close, resolve),
    );
    stopNewTurns(session, 'goodbye said', { drain: true });
    stopNewTurns(session, 'again', { drain: true });
    const late = replyCreated(session);
    expect(late.interrupted).toBe(true);
    await closed;
  });
});
