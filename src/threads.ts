/**
 * Per-thread bookkeeping for graphs that keep their own history (`input: 'latest'`): which chat
 * items the graph already got, and which assistant messages the graph itself produced.
 */
import type { llm } from '@livekit/agents';

type ChatItem = llm.ChatItem;

interface ThreadRecord {
  /** Ids of chat items given to the graph by runs whose turn reached the chat context. */
  readonly given: Set<string>;
  /** Runs that have not been confirmed yet: the ids they gave, and the user message ids among them. */
  readonly unconfirmed: { ids: string[]; userIds: string[] }[];
  /** What the graph said in its runs (an interrupted answer is committed as a prefix of it). */
  readonly spoken: string[];
}

/** What a run on a thread should give the graph, and how to record it once the run has started. */
export interface LatestInput {
  /** The chat items the graph has not got yet. */
  readonly items: ChatItem[];
  /** Records that a run gave the graph `items` and said `spokenText`; call when each run attempt ends. */
  record(spokenText: string): void;
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
      record: (spokenText) => {
        thread.unconfirmed.push({
          ids: fresh.map((item) => item.id),
          userIds: fresh.filter(isUserMessage).map((item) => item.id),
        });
        if (spokenText.trim()) thread.spoken.push(spokenText.trim());
      },
    };
  }

  #thread(threadId: string): ThreadRecord {
    let thread = this.#threads.get(threadId);
    if (!thread) {
      thread = { given: new Set(), unconfirmed: [], spoken: [] };
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

function isUserMessage(item: ChatItem): boolean {
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
