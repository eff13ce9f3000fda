/**
 * The two clocks of a phone call that the graph cannot see: the longest a call may last, and how
 * long the line may stay silent. This module only keeps time and says when; what to say and how
 * to hang up is the caller's business (see `agent.ts`).
 */
import { voice } from '@livekit/agents';

/** Options of {@link startCallTimers}. */
export interface CallTimerOptions {
  /** How long the call may last, in ms, counted from {@link startCallTimers}. */
  maxCallMs: number;
  /**
   * How long the caller and the agent may both be silent, in ms: once before the caller is
   * asked whether they are still there, and once more before hanging up.
   */
  silenceTimeoutMs: number;
  /** The call reached `maxCallMs`. Runs once; the timers are stopped first. */
  onMaxDuration: () => void;
  /** The line was silent for `silenceTimeoutMs`: ask whether the caller is still there. */
  onSilencePrompt: () => void;
  /** The line stayed silent after the prompt. Runs once; the timers are stopped first. */
  onSilenceTimeout: () => void;
}

/** Running call timers. */
export interface CallTimers {
  /** Clears both timers and stops listening to the session; safe to call more than once. */
  stop(): void;
}

/** The session events the timers follow: user and agent state, and close. */
export type TimedSession = Pick<voice.AgentSession, 'on' | 'off' | 'userState' | 'agentState'>;

const { UserStateChanged, AgentStateChanged, Close } = voice.AgentSessionEventTypes;

/**
 * Starts the max-duration timer and the silence timer of a call.
 *
 * The silence timer runs only while nobody speaks: the caller is not speaking (their state is
 * `listening` or `away`) and the agent is `listening` or `idle` — so a long answer or a slow
 * graph run never counts as silence. Any change to speaking or thinking clears it; the next quiet
 * moment starts it from zero. The first expiry calls `onSilencePrompt`; the caller speaking
 * resets that, otherwise the next expiry calls `onSilenceTimeout`. Everything stops when the
 * session closes.
 *
 * Callbacks run inside a timer: they must not throw.
 *
 * @example
 * ```ts
 * const timers = startCallTimers(session, {
 *   maxCallMs: 600_000,
 *   silenceTimeoutMs: 30_000,
 *   onMaxDuration: () => endWith('We have reached the time limit. Goodbye!', 'max duration'),
 *   onSilencePrompt: () => session.say('Are you still there?'),
 *   onSilenceTimeout: () => endWith('I will hang up now. Goodbye!', 'caller silent'),
 * });
 * ```
 */
export function startCallTimers(session: TimedSession, options: CallTimerOptions): CallTimers {
  let userState = session.userState;
  let agentState = session.agentState;
  let prompted = false;
  let stopped = false;
  let silence: NodeJS.Timeout | undefined;

  const clearSilence = () => {
    clearTimeout(silence);
    silence = undefined;
  };
  const quiet = () =>
    userState !== 'speaking' && (agentState === 'listening' || agentState === 'idle');
  /** Starts the silence timer on a quiet line (unless it already runs), clears it otherwise. */
  const follow = () => {
    if (stopped) return;
    if (!quiet()) clearSilence();
    else silence ??= setTimeout(onSilence, options.silenceTimeoutMs);
  };

  const onSilence = () => {
    silence = undefined;
    if (prompted) {
      stop();
      options.onSilenceTimeout();
      return;
    }
    prompted = true;
    options.onSilencePrompt();
    // a prompt that is spoken makes the agent speak, which restarts the timer once it is done;
    // this keeps it running should the prompt not change the agent's state
    follow();
  };
  const onUserState = (event: voice.UserStateChangedEvent) => {
    userState = event.newState;
    if (userState === 'speaking') prompted = false;
    follow();
  };
  const onAgentState = (event: voice.AgentStateChangedEvent) => {
    agentState = event.newState;
    follow();
  };

  const maxDuration = setTimeout(() => {
    stop();
    options.onMaxDuration();
  }, options.maxCallMs);

  function stop() {
    if (stopped) return;
    stopped = true;
    clearTimeout(maxDuration);
    clearSilence();
    session.off(UserStateChanged, onUserState);
    session.off(AgentStateChanged, onAgentState);
    session.off(Close, stop);
  }

  session.on(UserStateChanged, onUserState);
  session.on(AgentStateChanged, onAgentState);
  session.on(Close, stop);
  follow();
  return { stop };
}
