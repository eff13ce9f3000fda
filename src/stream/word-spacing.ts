/**
 * Spacing between text from different sources, so TTS does not read "Let me check." and
 * "It shipped." as "check.It". Pure.
 */
import { isSpace } from '../graph/message-fields.js';

/**
 * Puts a space where text from a new source would run into the previous word. A source is one
 * AI message, the custom stream (consecutive custom writes are token deltas, joined exactly as
 * written, as LiveKit's Python adapter does), or one `interrupt()` prompt.
 */
export class WordSpacer {
  #lastSource: unknown;
  #lastEndsWord = true;

  /** `text` from `source` (compared by identity), with a leading space when it needs one. */
  spaced(text: string, source: unknown): string {
    if (!text) return text;
    const spaced =
      source !== this.#lastSource && !this.#lastEndsWord && !isSpace(text.charCodeAt(0))
        ? ` ${text}`
        : text;
    this.#lastSource = source;
    this.#lastEndsWord = isSpace(text.charCodeAt(text.length - 1));
    return spaced;
  }
}
