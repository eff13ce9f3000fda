/**
 * What ending a call does to the session: the last words are locked, no new turn starts after
 * them, and a goodbye that never ends is cut.
 */
import { AgentSessionEventTypes, log, type voice } from '@livekit/agents';
import type { AnySession as Session } from '../any-session.js';
import { logFields } from './failures.js';

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
  const release = holdNewTurns(session);
  session.once(AgentSessionEventTypes.Close, () => {
    release();
    clearUserAwayTimer(session);
  });
  session.shutdown({ drain, reason });
}

/**
 * Until the returned function is called, every reply the session creates is cancelled before it
 * speaks (and, with `LLMAdapter` following the session, before its graph run starts): what the
 * caller says while a transfer rings gets no answer, as after a goodbye.
 */
export function holdNewTurns(session: Session): () => void {
  const cancel = (ev: voice.SpeechCreatedEvent) => ev.speechHandle.interrupt(true);
  session.on(AgentSessionEventTypes.SpeechCreated, cancel);
  return () => session.off(AgentSessionEventTypes.SpeechCreated, cancel);
}

/**
 * Clears the user-away timer a closed session left behind. agents-js 1.9 cancels it when closing
 * starts, but the goodbye ending during the close re-arms it (`AgentActivity.releaseAgentStateLease`
 * → `AgentSession._updateAgentState('listening')` → `_setUserAwayTimer()`), and nothing cancels it
 * again: the job or script that ended the call stays alive for `userAwayTimeout` (15 s) more. The
 * method is private to agents-js, so it is called only if it is there. No agents-js issue as of
 * 2026-12; the cause is https://github.com/livekit/agents-js/blob/%40livekit/agents%401.9.0/agents/src/voice/agent_activity.ts#L2702-L2706
 * and https://github.com/livekit/agents-js/blob/%40livekit/agents%401.9.0/agents/src/voice/agent_session.ts#L1785-L1786
 * (the Python SDK fixed the same: https://github.com/livekit/agents/pull/3895).
 */
export function clearUserAwayTimer(session: Session): void {
  (session as unknown as { _cancelUserAwayTimer?: () => void })._cancelUserAwayTimer?.();
}

/**
 * Cuts a last line (a goodbye) that outlived `playoutTimeoutMs`: the session, shutting down
 * behind it, would wait for it forever.
 */
export function cutLastLine(session: Session): void {
  try {
    session.interrupt({ force: true });
  } catch (error) {
    // The session no longer runs, so nothing is left playing.
    log().debug(logFields(error), 'no last line left to cut');
  }
}

/**
 * Makes the last line before a call action (a goodbye, a handoff line) non-interruptible. An
 * interrupted (or finished) speech cannot be locked — the setter throws — and then the action's
 * policy for an interrupted line decides.
 */
export function lockLastLine(speech: voice.SpeechHandle): void {
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
