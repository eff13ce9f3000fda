/**
 * `ThreadTurn`: one run's place on its thread (`input: 'latest'`) — what it sends, which
 * checkpoint it forks from, and where it reports its checkpoints and outcome.
 */
import type { llm } from '@livekit/agents';
import type { AnswerCorrection } from './corrections.js';
import type { AttemptReport, RunRecord, ThreadRecord } from './records.js';

/** Made by `ThreadLedger.begin()` for each `chat()` call on a thread. */
export class ThreadTurn {
  /** The chat items the anchor checkpoint does not hold. */
  readonly items: llm.ChatItem[];
  /** Corrections of earlier answers to send first (interrupted, ended, re-transcribed). */
  readonly corrections: readonly AnswerCorrection[];
  readonly #thread: ThreadRecord;
  readonly #run: RunRecord;
  readonly #forkEveryRun: boolean;

  /** @internal */
  constructor(params: {
    thread: ThreadRecord;
    run: RunRecord;
    items: llm.ChatItem[];
    corrections: readonly AnswerCorrection[];
    forkEveryRun: boolean;
  }) {
    this.#thread = params.thread;
    this.#run = params.run;
    this.items = params.items;
    this.corrections = params.corrections;
    this.#forkEveryRun = params.forkEveryRun;
  }

  /** Whether the graph waits on `interrupt()` at the anchor; `undefined`: read the checkpoint. */
  get paused(): boolean | undefined {
    return this.#run.anchor.paused;
  }

  /** The messages of the checkpoint runs fork from, when known without reading it. */
  get messages(): readonly unknown[] | undefined {
    return this.#run.anchor.messages;
  }

  /** Stores what the thread's head said (a thread this process has not run yet). */
  storeHead(head: { checkpointId: string | undefined; paused: boolean }): void {
    const { anchor } = this.#run;
    anchor.checkpointId ??= head.checkpointId;
    anchor.paused ??= head.paused;
    this.#thread.headId ??= head.checkpointId;
  }

  /** The checkpoint the run builds on; `undefined`: the thread's head. */
  checkpointId(): string | undefined {
    return this.#run.startId ?? this.#run.anchor.checkpointId;
  }

  /**
   * Marks an attempt as streaming and returns the checkpoint it forks from, or `undefined` when
   * that is the thread's head anyway (forking costs LangGraph a second checkpoint read per run,
   * so an ordinary turn, after which nothing else ran on the thread, does not fork).
   */
  startAttempt(): string | undefined {
    const thread = this.#thread;
    const run = this.#run;
    thread.streaming.add(run);
    // a retry forks where the first attempt started, whatever it wrote
    if (run.startId !== undefined) return run.startId;
    const alone = thread.streaming.size === 1;
    const atHead = alone && thread.headId === run.anchor.checkpointId && !this.#forkEveryRun;
    return atHead ? undefined : run.anchor.checkpointId;
  }

  /** Follows the run's own checkpoints (root namespace only), with the messages they hold. */
  checkpoint(id: string, parentId: string | undefined, values: { messages?: unknown[] }): void {
    const run = this.#run;
    if (run.startId === undefined) {
      // a run on an empty thread starts at its own input checkpoint, which forks cleanly
      run.startId = parentId ?? id;
      run.anchor.checkpointId ??= run.startId;
    }
    run.finalId = id;
    run.finalMessages = values.messages;
    this.#thread.headId = id;
  }

  /** Records how an attempt ended, as {@link startAttempt} started it; the last call wins. */
  endAttempt(report: AttemptReport): void {
    this.#thread.streaming.delete(this.#run);
    this.#run.outcome = report.outcome;
    this.#run.spoken = report.spoken;
    this.#run.end = report.end;
  }
}
