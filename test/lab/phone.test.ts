/**
 * The phone side of the lab (lab/sip/phone.ts): WAV files as baresip reads and writes them, and
 * the lab's words in a phone's recording — read back whole, also when the line broke a word up,
 * detuned a piece of it or replayed its start, while the last word keeps the length it arrived
 * with (the drain's figures depend on it).
 */
import { describe, expect, it } from 'vitest';
import * as say from '../../lab/agent/lines.js';
import { PHONE_RATE, phoneWords, samplesOf, wav } from '../../lab/sip/phone.js';
import {
  joinSamples,
  lineAudio,
  nameWords,
  toneOf,
  WORD_MS,
  wordAudio,
  wordsOf,
} from '../../lab/voice/tones.js';

const spoken = (text: string) => lineAudio(text, PHONE_RATE);
const ms = (n: number) => (n * PHONE_RATE) / 1000;
const silence = (n: number) => new Int16Array(ms(n));

describe('phone recordings', () => {
  it('a WAV file round-trips, also one still being written (no data size yet)', () => {
    const samples = spoken('hello');
    expect(samplesOf(wav(samples))).toEqual(samples);
    const writing = wav(samples);
    writing.writeUInt32LE(0, 40);
    expect(samplesOf(writing)).toEqual(samples);
  });

  it('hears a sentence whole and in order', () => {
    const words = wordsOf(say.GOODBYE);
    const heard = phoneWords(spoken(say.GOODBYE));
    expect(nameWords(heard, words)).toEqual(words);
    expect(heard.map((w) => w.ms)).toEqual(words.map(() => WORD_MS));
  });

  it('joins a word the jitter buffer broke in two, and drops a replayed start', () => {
    const hello = wordAudio('hello', PHONE_RATE);
    const replayed = joinSamples([hello.subarray(0, ms(30)), silence(120), spoken('hello how')]);
    const broken = joinSamples([
      hello.subarray(0, ms(70)),
      silence(30),
      hello.subarray(ms(70)),
      spoken('how'),
    ]);
    for (const recording of [replayed, broken]) {
      expect(nameWords(phoneWords(recording), ['hello', 'how'])).toEqual(['hello', 'how']);
    }
  });

  it('keeps the last word as long as it arrived: a goodbye cut by the hangup', () => {
    const cut = spoken(say.GOODBYE).subarray(0, -ms(GAP_AND_TAIL));
    const heard = phoneWords(cut);
    expect(heard.at(-1)?.tone).toBe(toneOf('goodbye'));
    expect(heard.at(-1)?.ms).toBe(WORD_MS - 60);
  });

  it('no line a phone hears puts two words of neighbouring tones side by side', () => {
    const phoneLines = [
      say.GREETING,
      say.ONE_MOMENT,
      say.ORDER_ANSWER,
      say.GOODBYE,
      say.CONNECTING,
      say.LINE_BUSY,
      say.LONG_ANSWER,
      say.SENDING_KEYS,
      say.PIN_QUESTION,
      say.pinAccepted(say.KEYS_IN),
      say.HOLD_ON,
      say.BRIEFING,
      say.NOT_CONNECTED,
      say.PERSON_HELLO,
    ];
    for (const line of phoneLines) {
      const tones = wordsOf(line).map(toneOf);
      for (const [i, tone] of tones.slice(1).entries()) {
        expect(
          Math.abs(tone - (tones[i] ?? -9)),
          `${line}: words ${i} and ${i + 1}`,
        ).toBeGreaterThan(1);
      }
    }
  });
});

/** The gap after the last word plus 60 ms of the word itself. */
const GAP_AND_TAIL = 80 + 60;
