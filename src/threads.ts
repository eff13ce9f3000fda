/**
 * Per-thread bookkeeping for graphs that keep their own history (`input: 'latest'`): which chat
 * items the graph already got, which assistant messages the graph itself produced, and whether
 * the graph is paused on `interrupt()`.
 */
import type { llm } from '@livekit/agents';

type ChatItem = llm.ChatItem;

/**
 * How a run attempt ended: `done` (the graph finished), `paused` (it called `interrupt()` and
 * waits for the caller), or `cut` (aborted or failed, so the thread may be in either state).
 */
export type RunOutcome = 'done' | 'paused' | 'cut';

interface ThreadRecord {
  /** Ids of chat items given to the graph by runs whose turn reached the chat context. */
  readonly given: Set<string>;
  /** Runs that have not been confirmed yet: the ids they gave, and the user message ids among them. */
  readonly unconfirmed: { ids: string[]; userIds: string[] }[];
  /** What the graph said in its runs (an interrupted answer is committed as a prefix of it). */
  readonly spoken: string[];
  /** Whether the graph waits on `interrupt()`; `undefined` until a run or the checkpoint tells. */
  paused: boolean | undefined;
}

/** What a run on a thread should give the graph, and how to record it once the run has started. */
export interface LatestInput {
  /** The chat items the graph has not got yet. */
  readonly items: ChatItem[];
  /**
   * Whether the graph is paused on `interrupt()` on this thread, as far as this process knows:
   * `undefined` for a thread it has not run yet (a restarted worker) or whose last run was cut.
   */
  readonly paused: boolean | undefined;
  /** Stores what the checkpoint said about a pending interrupt, when `paused` was unknown. */
  learn(paused: boolean): void;
  /** Records that a run gave the graph `items`, said `spokenText` and ended so; call when each attempt ends. */
  record(spokenText: string, outcome: RunOutcome): void;
}

/**
 * Remembers, per thread, what the graph already holds so each turn sends only what is new.
 *
 * A run counts once its turn reaches LiveKit's chat context: agents-js drops the user message
 * of a discarded preemptive run, so a run whose user messages are missing from a later chat
 * context never happened for the caller and its items are sent again.
 */
export class ThreadLedger {
  readonly #threads = new Map<string, ThreadRecord>();

  /** The chat items to send to the graph on `threadId`, given the session's whole chat context. */
  latest(threadId: string, items: readonly ChatItem[]): LatestInput {
    const thread = this.#thread(threadId);
    this.#confirm(thread, items);
    const fresh = items.filter((item) => isFresh(thread, item));
    return {
      items: fresh,
      paused: thread.paused,
      learn: (paused) => {
        thread.paused = paused;
      },
      record: (spokenText, outcome) => {
        thread.unconfirmed.push({
          ids: fresh.map((item) => item.id),
          userIds: fresh.filter(isUserMessage).map((item) => item.id),
        });
        if (spokenText.trim()) thread.spoken.push(spokenText.trim());
        thread.paused = outcome === 'cut' ? undefined : outcome === 'paused';
      },
    };
  }

  #thread(threadId: string): ThreadRecord {
    let thread = this.#threads.get(threadId);
    if (!thread) {
      thread = { given: new Set(), unconfirmed: [], spoken: [], paused: undefined };
      this.#threads.set(threadId, thread);
    }
    return thread;
  }

  #confirm(thread: ThreadRecord, items: readonly ChatItem[]): void {
    if (thread.unconfirmed.length === 0) return;
    const present = new Set(items.map((item) => item.id));
    for (const run of thread.unconfirmed.splice(0)) {
      if (run.userIds.every((id) => present.has(id))) {
        for (const id of run.ids) thread.given.add(id);
      }
    }
  }
}

/** Whether a chat item is something the caller said. */
export function isUserMessage(item: ChatItem): boolean {
  return item.type === 'message' && item.role === 'user';
}

function isFresh(thread: ThreadRecord, item: ChatItem): boolean {
  if (thread.given.has(item.id)) return false;
  // the graph keeps its own tool calls; LiveKit-side calls (end_call) mean nothing to it
  if (item.type !== 'message') return false;
  if (item.role !== 'assistant') return true;
  // an assistant message the graph said itself (whole, or cut by a barge-in) is already on the thread
  const text = (item.textContent ?? '').trim();
  return !thread.spoken.some((spoken) => text !== '' && spoken.startsWith(text));
}
