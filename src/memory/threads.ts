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
import { type SpokenPiece, spokenTextOf, wordsOf } from './heard.js';

type ChatItem = llm.ChatItem;

/**
 * How a run attempt ended: `done` (the graph finished), `paused` (it called `interrupt()` and
 * waits for the caller), or `cut` (aborted or failed, so its checkpoints are unusable).
 */
export type RunOutcome = 'done' | 'paused' | 'cut';

/** How a run ended the call, to undo it when the caller kept the call up. */
export interface RunEnd {
  /** The `end_call` function call the session got. */
  callId: string;
  /** Why the graph ended the call. */
  reason: string;
  /** The model's own `end_call` tool call, when that is what ended the call. */
  toolCallId?: string;
}

/** What an attempt reports when it ends. */
export interface AttemptReport {
  outcome: RunOutcome;
  /** What the attempt said, per source message. */
  spoken: SpokenPiece[];
  /** Set when the attempt ended the call. */
  end?: RunEnd;
}

/** A checkpoint runs start from, with what it holds. */
interface Anchor {
  /** The checkpoint to fork from; `undefined` until known (then runs start from the thread's head). */
  checkpointId: string | undefined;
  /** The checkpoint's messages, when its run streamed them (else they are read when needed). */
  readonly messages?: readonly unknown[];
  /** Ids of the chat items the checkpoint holds. */
  readonly given: ReadonlySet<string>;
  /**
   * Runs whose answers the checkpoint holds as the graph said them, because LiveKit's chat context
   * did not say yet what the caller heard (an answer is committed when its playback ends).
   */
  readonly unsettled: readonly RunRecord[];
  /** Whether the graph waits on `interrupt()` there; `undefined` until the checkpoint is read. */
  paused: boolean | undefined;
}

/** One `chat()` call on a thread, from its start to its last attempt. */
interface RunRecord {
  readonly anchor: Anchor;
  /** Ids of the chat items the thread holds after this run's input. */
  readonly given: ReadonlySet<string>;
  /** Earlier runs whose answers are still as the graph said them after this run's input. */
  readonly unsettled: readonly RunRecord[];
  /** The caller's messages this run sent, id → text as sent (a reused preemptive run's is interim). */
  readonly userTexts: ReadonlyMap<string, string>;
  outcome: RunOutcome | 'running';
  /** The checkpoint the run's first attempt started from (its retries start there too). */
  startId: string | undefined;
  /** The run's last checkpoint, and its messages. */
  finalId: string | undefined;
  finalMessages: readonly unknown[] | undefined;
  spoken: SpokenPiece[];
  end: RunEnd | undefined;
}

/** A run's answer, to be brought in line with what LiveKit's chat context says was heard. */
export interface HeardRun {
  /** What the run said, per source message. */
  readonly spoken: readonly SpokenPiece[];
  /** What the caller heard of it (`''`: nothing). */
  readonly heardText: string;
  /** Set when the run ended the call, which is still up. */
  readonly end: RunEnd | undefined;
  /** The caller's messages whose final transcript differs from what the run sent: id → final text. */
  readonly retranscribed: ReadonlyMap<string, string>;
}

/** What one run on a thread sends, where it starts, and how it reports back. */
export interface ThreadTurn {
  /** The chat items the anchor checkpoint does not hold. */
  readonly items: ChatItem[];
  /** Earlier runs whose answers must be edited first (interrupted, ended, re-transcribed). */
  readonly heard: readonly HeardRun[];
  /** Whether the graph waits on `interrupt()` at the anchor; `undefined`: read the checkpoint. */
  readonly paused: boolean | undefined;
  /** Stores what the thread's head said (a thread this process has not run yet). */
  learn(head: { checkpointId: string | undefined; paused: boolean }): void;
  /** The checkpoint the run builds on; `undefined`: the thread's head. */
  checkpointId(): string | undefined;
  /**
   * Called when an attempt starts its graph run: the checkpoint to fork from, or `undefined` when
   * that is the thread's head anyway (forking costs LangGraph a second checkpoint read per run,
   * so an ordinary turn, after which nothing else ran on the thread, does not fork).
   */
  forkFrom(): string | undefined;
  /** The messages of the checkpoint runs fork from, when known without reading it. */
  readonly messages: readonly unknown[] | undefined;
  /** Follows the run's own checkpoints (root namespace only), with the messages they hold. */
  checkpoint(id: string, parentId: string | undefined, values: { messages?: unknown[] }): void;
  /** Records how an attempt ended; the last call wins. */
  end(report: AttemptReport): void;
}

interface ThreadRecord {
  anchor: Anchor;
  /** The last checkpoint a run on the thread reported (or the head read at the start). */
  headId: string | undefined;
  /** Runs whose graph run is under way, or was and has not ended yet (it may still write). */
  readonly streaming: Set<RunRecord>;
  /** Runs started from the anchor or later, oldest first, not yet known to have reached the caller. */
  runs: RunRecord[];
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
  begin(threadId: string, items: readonly ChatItem[]): ThreadTurn {
    const thread = this.#thread(threadId);
    settle(thread, items);
    const anchor = thread.anchor;
    const { heard, heardIds, unsettled } = whatWasHeard(anchor, items);
    const fresh = items.filter(
      (item) => item.type === 'message' && !heardIds.has(item.id) && !anchor.given.has(item.id),
    );
    const run: RunRecord = {
      anchor,
      given: new Set([...anchor.given, ...heardIds, ...idsOf(fresh)]),
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
    return {
      items: fresh,
      heard,
      get paused() {
        return anchor.paused;
      },
      learn: (head) => {
        anchor.checkpointId ??= head.checkpointId;
        anchor.paused ??= head.paused;
        thread.headId ??= head.checkpointId;
      },
      checkpointId: () => run.startId ?? anchor.checkpointId,
      forkFrom: () => {
        thread.streaming.add(run);
        // a retry forks where the first attempt started, whatever it wrote
        if (run.startId !== undefined) return run.startId;
        const alone = thread.streaming.size === 1;
        const atHead = alone && thread.headId === anchor.checkpointId && !this.#forkEveryRun;
        return atHead ? undefined : anchor.checkpointId;
      },
      messages: anchor.messages,
      checkpoint: (id, parentId, values) => {
        if (run.startId === undefined) {
          // a run on an empty thread starts at its own input checkpoint, which forks cleanly
          run.startId = parentId ?? id;
          anchor.checkpointId ??= run.startId;
        }
        run.finalId = id;
        run.finalMessages = values.messages;
        thread.headId = id;
      },
      end: (report) => {
        thread.streaming.delete(run);
        run.outcome = report.outcome;
        run.spoken = report.spoken;
        run.end = report.end;
      },
    };
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
function settle(thread: ThreadRecord, items: readonly ChatItem[]): void {
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

/**
 * What the caller heard of the anchor's unsettled runs, as far as `items` tell: the edits their
 * answers need, the chat items that recorded them, and the runs still unsettled.
 */
function whatWasHeard(
  anchor: Anchor,
  items: readonly ChatItem[],
): { heard: HeardRun[]; heardIds: Set<string>; unsettled: RunRecord[] } {
  const heard: HeardRun[] = [];
  const heardIds = new Set<string>();
  const unsettled: RunRecord[] = [];
  const taken = (id: string) => anchor.given.has(id) || heardIds.has(id);
  for (const run of anchor.unsettled) {
    const later = items.slice(endOfInput(run, items));
    const item = findHeard(run, later, taken);
    if (item) heardIds.add(item.id);
    const settled = item !== undefined || conversationMovedOn(run, later);
    if (!settled) unsettled.push(run);
    const edits = heardRun(run, settled ? (item ? chatTextOf(item) : '') : undefined, items);
    if (edits) heard.push(edits);
  }
  return { heard, heardIds, unsettled };
}

/**
 * The assistant message in which LiveKit recorded what the caller heard of `run`: the first one
 * among the items `later` than the run's input whose text begins the run's answer (an app's
 * `say()` does not) and that is not `taken` already.
 */
function findHeard(
  run: RunRecord,
  later: readonly ChatItem[],
  taken: (id: string) => boolean,
): ChatItem | undefined {
  const said = wordsOf(spokenTextOf(run.spoken));
  return later.find((item) => {
    if (item.type !== 'message' || item.role !== 'assistant' || taken(item.id)) return false;
    const heard = wordsOf(chatTextOf(item));
    return heard !== '' && said.startsWith(heard);
  });
}

/**
 * Whether `run`'s speech is surely over though its answer is not among the items `later` than
 * its input: an agent message after a later caller message was committed, and speeches play in
 * order. Then the caller heard none of it (agents-js commits nothing for an answer cut before
 * its first word).
 */
function conversationMovedOn(run: RunRecord, later: readonly ChatItem[]): boolean {
  const nextTurn = later.findIndex((item) => isUserMessage(item) && !run.given.has(item.id));
  return (
    nextTurn >= 0 &&
    later.slice(nextTurn + 1).some((item) => item.type === 'message' && item.role === 'assistant')
  );
}

/** The index in `items` just after the last item `run` had been given. */
function endOfInput(run: RunRecord, items: readonly ChatItem[]): number {
  let end = 0;
  for (const [index, item] of items.entries()) if (run.given.has(item.id)) end = index + 1;
  return end;
}

/**
 * The edits `run`'s answer needs, given `heardText` (`undefined`: not known yet, so only a
 * re-transcribed caller message is fixed), or `undefined` when it needs none.
 */
function heardRun(
  run: RunRecord,
  heardText: string | undefined,
  items: readonly ChatItem[],
): HeardRun | undefined {
  const retranscribed = new Map<string, string>();
  for (const item of items) {
    const sent = run.userTexts.get(item.id);
    if (sent !== undefined && chatTextOf(item) !== sent)
      retranscribed.set(item.id, chatTextOf(item));
  }
  const said = spokenTextOf(run.spoken);
  const cut = heardText !== undefined && wordsOf(heardText) !== wordsOf(said);
  const ended = heardText !== undefined && run.end !== undefined;
  if (!cut && !ended && retranscribed.size === 0) return undefined;
  return {
    spoken: heardText === undefined ? [] : run.spoken,
    heardText: heardText ?? '',
    end: ended ? run.end : undefined,
    retranscribed,
  };
}

/** Whether a chat item is something the caller said. */
export function isUserMessage(item: ChatItem): boolean {
  return item.type === 'message' && item.role === 'user';
}

/** The text of a chat message, trimmed (`''` for other items). */
export const chatTextOf = (item: ChatItem): string =>
  item.type === 'message' ? (item.textContent ?? '').trim() : '';

const idsOf = (items: readonly ChatItem[]): string[] => items.map((item) => item.id);
