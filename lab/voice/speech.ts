/**
 * The caller's voice: real speech made offline by espeak-ng (Debian `espeak-ng`), resampled to
 * 48 kHz, cached by text. Silero VAD hears it as speech; the lab's STT does not need to
 * understand it (each utterance is the next line of the script).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CACHE_DIR } from '../build.js';
import { SAMPLE_RATE } from './tones.js';

/** Mono samples of `text` spoken by espeak-ng, at `rate` (48 kHz for WebRTC, 8 kHz for a phone). */
export function speechOf(text: string, rate = SAMPLE_RATE): Int16Array {
  const dir = join(CACHE_DIR, 'speech');
  const file = join(
    dir,
    `${createHash('sha256').update(text).digest('hex').slice(0, 16)}-${rate}.raw`,
  );
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    const wav = `${file}.${process.pid}.wav`;
    try {
      execFileSync('espeak-ng', ['-v', 'en-us', '-s', '150', '-w', wav, text], { stdio: 'pipe' });
    } catch (error) {
      const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
      throw new Error(
        missing
          ? 'lab: espeak-ng not found — the caller’s speech is made with it (Debian: apt-get install espeak-ng)'
          : `lab: espeak-ng failed: ${(error as Error).message}`,
      );
    }
    const samples = resample(readWav(readFileSync(wav)), rate);
    writeFileSync(`${file}.tmp`, Buffer.from(samples.buffer));
    renameSync(`${file}.tmp`, file);
  }
  const raw = readFileSync(file);
  return new Int16Array(raw.buffer, raw.byteOffset, raw.byteLength / 2);
}

interface Pcm {
  rate: number;
  samples: Int16Array;
}

/** The mono 16-bit PCM of a WAV file. */
function readWav(wav: Buffer): Pcm {
  let offset = 12;
  let rate = 0;
  while (offset + 8 <= wav.length) {
    const id = wav.toString('ascii', offset, offset + 4);
    const size = wav.readUInt32LE(offset + 4);
    if (id === 'fmt ') rate = wav.readUInt32LE(offset + 12);
    if (id === 'data') {
      const bytes = wav.subarray(offset + 8, Math.min(wav.length, offset + 8 + size));
      const samples = new Int16Array(bytes.length >> 1);
      for (let i = 0; i < samples.length; i++) samples[i] = bytes.readInt16LE(i * 2);
      return { rate, samples };
    }
    offset += 8 + size + (size & 1);
  }
  throw new Error('lab: espeak-ng wrote a WAV file without audio');
}

/** Linear resampling to `to` Hz: plenty for a VAD. */
function resample({ rate, samples }: Pcm, to: number): Int16Array {
  const out = new Int16Array(Math.floor((samples.length * to) / rate));
  for (let i = 0; i < out.length; i++) {
    const at = (i * rate) / to;
    const left = Math.floor(at);
    const a = samples[left] ?? 0;
    const b = samples[left + 1] ?? a;
    out[i] = Math.round(a + (b - a) * (at - left));
  }
  return out;
}
