/**
 * The telephony example's call timers (examples/telephony-agent/timers.ts), on fake timers and a
 * stand-in session that emits the user / agent state events of `voice.AgentSession`.
 */
import { EventEmitter } from 'node:events';
import { voice } from '@livekit/agents';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  type CallTimerOptions,
  startCallTimers,
  type TimedSession,
} from '../../examples/telephony-agent/timers.js';

const SILENCE_MS = 30_000;
const MAX_CALL_MS = 600_000;
const { UserStateChanged, AgentStateChanged, Close } = voice.AgentSessionEventTypes;

/** Emits the session events the timers follow, with the states a started session begins in. */
class FakeSession extends EventEmitter {
  userState: voice.UserState = 'listening';
  agentState: voice.AgentState = 'listening';

  user(state: voice.UserState): void {
    this.emit(UserStateChanged, voice.createUserStateChangedEvent(this.userState, state));
    this.userState = state;
  }

  agent(state: voice.AgentState): void {
    this.emit(AgentStateChanged, voice.createAgentStateChangedEvent(this.agentState, state));
    this.agentState = state;
  }

  subscriptions(): number {
    return [UserStateChanged, AgentStateChanged, Close].reduce(
      (sum, event) => sum + this.listenerCount(event),
      0,
    );
  }
}

describe('startCallTimers', () => {
  let session: FakeSession;
  let fired: string[];
  let options: CallTimerOptions;
  const start = () => startCallTimers(session as unknown as TimedSession, options);

  beforeEach(() => {
    vi.useFakeTimers();
    session = new FakeSession();
    fired = [];
    options = {
      maxCallMs: MAX_CALL_MS,
      silenceTimeoutMs: SILENCE_MS,
      onMaxDuration: () => fired.push('max duration'),
      onSilencePrompt: () => fired.push('prompt'),
      onSilenceTimeout: () => fired.push('silence timeout'),
    };
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('asks once after a silence, and hangs up after a second one', () => {
    start();
    vi.advanceTimersByTime(SILENCE_MS - 1);
    expect(fired).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(fired).toEqual(['prompt']);
    // the prompt is spoken; the silence counts again once the agent is done
    session.agent('speaking');
    vi.advanceTimersByTime(SILENCE_MS * 2);
    session.agent('listening');
    vi.advanceTimersByTime(SILENCE_MS - 1);
    expect(fired).toEqual(['prompt']);
    vi.advanceTimersByTime(1);
    expect(fired).toEqual(['prompt', 'silence timeout']);
    expect(session.subscriptions()).toBe(0);
    vi.advanceTimersByTime(MAX_CALL_MS);
    expect(fired).toEqual(['prompt', 'silence timeout']);
  });

  it('hangs up after a second silence even when the prompt does not change the agent state', () => {
    start();
    vi.advanceTimersByTime(SILENCE_MS * 2);
    expect(fired).toEqual(['prompt', 'silence timeout']);
  });

  it('restarts the silence from zero each time the caller stops speaking', () => {
    start();
    vi.advanceTimersByTime(SILENCE_MS - 1_000);
    session.user('speaking');
    vi.advanceTimersByTime(SILENCE_MS * 3); // a long sentence is not silence
    session.user('listening');
    vi.advanceTimersByTime(SILENCE_MS - 1);
    expect(fired).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(fired).toEqual(['prompt']);
  });

  it('asks again, rather than hanging up, when the caller answered the prompt', () => {
    start();
    vi.advanceTimersByTime(SILENCE_MS);
    session.user('speaking');
    session.user('listening');
    vi.advanceTimersByTime(SILENCE_MS);
    expect(fired).toEqual(['prompt', 'prompt']);
  });

  it.each<voice.AgentState>(['thinking', 'speaking', 'initializing'])(
    'does not count silence while the agent is %s',
    (state) => {
      start();
      session.agent(state);
      vi.advanceTimersByTime(SILENCE_MS * 5);
      expect(fired).toEqual([]);
      session.agent('listening');
      vi.advanceTimersByTime(SILENCE_MS);
      expect(fired).toEqual(['prompt']);
    },
  );

  it('keeps counting when the session marks the caller away', () => {
    start();
    vi.advanceTimersByTime(15_000);
    session.user('away');
    vi.advanceTimersByTime(SILENCE_MS - 15_000);
    expect(fired).toEqual(['prompt']);
  });

  it('ends the call at the max duration, even mid-conversation, and stops the silence timer', () => {
    start();
    for (let elapsed = 0; elapsed < MAX_CALL_MS; elapsed += 20_000) {
      session.user(elapsed % 40_000 === 0 ? 'speaking' : 'listening');
      vi.advanceTimersByTime(20_000);
    }
    expect(fired).toEqual(['max duration']);
    expect(session.subscriptions()).toBe(0);
    vi.advanceTimersByTime(SILENCE_MS * 3);
    expect(fired).toEqual(['max duration']);
  });

  it('stops when the session closes, and on stop()', () => {
    start();
    session.emit(Close, voice.createCloseEvent(voice.CloseReason.USER_INITIATED));
    expect(session.subscriptions()).toBe(0);
    const timers = start();
    timers.stop();
    timers.stop();
    expect(session.subscriptions()).toBe(0);
    vi.advanceTimersByTime(MAX_CALL_MS * 2);
    expect(fired).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
  });
});
