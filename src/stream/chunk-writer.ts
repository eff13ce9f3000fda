/**
 * `ChunkWriter`: how one graph run's output becomes `llm.ChatChunk`s in the stream's queue.
 */
import type { llm } from '@livekit/agents';
import type { TokenUsage } from '../graph/message-fields.js';
import { addSpoken, type SpokenPiece } from '../memory/spoken.js';

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
  #pending = '';
  #pendingParts = 0;
  #flushScheduled = false;
  #closed = false;
  #usage: TokenUsage | undefined;

  constructor(
    private readonly queue: { put(chunk: llm.ChatChunk): void },
    private readonly id: string,
    private readonly signal: AbortSignal,
  ) {}

  /** Puts `text`, which came from the AI message `messageId` (none for custom writes and prompts). */
  text(text: string, messageId?: string): void {
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

  toolCall(call: llm.FunctionCall): void {
    this.flush();
    this.#put({ id: this.id, delta: { role: 'assistant', toolCalls: [call] } });
  }

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

  close(): void {
    this.#closed = true;
  }

  #put(chunk: llm.ChatChunk): void {
    if (this.#closed || this.signal.aborted) return;
    if (chunk.delta) this.emitted = true;
    this.queue.put(chunk);
  }
}
