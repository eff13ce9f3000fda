/**
 * `ChunkWriter`: how one graph run's output becomes `llm.ChatChunk`s in the stream's queue.
 */
import { type llm, log } from '@livekit/agents';
import type { TokenUsage } from '../graph/message-fields.js';
import { addSpoken, type SpokenPiece } from '../memory/spoken.js';
import { WordSpacer } from './word-spacing.js';

/** The source of custom-stream text: all custom writes of a run are one source. */
const CUSTOM_STREAM = Symbol('custom stream');

/** How many text parts are merged into one chunk at most, when the graph never yields to the event loop. */
const MAX_PARTS_PER_CHUNK = 64;

/**
 * Puts chunks into the stream's queue: the first text at once (time to first token), then text
 * merged until the event loop turns or {@link MAX_PARTS_PER_CHUNK} parts piled up, since every
 * chunk costs two queue hops downstream. Puts nothing once the stream is aborted.
 */
export class ChunkWriter {
  /** All text this attempt produced, in order, per source message. */
  readonly spoken: SpokenPiece[] = [];
  /** Whether anything the caller can hear or that acts (text, a function call) was put. */
  emitted = false;
  /** `performance.now()` when the last such chunk was put; `undefined` before the first. */
  lastOutputAt: number | undefined;
  #pending = '';
  #pendingParts = 0;
  #flushScheduled = false;
  #closed = false;
  #usage: TokenUsage | undefined;
  readonly #spacer = new WordSpacer();

  constructor(
    private readonly queue: { put(chunk: llm.ChatChunk): void },
    private readonly id: string,
    private readonly signal: AbortSignal,
  ) {}

  /** Puts `text` from the AI message `messageId` (none: a message without id). */
  text(text: string, messageId?: string): void {
    this.#text(this.#spacer.spaced(text, messageId ?? Symbol('message')), messageId);
  }

  /** Puts text the graph wrote to its custom stream, cut to {@link MAX_CUSTOM_WRITE_CHARS}. */
  custom(text: string): void {
    this.#text(this.#spacer.spaced(capCustomWrite(text), CUSTOM_STREAM), undefined);
  }

  /** Puts the prompt of an `interrupt()`: a source of its own. */
  prompt(text: string): void {
    this.#text(this.#spacer.spaced(text, Symbol('prompt')), undefined);
  }

  #text(text: string, messageId: string | undefined): void {
    addSpoken(this.spoken, text, messageId);
    if (!this.emitted) {
      this.#put({ id: this.id, delta: { role: 'assistant', content: text } });
      return;
    }
    this.#pending += text;
    if (++this.#pendingParts >= MAX_PARTS_PER_CHUNK) {
      this.flush();
    } else if (!this.#flushScheduled) {
      this.#flushScheduled = true;
      setImmediate(() => {
        this.#flushScheduled = false;
        if (!this.#closed) this.flush();
      });
    }
  }

  /** Puts a function call, after the text before it. */
  toolCall(call: llm.FunctionCall): void {
    this.flush();
    this.#put({ id: this.id, delta: { role: 'assistant', toolCalls: [call] } });
  }

  /** Adds one model call's token usage to the run's sum, put by {@link finish}. */
  usage(usage: TokenUsage): void {
    const sum = this.#usage;
    this.#usage = sum
      ? {
          inputTokens: sum.inputTokens + usage.inputTokens,
          outputTokens: sum.outputTokens + usage.outputTokens,
          totalTokens: sum.totalTokens + usage.totalTokens,
          cachedInputTokens: sum.cachedInputTokens + usage.cachedInputTokens,
          cacheCreationTokens: sum.cacheCreationTokens + usage.cacheCreationTokens,
        }
      : usage;
  }

  /** Puts the text merged so far. */
  flush(): void {
    if (this.#pending === '') return;
    const content = this.#pending;
    this.#pending = '';
    this.#pendingParts = 0;
    this.#put({ id: this.id, delta: { role: 'assistant', content } });
  }

  /** Puts what is pending and the run's token usage. */
  finish(): void {
    this.flush();
    const usage = this.#usage;
    if (usage) {
      this.#put({
        id: this.id,
        usage: {
          promptTokens: usage.inputTokens,
          completionTokens: usage.outputTokens,
          totalTokens: usage.totalTokens,
          promptCachedTokens: usage.cachedInputTokens,
          cacheCreationTokens: usage.cacheCreationTokens,
        },
      });
    }
  }

  /** Puts nothing more, even from a flush already scheduled. */
  close(): void {
    this.#closed = true;
  }

  #put(chunk: llm.ChatChunk): void {
    if (this.#closed || this.signal.aborted) return;
    if (chunk.delta) {
      this.emitted = true;
      this.lastOutputAt = performance.now();
    }
    this.queue.put(chunk);
  }
}

/**
 * The most one custom-stream write may put into TTS: about two minutes of speech. A node that
 * writes a whole document to the stream (1 MB was seen spoken as one message) would otherwise
 * hold the line for an hour; token deltas are far below it.
 */
export const MAX_CUSTOM_WRITE_CHARS = 2_000;

/** `text` cut to {@link MAX_CUSTOM_WRITE_CHARS}, with a warning that says so. */
function capCustomWrite(text: string): string {
  if (text.length <= MAX_CUSTOM_WRITE_CHARS) return text;
  log().warn(
    { length: text.length, kept: MAX_CUSTOM_WRITE_CHARS },
    'a custom-stream write was too long to speak and was cut: write token deltas, or say less',
  );
  return text.slice(0, MAX_CUSTOM_WRITE_CHARS);
}
