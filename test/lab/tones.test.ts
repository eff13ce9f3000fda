/**
 * The lab's word tones (lab/voice/tones.ts): what the tone TTS plays, the caller's decoder reads
 * back, word for word — also when a jitter buffer broke a word up with near-silence.
 */
import { describe, expect, it } from 'vitest';
import {
  hearWords,
  lineAudio,
  nameWords,
  SAMPLE_RATE,
  toneOf,
  WORD_MS,
  wordAudio,
  wordsOf,
} from '../../lab/voice/tones.js';

const spoken = (text: string) => lineAudio(text);

describe('lab word tones', () => {
  it('hears every word of a sentence, whole and in order', () => {
    const words = wordsOf('Thank you for calling, goodbye!');
    const heard = hearWords(spoken('Thank you for calling, goodbye!'));
    expect(heard.map((w) => w.tone)).toEqual(words.map(toneOf));
    expect(heard.every((w) => Math.abs(w.ms - WORD_MS) <= 10)).toBe(true);
    expect(nameWords(heard, words)).toEqual(words);
  });

  it('hears a word broken up by silence as one word, and a repeated word as two', () => {
    const word = wordAudio('hello');
    const tone = (WORD_MS * SAMPLE_RATE) / 1000;
    const broken = new Int16Array(word.length + SAMPLE_RATE); // a second of silence inside
    broken.set(word.subarray(0, tone / 2));
    broken.set(word.subarray(tone / 2), tone / 2 + SAMPLE_RATE);
    expect(hearWords(broken).map((w) => w.tone)).toEqual([toneOf('hello')]);
    expect(hearWords(spoken('hello hello')).map((w) => w.tone)).toEqual([
      toneOf('hello'),
      toneOf('hello'),
    ]);
  });

  it('names a tone it does not expect by the vocabulary, else by its number', () => {
    const heard = hearWords(spoken('order shipped'));
    expect(nameWords(heard, ['order'], ['order', 'shipped'])).toEqual(['order', 'shipped']);
    expect(nameWords(heard, ['order'])).toEqual(['order', `tone${toneOf('shipped')}`]);
  });
});
