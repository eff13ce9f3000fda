import { describe, expect, it } from 'vitest';
import { addSpoken, type SpokenPiece, takeWords, wordsOf } from '../../src/memory/spoken.js';

describe('addSpoken', () => {
  it('merges text from the same message and keeps sources apart', () => {
    const pieces: SpokenPiece[] = [];
    addSpoken(pieces, 'Hel', 'a');
    addSpoken(pieces, 'lo.', 'a');
    addSpoken(pieces, ' Hold on.', undefined);
    addSpoken(pieces, ' Found', undefined);
    expect(pieces).toEqual([
      { messageId: 'a', text: 'Hello.' },
      { messageId: undefined, text: ' Hold on.' },
      { messageId: undefined, text: ' Found' },
    ]);
  });
});

describe('wordsOf', () => {
  it.each([
    ['**Sure!** 😀 Your order', 'sureyourorder'],
    ['Order  #12-B', 'order12b'],
    ['Ça coûte 5 €', 'çacoûte5'],
  ])('keeps the letters and digits of %j', (text, words) => {
    expect(wordsOf(text)).toBe(words);
  });
});

describe('takeWords', () => {
  it('takes text up to the budget, keeping what stands between the words', () => {
    const budget = { left: 10 };
    expect(takeWords('Let me check.', budget)).toBe('Let me check.');
    expect(budget.left).toBe(0);
    const short = { left: 5 };
    expect(takeWords('Let me check.', short)).toBe('Let me ');
    expect(short.left).toBe(0);
  });

  it('takes nothing from an empty budget and all of a short text', () => {
    expect(takeWords('Hello', { left: 0 })).toBe('');
    const budget = { left: 10 };
    expect(takeWords('Hi!', budget)).toBe('Hi!');
    expect(budget.left).toBe(8);
  });
});
