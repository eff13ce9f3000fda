/**
 * Holding graph runs until their turn is confirmed. agents-js starts the LLM on interim
 * transcripts (preemptive generation) and drops the run when the final transcript differs; a
 * graph whose own nodes act on the world (a ToolNode that books, cancels, pays) would act on
 * words the caller did not end up saying. A run is confirmed when its caller message enters the
 * session's history: agents-js adds it once the reply is scheduled, which a discarded
 * preemptive reply never is.
 */
import { type llm, voice } from '@livekit/agents';
import { isUserMessage } from './chat-items.js';

/**
 * Tells, for a run's chat context, when its turn is confirmed: at once for a turn whose caller
 * message is already in a watched session's history (or that has none), else when it gets there.
 * One adapter may serve several sessions (calls), so it watches each until it closes.
 */
export class TurnConfirmations {
  readonly #sessions = new Set<voice.AgentSession>();
  readonly #waiting = new Map<string, Set<() => void>>();
  readonly #onItem = (ev: voice.ConversationItemAddedEvent) => {
    const waiters = this.#waiting.get(ev.item.id);
    this.#waiting.delete(ev.item.id);
    for (const resolve of waiters ?? []) resolve();
  };

  /** Whether any session is watched (else no run is held). */
  get watching(): boolean {
    return this.#sessions.size > 0;
  }

  /** Watches `session` until it closes or the returned function is called. */
  watch(session: voice.AgentSession): () => void {
    if (this.#sessions.has(session)) return () => this.#unwatch(session);
    this.#sessions.add(session);
    session.on(voice.AgentSessionEventTypes.ConversationItemAdded, this.#onItem);
    const onClose = () => this.#unwatch(session);
    session.once(voice.AgentSessionEventTypes.Close, onClose);
    return () => {
      session.off(voice.AgentSessionEventTypes.Close, onClose);
      this.#unwatch(session);
    };
  }

  /**
   * Resolves once the turn of `chatCtx` is confirmed, or when `signal` aborts (a discarded
   * preemptive run is aborted by agents-js); `undefined` when there is nothing to wait for.
   */
  whenConfirmed(chatCtx: llm.ChatContext, signal: AbortSignal): Promise<void> | undefined {
    const message = chatCtx.items.findLast(isUserMessage);
    if (!message || !this.watching || this.#inHistory(message.id)) return undefined;
    return new Promise<void>((resolve) => {
      const done = () => {
        signal.removeEventListener('abort', done);
        this.#waiting.get(message.id)?.delete(done);
        resolve();
      };
      const waiters = this.#waiting.get(message.id) ?? new Set();
      waiters.add(done);
      this.#waiting.set(message.id, waiters);
      signal.addEventListener('abort', done, { once: true });
      if (signal.aborted) done();
    });
  }

  #inHistory(id: string): boolean {
    for (const session of this.#sessions) {
      if (session.history.items.some((item) => item.id === id)) return true;
    }
    return false;
  }

  /** Stops watching `session`; when none is left, runs still held are released. */
  #unwatch(session: voice.AgentSession): void {
    if (!this.#sessions.delete(session)) return;
    session.off(voice.AgentSessionEventTypes.ConversationItemAdded, this.#onItem);
    if (this.watching) return;
    for (const waiters of this.#waiting.values()) for (const resolve of waiters) resolve();
    this.#waiting.clear();
  }
}
