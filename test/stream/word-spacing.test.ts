import { describe, expect, it } from 'vitest';
import { WordSpacer } from '../../src/stream/word-spacing.js';

describe('WordSpacer', () => {
  it('joins text of one source exactly, as written', () => {
    const spacer = new WordSpacer();
    expect(['Hel', 'lo', ' there'].map((text) => spacer.spaced(text, 'custom'))).toEqual([
      'Hel',
      'lo',
      ' there',
    ]);
  });

  it('spaces a new source that would run into the last word', () => {
    const spacer = new WordSpacer();
    expect(spacer.spaced('Let me check.', 'a')).toBe('Let me check.');
    expect(spacer.spaced('It shipped.', 'b')).toBe(' It shipped.');
    expect(spacer.spaced('\nBye.', 'c')).toBe('\nBye.');
    expect(spacer.spaced('Really.', 'd')).toBe(' Really.');
  });

  it('does not space after text that ended with a space, or before the first text', () => {
    const spacer = new WordSpacer();
    expect(spacer.spaced('One moment. ', 'a')).toBe('One moment. ');
    expect(spacer.spaced('Found it.', 'b')).toBe('Found it.');
  });

  it('lets empty text change nothing', () => {
    const spacer = new WordSpacer();
    spacer.spaced('Hi.', 'a');
    expect(spacer.spaced('', 'b')).toBe('');
    expect(spacer.spaced('Bye.', 'c')).toBe(' Bye.');
  });
});
