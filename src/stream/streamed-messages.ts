/**
 * What one run has streamed of each AI message, so a message is spoken once and completely.
 *
 * A node that returns a streamed message makes LangGraph emit it again whole; and LangGraph.js
 * 1.7 hands `messages` tokens to LangChain's background callback queue, which one process shares
 * between all runs, so under load the last tokens of an answer can come after the node finished
 * (or never; inline-tokens.ts links the cause). The whole message (in `messages` or the node's `updates` part) says what the caller
 * has not heard yet.
 */
import type { Dict } from '../graph/message-fields.js';

/** Per-run state of streamed AI messages, by message id. */
export class StreamedMessages {
  /** Messages with at least one part seen in this run. */
  readonly #seen = new Set<string>();
  /** The text spoken so far of each message from a node that speaks. */
  readonly #spoken = new Map<string, string>();
  /** Messages whose whole version has been seen: later chunks of them are stale. */
  readonly #completed = new Set<string>();
  /** Whole messages from `updates` whose chunks have not come (yet). */
  readonly #waiting = new Map<string, Dict>();
  readonly #usageReported = new Set<string>();

  /** Whether a part of message `id` was seen. */
  has(id: string): boolean {
    return this.#seen.has(id);
  }

  /** Records that a part of message `id` was seen. */
  see(id: string): void {
    this.#seen.add(id);
  }

  /** Records that message `id`, from a node that speaks, said `text`. */
  said(id: string, text: string): void {
    this.#spoken.set(id, (this.#spoken.get(id) ?? '') + text);
  }

  /**
   * Marks message `id` complete, given its whole text; returns what of it was not spoken yet,
   * `''` when nothing is missing, or `undefined` when it was already complete.
   */
  complete(id: string, wholeText: string): string | undefined {
    if (this.#completed.has(id)) return undefined;
    this.#completed.add(id);
    const spoken = this.#spoken.get(id);
    // a silent node's message, or one a node rewrote after streaming it, adds nothing to say
    if (spoken === undefined || !wholeText.startsWith(spoken)) return '';
    return wholeText.slice(spoken.length);
  }

  /** Whether the whole version of message `id` has been seen. */
  isComplete(id: string): boolean {
    return this.#completed.has(id);
  }

  /** Keeps a whole message from an update until a chunk shows it was streamed in this run. */
  hold(id: string, message: Dict): void {
    this.#waiting.set(id, message);
  }

  /** The whole message held for `id`, if its node finished before its first chunk came. */
  held(id: string): Dict | undefined {
    return this.#waiting.get(id);
  }

  /** Whether usage of message `id` is yet to be reported (a message reports it once). */
  firstUsage(id: string | undefined): boolean {
    if (id === undefined) return true;
    if (this.#usageReported.has(id)) return false;
    this.#usageReported.add(id);
    return true;
  }
}
