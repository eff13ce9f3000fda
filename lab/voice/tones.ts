/**
 * The lab's spoken words, as tones: each word is a tone of its own frequency, so the receiving
 * side can tell which words reached it (and how much of each) by frequency analysis, with no
 * speech recognizer. A word's tone comes from a hash of the word over 96 frequencies 50 Hz apart
 * 31.25 Hz apart (300–3,269 Hz: inside a telephone line's band, so a SIP phone on PCMU hears them
 * too, and inside what Opus carries); words are separated by silence.
 */

/** Sample rate of everything the lab plays and records. */
export const SAMPLE_RATE = 48_000;
/** One word's tone. */
export const WORD_MS = 160;
/** Silence after each word (the receiver splits words on it). */
export const GAP_MS = 80;

const TONES = 96;
const LOWEST_HZ = 300;
const STEP_HZ = 31.25;
const AMPLITUDE = 9_000;
const FADE_MS = 5;

/** The words of a text as the lab speaks them: lower case, punctuation dropped. */
export function wordsOf(text: string): string[] {
  return text
    .toLowerCase()
    .split(/\s+/)
    .map((word) => word.replace(/[^a-z0-9']/g, ''))
    .filter(Boolean);
}

/** The tone (0…95) that stands for `word`: FNV-1a of the word. */
export function toneOf(word: string): number {
  let hash = 0x811c9dc5;
  for (const char of word) {
    hash ^= char.charCodeAt(0);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % TONES;
}

const hzOf = (tone: number) => LOWEST_HZ + STEP_HZ * tone;
const samplesOf = (ms: number, rate = SAMPLE_RATE) => Math.round((rate * ms) / 1000);

/** The audio of one word at `rate`: its tone with short fades (no clicks), then the gap. */
export function wordAudio(word: string, rate = SAMPLE_RATE): Int16Array {
  const tone = samplesOf(WORD_MS, rate);
  const fade = samplesOf(FADE_MS, rate);
  const out = new Int16Array(tone + samplesOf(GAP_MS, rate));
  const step = (2 * Math.PI * hzOf(toneOf(word))) / rate;
  for (let i = 0; i < tone; i++) {
    const envelope = Math.min(1, i / fade, (tone - 1 - i) / fade);
    out[i] = Math.round(AMPLITUDE * envelope * Math.sin(step * i));
  }
  return out;
}

/** The audio of a line at `rate`: its words one after the other (a phone speaking the lab's words). */
export const lineAudio = (text: string, rate = SAMPLE_RATE): Int16Array =>
  joinSamples(wordsOf(text).map((word) => wordAudio(word, rate)));

/** Pieces of audio one after the other. */
export function joinSamples(parts: readonly Int16Array[]): Int16Array {
  const out = new Int16Array(parts.reduce((n, part) => n + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** A word as received: its tone, when it started and ended, and how much of it arrived. */
export interface HeardWord {
  tone: number;
  /** Index of its first and one past its last sample in the recording. */
  start: number;
  end: number;
  /** Milliseconds of tone received (WORD_MS when it arrived whole). */
  ms: number;
}

/** A block louder than this (RMS) carries a tone; Opus' noise floor is far below. */
const ACTIVE_RMS = 1_500;

/** Quiet blocks that end a word: the gap is 80 ms; a receiver's jitter buffer may drop 30 ms. */
const QUIET_BLOCKS = 5;

/**
 * Splits a recording into words: runs of loud 10 ms blocks separated by at least 50 ms of quiet,
 * each named by the strongest tone (Goertzel over the run). Runs of the same tone that together
 * fit in one word's length are one word broken up by the receiver's jitter buffer (it conceals
 * late packets with near-silence: at the start of a stream, and whenever the sender's process is
 * starved of CPU).
 */
export function hearWords(
  samples: Int16Array,
  cache: Map<string, number> = new Map(),
  rate = SAMPLE_RATE,
): HeardWord[] {
  // analysis blocks of 10 ms
  const BLOCK = rate / 100;
  const words: HeardWord[] = [];
  let start = -1;
  let quiet = 0;
  const close = (end: number) => {
    if (end - start >= 2 * BLOCK) {
      const key = `${start}:${end}`;
      const tone = cache.get(key) ?? strongestTone(samples.subarray(start, end), rate);
      cache.set(key, tone);
      words.push({ tone, start, end, ms: ((end - start) / rate) * 1000 });
    }
    start = -1;
  };
  for (let block = 0; block + BLOCK <= samples.length; block += BLOCK) {
    const loud = rms(samples.subarray(block, block + BLOCK)) > ACTIVE_RMS;
    if (loud) {
      if (start < 0) start = block;
      quiet = 0;
    } else if (start >= 0 && ++quiet >= QUIET_BLOCKS) {
      close(block - (quiet - 1) * BLOCK);
    }
  }
  if (start >= 0) close(samples.length - quiet * BLOCK);
  return mergeBroken(words);
}

function mergeBroken(words: HeardWord[]): HeardWord[] {
  const merged: HeardWord[] = [];
  for (const word of words) {
    const last = merged.at(-1);
    // two words of one tone carry 2 × WORD_MS of it, pieces of one word about WORD_MS (a jitter
    // buffer that stretches what it plays may add a little)
    if (last && last.tone === word.tone && last.ms + word.ms <= WORD_MS * 1.5) {
      merged[merged.length - 1] = { ...last, end: word.end, ms: last.ms + word.ms };
    } else {
      merged.push(word);
    }
  }
  return merged;
}

/**
 * The heard words named after the words the test expects: a tone at position i is named
 * `expected[i]` when it is that word's tone (two words may share a tone), else the first word of
 * `vocabulary` with that tone, else `tone<N>` — so a test compares word lists and a failure reads
 * as words.
 */
export function nameWords(
  heard: readonly { tone: number }[],
  expected: readonly string[],
  vocabulary: readonly string[] = expected,
): string[] {
  return heard.map(({ tone }, i) => {
    const here = expected[i];
    if (here !== undefined && toneOf(here) === tone) return here;
    return vocabulary.find((word) => toneOf(word) === tone) ?? `tone${tone}`;
  });
}

function rms(block: Int16Array): number {
  let sum = 0;
  for (const s of block) sum += s * s;
  return Math.sqrt(sum / block.length);
}

function strongestTone(samples: Int16Array, rate: number): number {
  let best = 0;
  let bestPower = -1;
  for (let tone = 0; tone < TONES; tone++) {
    const power = goertzel(samples, hzOf(tone), rate);
    if (power > bestPower) {
      bestPower = power;
      best = tone;
    }
  }
  return best;
}

function goertzel(samples: Int16Array, hz: number, rate: number): number {
  const coeff = 2 * Math.cos((2 * Math.PI * hz) / rate);
  let s1 = 0;
  let s2 = 0;
  for (const x of samples) {
    const s0 = x + coeff * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  return s1 * s1 + s2 * s2 - coeff * s1 * s2;
}
