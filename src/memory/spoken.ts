/**
 * What a run said, per source message, and how it is compared with what LiveKit says the caller
 * heard. Pure.
 */

/** Text a run said, with the id of the AI message it came from (none for custom writes and prompts). */
export interface SpokenPiece {
  messageId: string | undefined;
  text: string;
}

/** All the text of `pieces`, in order. */
export function spokenTextOf(pieces: readonly SpokenPiece[]): string {
  return pieces.map((piece) => piece.text).join('');
}

/** Appends `text` to `pieces`, merging it into the last piece when it comes from the same message. */
export function addSpoken(
  pieces: SpokenPiece[],
  text: string,
  messageId: string | undefined,
): void {
  const last = pieces.at(-1);
  if (last && messageId !== undefined && last.messageId === messageId) last.text += text;
  else pieces.push({ messageId, text });
}

/**
 * The letters and digits of `text`, lower-cased: what LiveKit keeps of an answer and what the
 * graph said are compared on these alone, since LiveKit may space them differently and a TTS
 * text transform may have dropped markdown, emoji or punctuation.
 */
export const wordsOf = (text: string): string => text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');

const WORD_CHAR = /[\p{L}\p{N}]/u;

/**
 * The start of `text` that fits in `budget.left` letters and digits (punctuation and spaces
 * between them come along); takes what it used from the budget.
 */
export function takeWords(text: string, budget: { left: number }): string {
  if (budget.left <= 0) return '';
  let taken = 0;
  let offset = 0;
  for (const char of text) {
    if (WORD_CHAR.test(char)) {
      if (taken === budget.left) {
        budget.left = 0;
        return text.slice(0, offset);
      }
      taken++;
    }
    offset += char.length;
  }
  budget.left -= taken;
  return text;
}
