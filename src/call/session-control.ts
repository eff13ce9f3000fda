/**
 * What ending a call does to the session: the last words are locked, no new turn starts after
 * them, and a goodbye that never ends is cut.
 */
import { AgentSessionEventTypes, log, type voice } from '@livekit/agents';
import { logFields } from './failures.js';

// biome-ignore lint/suspicious/noExplicitAny: sessions of any UserData type end the same way
type Session = voice.AgentSession<any>;

/** Sessions told to take no new turn, so a second end_call or hangupCall does not stack guards. */
const stoppedSessions = new WeakSet<object>();

/**
 * From now on no new turn starts and nothing more is spoken: the session shuts down, letting the
 * goodbye (with `drain`, also speech queued before it) finish. agents-js pauses its scheduling a
 * few event-loop turns later; a speech created in between is interrupted before it speaks.
 * The session's close leaves the room output published; the job ends after the action.
 */
export function stopNewTurns(
  session: Session,
  reason: string,
  { drain }: { drain: boolean },
): void {
  if (stoppedSessions.has(session)) return;
  stoppedSessions.add(session);
  const cancel = (ev: voice.SpeechCreatedEvent) => ev.speechHandle.interrupt(true);
  session.on(AgentSessionEventTypes.SpeechCreated, cancel);
  session.once(AgentSessionEventTypes.Close, () => {
    session.off(AgentSessionEventTypes.SpeechCreated, cancel);
    clearUserAwayTimer(session);
  });
  session.shutdown({ drain, reason });
}

/**
 * Clears the user-away timer a closed session left behind. agents-js 1.9 cancels it when closing
 * starts, but the goodbye ending during the close re-arms it (`AgentActivity.releaseAgentStateLease`
 * → `AgentSession._updateAgentState('listening')` → `_setUserAwayTimer()`, agent_activity.ts:2702
 * and agent_session.ts:1785 of @livekit/agents 1.9.0), and nothing cancels it again: the job or
 * script that ended the call stays alive for `userAwayTimeout` (15 s) more. The method is private
 * to agents-js, so it is called only if it is there.
 */
export function clearUserAwayTimer(session: Session): void {
  (session as unknown as { _cancelUserAwayTimer?: () => void })._cancelUserAwayTimer?.();
}

/**
 * Cuts a goodbye that outlived `playoutTimeoutMs`: the session, shutting down behind it, would
 * wait for it forever.
 */
export function cutGoodbye(session: Session): void {
  try {
    session.interrupt({ force: true });
  } catch (error) {
    // The session no longer runs, so nothing is left playing.
    log().debug(logFields(error), 'no goodbye left to cut');
  }
}

/**
 * Makes the goodbye non-interruptible. An interrupted (or finished) speech cannot be locked —
 * the setter throws — and then the interrupted-goodbye policy decides.
 */
export function lockGoodbye(speech: voice.SpeechHandle): void {
  if (!speech.interrupted && !speech.done()) speech.allowInterruptions = false;
}

/**
 * The speech playing now, if any. `currentAgent` throws when the session is not running;
 * nothing plays then, so the call is ended at once.
 */
export function currentSpeech(session: Session): voice.SpeechHandle | undefined {
  try {
    return session.currentAgent.getActivityOrThrow().currentSpeech;
  } catch {
    return undefined;
  }
}
