/**
 * The sessions an adapter follows: which reply a run speaks into, so a barge-in stops the run
 * at once, and when a call ends, so its thread keeps what the caller heard.
 */
import { getJobContext, type llm, log, voice } from '@livekit/agents';

// biome-ignore lint/suspicious/noExplicitAny: sessions of any UserData type are followed
type Session = voice.AgentSession<any>;

/** Speech whose text comes from an LLM run (`say()` plays given text and runs no LLM). */
const LLM_SPEECH: ReadonlySet<string> = new Set(['generate_reply', 'tool_response']);

interface Link {
  /** Replies created for this adapter and not claimed by a run yet, oldest first. */
  readonly pending: voice.SpeechHandle[];
  /** The threads the session's runs used. */
  readonly threads: Set<string>;
  readonly detach: () => void;
}

/**
 * Follows sessions for one adapter. agents-js creates a reply's `SpeechHandle` (and emits
 * `speech_created`) just before it calls the LLM for it, so each run claims the oldest reply of
 * its session not claimed yet. When the run's session cannot be told (several sessions with
 * replies pending, none sharing the run's history), the run claims nothing: it then stops on a
 * barge-in only when agents-js aborts it.
 */
export class SessionLinks {
  readonly #links = new Map<Session, Link>();
  readonly #llm: llm.LLM;
  readonly #onClose: (session: Session, threads: ReadonlySet<string>) => void;

  /**
   * @param owner the adapter: only replies of sessions whose agent uses it are claimed
   * @param onClose called once when a followed session closes, with the threads its runs used
   */
  constructor(owner: llm.LLM, onClose: (session: Session, threads: ReadonlySet<string>) => void) {
    this.#llm = owner;
    this.#onClose = onClose;
  }

  /** Follows `session` until it closes or the returned function is called. */
  attach(session: Session): () => void {
    const known = this.#links.get(session);
    if (known) return known.detach;
    const onSpeech = (ev: voice.SpeechCreatedEvent) => {
      if (LLM_SPEECH.has(ev.source) && this.#usesOwner(session)) link.pending.push(ev.speechHandle);
    };
    const onClose = () => {
      link.detach();
      this.#onClose(session, link.threads);
    };
    const link: Link = {
      pending: [],
      threads: new Set(),
      detach: () => {
        session.off(voice.AgentSessionEventTypes.SpeechCreated, onSpeech);
        session.off(voice.AgentSessionEventTypes.Close, onClose);
        this.#links.delete(session);
      },
    };
    this.#links.set(session, link);
    session.on(voice.AgentSessionEventTypes.SpeechCreated, onSpeech);
    session.once(voice.AgentSessionEventTypes.Close, onClose);
    return link.detach;
  }

  /**
   * Records that a run for `chatCtx` uses `threadId`, and returns the reply it speaks into when
   * that can be told. Inside a LiveKit job, the job's session is followed without being attached.
   */
  claim(chatCtx: llm.ChatContext, threadId: string): voice.SpeechHandle | undefined {
    this.#followJobSession();
    const link = this.#linkOf(chatCtx);
    if (!link) return undefined;
    link.threads.add(threadId);
    // a reply that ended without a run of its own (another LLM served it) is not this run's
    while (link.pending[0]?.done()) link.pending.shift();
    return link.pending.shift();
  }

  /** The session `chatCtx` belongs to, when it can be told. */
  sessionOf(chatCtx: llm.ChatContext): Session | undefined {
    const link = this.#linkOf(chatCtx);
    return [...this.#links].find(([, known]) => known === link)?.[0];
  }

  /** The link of the session `chatCtx` belongs to, when it can be told. */
  #linkOf(chatCtx: llm.ChatContext): Link | undefined {
    if (this.#links.size <= 1) return this.#links.values().next().value;
    const ids = new Set(chatCtx.items.map((item) => item.id));
    const sharing = [...this.#links].filter(([session]) => sharesItems(session, ids));
    return sharing.length === 1 ? sharing[0]?.[1] : undefined;
  }

  #usesOwner(session: Session): boolean {
    try {
      return (session.currentAgent.llm ?? session.llm) === this.#llm;
    } catch {
      // no agent running: no reply of this session can be this adapter's
      return false;
    }
  }

  #followJobSession(): void {
    const session = getJobContext(false)?._primaryAgentSession;
    if (!session || this.#links.has(session) || !this.#usesOwner(session)) return;
    log().debug('following the job session for barge-in and the end of the call');
    this.attach(session);
  }
}

/** Whether the session's current agent holds any of the chat items `ids`. */
function sharesItems(session: Session, ids: ReadonlySet<string>): boolean {
  try {
    return session.currentAgent.chatCtx.items.some((item) => ids.has(item.id));
  } catch {
    return false;
  }
}

/**
 * A signal that aborts with `streamSignal`, or as soon as `speech` is interrupted while the
 * stream runs. agents-js marks the speech interrupted at once but aborts the stream only when it
 * next reads from it; `waitIfNotInterrupted` is the public way to hear of the interruption.
 */
export function untilInterrupted(
  speech: voice.SpeechHandle,
  streamSignal: AbortSignal,
): AbortSignal {
  const interrupted = new AbortController();
  const streamOver = new Promise<void>((resolve) => {
    if (streamSignal.aborted) resolve();
    else streamSignal.addEventListener('abort', () => resolve(), { once: true });
  });
  void speech
    .waitIfNotInterrupted([streamOver])
    .then(() => {
      if (!speech.interrupted || streamSignal.aborted) return;
      log().debug(
        { speechId: speech.id },
        'the caller interrupted the reply; stopping the graph run',
      );
      interrupted.abort(new Error('the caller interrupted the reply'));
    })
    .catch((error: unknown) =>
      log().warn({ error: String(error) }, 'could not follow the reply for barge-in'),
    );
  return AbortSignal.any([streamSignal, interrupted.signal]);
}
