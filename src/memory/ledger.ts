/**
 * Per-thread bookkeeping for graphs that keep their own history (`input: 'latest'`): which
 * checkpoint holds what the caller actually got, what each turn must send on top of it, and
 * whether the graph waits there on `interrupt()`.
 *
 * agents-js starts runs that never reach the caller (preemptive runs on interim transcripts,
 * cancelled or replaced) and cuts answers short (barge-in). Every run therefore starts from an
 * anchor: the last checkpoint of the latest run whose turn reached LiveKit's chat context. Runs
 * that did not are dead branches, whatever they wrote to the thread.
 */
import type { llm } from '@livekit/agents';
import { chatTextOf, idsOf, isUserMessage } from './chat-items.js';
import type { AnswerCorrection } from './corrections.js';
import type { RunRecord, ThreadRecord } from './records.js';
import { settleAnswers } from './settled-answers.js';
import { spokenTextOf } from './spoken.js';
import { ThreadTurn } from './turn.js';

/** The corrections a finished call leaves for its thread (see {@link ThreadLedger.finish}). */
export interface FinishedThread {
  /** The checkpoint the corrections apply to: the last one of the last run the caller got. */
  checkpointId: string;
  /** Its messages, when its run streamed them (else they are read). */
  messages: readonly unknown[] | undefined;
  corrections: AnswerCorrection[];
}

/**
 * Remembers, per thread, the anchor checkpoint and the runs started since, so that each run
 * forks from what the caller got and sends only what that checkpoint lacks.
 *
 * A run reached the caller once its user messages are in a later chat context (agents-js drops
 * the user message of a discarded preemptive run and keeps the id of a reused one). Its last
 * checkpoint becomes the anchor; one that was cut leaves the anchor where it was, and what the
 * caller said and heard in that turn is sent again from the chat context.
 */
export class ThreadLedger {
  /** Threads by id, least recently run first. */
  readonly #threads = new Map<string, ThreadRecord>();
  readonly #forkEveryRun: boolean;
  readonly #maxThreads: number;

  /**
   * @param options.forkEveryRun fork even when the anchor is the thread's head: LangGraph Server
   * keeps the checkpoint a run forked from in the thread's config, so a later run that does not
   * name its own checkpoint starts from that old one.
   * @param options.maxThreads how many threads one adapter remembers; the least recently run one
   * is forgotten beyond that, and if it runs again it is read from its checkpoint, as a restarted
   * worker does (an adapter shared by a long-lived worker's calls would otherwise keep them all).
   */
  constructor({ forkEveryRun = false, maxThreads = 1_000 } = {}) {
    this.#forkEveryRun = forkEveryRun;
    this.#maxThreads = maxThreads;
  }

  /** Starts a run on `threadId` for the session's whole chat context `items`. */
  begin(threadId: string, items: readonly llm.ChatItem[]): ThreadTurn {
    const thread = this.#thread(threadId);
    advanceAnchor(thread, items);
    const anchor = thread.anchor;
    const { corrections, recordIds, unsettled } = settleAnswers(anchor, items);
    const fresh = items.filter(
      (item) => item.type === 'message' && !recordIds.has(item.id) && !anchor.given.has(item.id),
    );
    const run: RunRecord = {
      anchor,
      given: new Set([...anchor.given, ...recordIds, ...idsOf(fresh)]),
      unsettled,
      userTexts: new Map(fresh.filter(isUserMessage).map((item) => [item.id, chatTextOf(item)])),
      outcome: 'running',
      startId: undefined,
      finalId: undefined,
      finalMessages: undefined,
      spoken: [],
      end: undefined,
    };
    thread.runs.push(run);
    return new ThreadTurn({
      thread,
      run,
      items: fresh,
      corrections,
      forkEveryRun: this.#forkEveryRun,
    });
  }

  /**
   * What makes `threadId`'s thread hold what the caller heard once the call is over (`items`: the
   * session's final chat context): the corrections and the checkpoint they apply to, or
   * `undefined` when it needs none. The thread is forgotten: whatever runs on it next reads its
   * head, as a new call (or a restarted worker) does.
   */
  finish(threadId: string, items: readonly llm.ChatItem[]): FinishedThread | undefined {
    const thread = this.#threads.get(threadId);
    if (!thread) return undefined;
    this.#threads.delete(threadId);
    advanceAnchor(thread, items);
    const { anchor } = thread;
    const { corrections } = settleAnswers(anchor, items, true);
    if (corrections.length === 0 || anchor.checkpointId === undefined) return undefined;
    return { checkpointId: anchor.checkpointId, messages: anchor.messages, corrections };
  }

  #thread(threadId: string): ThreadRecord {
    const known = this.#threads.get(threadId);
    this.#threads.delete(threadId);
    if (known) {
      this.#threads.set(threadId, known);
      return known;
    }
    const oldest = this.#threads.keys().next();
    if (this.#threads.size >= this.#maxThreads && !oldest.done) this.#threads.delete(oldest.value);
    const thread: ThreadRecord = {
      anchor: { checkpointId: undefined, given: new Set(), unsettled: [], paused: undefined },
      headId: undefined,
      streaming: new Set(),
      runs: [],
    };
    this.#threads.set(threadId, thread);
    return thread;
  }
}

/** Moves the anchor past the latest run whose turn is in `items`, and forgets older runs. */
function advanceAnchor(thread: ThreadRecord, items: readonly llm.ChatItem[]): void {
  if (thread.runs.length === 0) return;
  const present = new Set(idsOf(items));
  for (let i = thread.runs.length - 1; i >= 0; i--) {
    const run = thread.runs[i] as RunRecord;
    if (![...run.userTexts.keys()].every((id) => present.has(id))) continue;
    thread.anchor =
      run.outcome === 'done' || run.outcome === 'paused'
        ? {
            checkpointId: run.finalId,
            ...(run.finalMessages && { messages: run.finalMessages }),
            given: run.given,
            unsettled:
              spokenTextOf(run.spoken).trim() || run.end ? [...run.unsettled, run] : run.unsettled,
            paused: run.outcome === 'paused',
          }
        : // still running or cut: its checkpoints are not what the caller got
          run.anchor;
    thread.runs.splice(0, i + 1);
    return;
  }
}
