/**
 * `LangGraphStream`: one user turn = one graph run, streamed into the agent session.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleepFor } from 'node:timers/promises';
import { type APIConnectOptions, intervalForRetry, llm, log, type voice } from '@livekit/agents';
import type { CallEndRequest, RunOutcome } from '../memory/records.js';
import type { ThreadTurn } from '../memory/turn.js';
import { SPOKE_AFTER_GOODBYE as MUTED } from './after-goodbye.js';
import { ChunkWriter } from './chunk-writer.js';
import { FirstOutputDeadline, OutputGapDeadline } from './deadline.js';
import { deadlineError, finalError, GraphRunError, gapError, graphError } from './errors.js';
import { INTERRUPT_NEEDS_LATEST } from './interrupts.js';
import type { PartClassifier, StreamEvent } from './parts.js';
import { putCallAction } from './put-call-action.js';
import { forkedFrom, type GraphRunOptions } from './run-options.js';
import { trackCheckpoint, trackTask } from './run-trackers.js';
import { untilInterrupted } from './session-links.js';

/** Anything with LangGraph's `stream(input, options)`: a compiled graph or a `RemoteGraph`. */
export interface StreamableGraph {
  /** Starts a run; LangGraph's `graph.stream(input, { streamMode, configurable, signal, ... })`. */
  stream(input: unknown, options?: Record<string, unknown>): Promise<AsyncIterable<unknown>>;
  /** The thread's state (`graph.getState(config)`): its head, a pending `interrupt()`, a checkpoint's messages. */
  getState?(config: Record<string, unknown>): Promise<unknown>;
  /** Writes to the thread (`graph.updateState(config, values)`): what the caller heard, after the call. */
  updateState?(config: Record<string, unknown>, values: unknown, asNode?: string): Promise<unknown>;
}

/** Everything one graph run needs; built by `LLMAdapter.chat()`. */
export interface GraphRun {
  readonly graph: StreamableGraph;
  /**
   * Builds the graph input (`{ messages }` or `Command({ resume })`), or a promise of it:
   * deciding it may need the thread's checkpoint. Called once, when the first attempt starts
   * (after a hold, so a held preemptive run sends the final transcript); it must not reject.
   */
  readonly input: () => unknown;
  /** The run's config (thread id, tags, …) and stream options, without the abort signal. */
  readonly options: GraphRunOptions;
  /** The caller's abort signal from the adapter's `config.signal`, if any. */
  readonly signal?: AbortSignal;
  /** A fresh classifier per attempt (a retry starts from scratch). */
  readonly classifier: () => PartClassifier;
  /**
   * Whether the run may pause on `interrupt()` (its prompt is spoken, the next turn resumes);
   * otherwise an interrupt fails the run with an error that says how to enable it.
   */
  readonly pausable: boolean;
  /**
   * The run's place on its thread (`input: 'latest'`): the checkpoint each attempt forks from,
   * and where the run's own checkpoints and outcome are reported. Its runs ask for the
   * `checkpoints` stream mode.
   */
  readonly thread?: Pick<ThreadTurn, 'startAttempt' | 'checkpoint' | 'endAttempt'>;
  /**
   * What the run waits for before it starts the graph: its turn's confirmation, when the adapter
   * holds preemptive runs (`undefined`: nothing to wait for). Resolves early when `signal` aborts.
   */
  readonly hold?: (signal: AbortSignal) => Promise<void> | undefined;
  /**
   * The reply this run speaks into, when the adapter can tell it (see `LLMAdapter.attach`): its
   * interruption stops the run at once. agents-js itself aborts a stream only when it yields
   * again, so a graph in a slow, silent step would otherwise go on acting after a barge-in.
   */
  readonly speech?: voice.SpeechHandle;
  /**
   * How long the turn may go without saying anything or asking for a call action before it is
   * stopped and fails, in ms (0: no limit); `undefined`: the session's `llmConnOptions.timeoutMs`.
   */
  readonly firstOutputTimeoutMs?: number;
  /**
   * How long the turn may go quiet after it began to speak before it is stopped and fails, in ms
   * (0: no limit); `undefined`: the session's `llmConnOptions.timeoutMs`.
   */
  readonly outputGapTimeoutMs?: number;
  /**
   * What the caller hears when the turn fails before saying anything (`undefined`: silence). Called
   * once per failed turn; the adapter decides (it stops after a few failed turns in a row, so the
   * session's own error handling can end a call that keeps failing).
   */
  readonly errorLine?: () => string | undefined;
  /** Called when the turn ended without failing. */
  readonly succeeded?: () => void;
  /** Called for a call action the agent has no tool for, which is not sent. */
  readonly unavailable?: Parameters<typeof putCallAction>[3];
}

/** What one attempt has done so far. */
interface Attempt {
  readonly writer: ChunkWriter;
  end?: CallEndRequest;
}

/**
 * The `llm.LLMStream` of {@link LLMAdapter}: runs the graph once, puts its speakable text and at
 * call actions (at most one `end_call` or `transfer_call`, any number of `send_dtmf`) into the
 * session as function calls, and reports token usage.
 *
 * Barge-in aborts the stream, which aborts the graph run through its `signal`. A run that failed
 * before anything was put is run again by {@link LangGraphStream.run}; after that it is not,
 * since repeating speech is worse than failing.
 */
export class LangGraphStream extends llm.LLMStream {
  readonly #run: GraphRun;
  readonly #id = `lg_${randomUUID()}`;
  // the first attempt starts in the constructor: LLMStream calls run() only after a timer tick
  #firstAttempt: Promise<void> | undefined;
  #input: unknown;
  /** Aborts with the stream, or as soon as the reply's speech is interrupted. */
  readonly #signal: AbortSignal;
  readonly #deadline: FirstOutputDeadline;
  readonly #gap: OutputGapDeadline;
  /** Whether the turn asked to end the call (its gap is then not bounded). */
  #ending = false;
  /** The writer of the attempt under way. */
  #writer: ChunkWriter | undefined;

  /** @internal Built by `LLMAdapter.chat()`, which is how a stream is made. */
  constructor(
    adapter: llm.LLM,
    params: {
      chatCtx: llm.ChatContext;
      toolCtx?: llm.ToolContext;
      connOptions: APIConnectOptions;
      run: GraphRun;
    },
  ) {
    super(adapter, params);
    this.#run = params.run;
    this.#signal = params.run.speech
      ? untilInterrupted(params.run.speech, this.abortController.signal)
      : this.abortController.signal;
    this.#deadline = new FirstOutputDeadline(
      params.run.firstOutputTimeoutMs ?? params.connOptions.timeoutMs,
      () => this.#writer?.emitted === true,
    );
    this.#gap = new OutputGapDeadline(
      params.run.outputGapTimeoutMs ?? params.connOptions.timeoutMs,
      () => this.#writer?.lastOutputAt,
      () => this.#ending,
    );
    this.#firstAttempt = this.#attempt();
    // run() awaits and rethrows it; this only keeps Node from reporting it as unhandled meanwhile
    this.#firstAttempt.catch(() => {});
  }

  /**
   * Runs the graph, again after a failure before anything was put (`connOptions.maxRetry` times),
   * here rather than by agents-js 1.9's `LLMStream`, whose sleep ignores barge-in and whose retry
   * `error` event the session re-emits, throwing without an app listener. No upstream issue as of
   * 2026-12; causes: https://github.com/livekit/agents-js/blob/%40livekit/agents%401.9.0/agents/src/llm/llm.ts#L302-L310, https://github.com/livekit/agents-js/blob/%40livekit/agents%401.9.0/agents/src/voice/agent_activity.ts#L1679-L1680
   */
  protected async run(): Promise<void> {
    const signal = this.#signal;
    try {
      for (let retry = 0; ; retry++) {
        const attempt = this.#firstAttempt ?? this.#attempt();
        this.#firstAttempt = undefined;
        try {
          await attempt;
          if (!signal.aborted) this.#run.succeeded?.();
          return;
        } catch (error) {
          const wait = intervalForRetry(this.connOptions, retry);
          if (
            !(error instanceof GraphRunError) ||
            !error.retryable ||
            retry >= this.connOptions.maxRetry ||
            wait >= this.#deadline.remainingMs()
          ) {
            this.#sayErrorLine();
            throw finalError(error, retry + 1);
          }
          log().warn(
            { attempt: retry + 1, error: error.message },
            'graph run failed before saying anything; running it again',
          );
          await sleep(wait, signal);
          if (signal.aborted) return;
        }
      }
    } finally {
      this.#deadline.stop();
      this.#gap.stop();
    }
  }

  /** Says the adapter's error line when the failed turn said nothing, or went quiet: no dead air. */
  #sayErrorLine(): void {
    if ((this.#writer?.emitted && !this.#gap.expired) || this.#signal.aborted) return;
    const line = this.#run.errorLine?.();
    if (!line) return;
    const spoke = this.#writer?.emitted === true;
    const writer = new ChunkWriter(this.queue, this.#id, this.#signal);
    // it goes on the words already said, in the same message
    writer.custom(spoke ? ` ${line}` : line);
    writer.finish();
    writer.close();
  }

  async #attempt(): Promise<void> {
    const signal = this.#signal;
    const writer = new ChunkWriter(this.queue, this.#id, signal);
    this.#writer = writer;
    const attempt: Attempt = { writer };
    const { thread } = this.#run;
    const classifier = this.#run.classifier();
    const tasks = new Map<string, string>();
    let outcome: RunOutcome = 'cut';
    try {
      const held = this.#run.hold?.(signal);
      if (held) await held;
      if (signal.aborted) return;
      // the caller's turn is over once the hold ends: from here on, silence counts
      this.#deadline.start();
      this.#gap.start();
      // built once: a retry sends the same input, from the same checkpoint (thread.startAttempt)
      this.#input ??= this.#run.input();
      const input = await this.#input;
      const runSignals = [signal, this.#deadline.signal, this.#gap.signal];
      if (this.#run.signal) runSignals.push(this.#run.signal);
      const stream = await this.#run.graph.stream(input, {
        ...forkedFrom(this.#run.options, thread?.startAttempt()),
        signal: AbortSignal.any(runSignals),
      });
      let paused = false;
      for await (const part of stream) {
        if (signal.aborted) return;
        trackTask(part, tasks);
        if (thread) trackCheckpoint(part, thread);
        const events = classifier.classify(part);
        for (let i = 0; i < events.length; i++) {
          paused = this.#handle(events[i] as StreamEvent, attempt) || paused;
        }
      }
      if (signal.aborted) return;
      for (const event of classifier.finish()) this.#handle(event, attempt);
      writer.finish();
      outcome = paused ? 'paused' : 'done';
    } catch (error) {
      if (signal.aborted) return;
      writer.finish();
      const running = [...tasks.values()].at(-1);
      if (this.#deadline.expired) throw deadlineError(this.#deadline.ms, running);
      if (this.#gap.expired) throw gapError(this.#gap.ms, running);
      throw error instanceof GraphRunError ? error : graphError(error, tasks, !writer.emitted);
    } finally {
      writer.close();
      thread?.endAttempt({
        outcome,
        spoken: writer.spoken,
        ...(attempt.end && { end: attempt.end }),
      });
    }
  }

  /** Acts on one event; returns whether it paused the run on `interrupt()`. */
  #handle(event: StreamEvent, attempt: Attempt): boolean {
    const { writer } = attempt;
    switch (event.kind) {
      case 'interrupt':
        if (!this.#run.pausable) {
          throw new GraphRunError(INTERRUPT_NEEDS_LATEST, false, {});
        }
        if (event.prompt) {
          writer.prompt(event.prompt);
        } else {
          log().warn(
            { interrupt: event.id },
            'the graph called interrupt() with nothing to say: pass a string or { question }, or the caller hears silence',
          );
        }
        return true;
      case 'text':
        if (event.custom) writer.custom(event.text);
        else writer.text(event.text, event.messageId);
        break;
      case 'muted':
        log().warn({ node: event.node }, MUTED);
        break;
      case 'usage':
        writer.usage(event.usage);
        break;
      case 'action': {
        const end = putCallAction(event.action, writer, this.toolCtx, this.#run.unavailable);
        if (end) attempt.end = end;
        this.#ending ||= end !== undefined;
        break;
      }
    }
    return false;
  }
}

/** Waits `ms`, or less when `signal` aborts (then it resolves: an abort is not an error here). */
async function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0) return;
  await sleepFor(ms, undefined, { signal }).catch(() => undefined);
}
