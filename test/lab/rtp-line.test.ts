/**
 * The sipp caller's audio (lab/sip/rtp-line.ts): G.711 μ-law both ways, a recording that places
 * packets by their RTP timestamp (late or reordered ones included), and speech sent back to where
 * the bridge's audio came from, in 20 ms PCMU packets.
 */
import { createSocket } from 'node:dgram';
import { describe, expect, it } from 'vitest';
import { PHONE_RATE, phoneWords } from '../../lab/sip/phone.js';
import { fromMulaw, RtpLine, toMulaw } from '../../lab/sip/rtp-line.js';
import { nameWords, wordAudio, wordsOf } from '../../lab/voice/tones.js';

const packet = (sequence: number, timestamp: number, samples: Int16Array, payloadType = 0) => {
  const out = Buffer.alloc(12 + samples.length);
  out[0] = 0x80;
  out[1] = payloadType;
  out.writeUInt16BE(sequence, 2);
  out.writeUInt32BE(timestamp >>> 0, 4);
  out.writeUInt32BE(42, 8);
  samples.forEach((sample, i) => {
    out[12 + i] = toMulaw(sample);
  });
  return out;
};

describe('G.711 μ-law', () => {
  it.each([0, 1, -1, 100, -100, 1_000, -5_000, 20_000, -32_768, 32_767])(
    '%d survives encoding within its step',
    (sample) => {
      const back = fromMulaw(toMulaw(sample));
      // the step grows with the magnitude: 1/16 of it, at least 8
      expect(Math.abs(back - sample)).toBeLessThanOrEqual(Math.max(8, Math.abs(sample) / 16));
    },
  );

  it('encodes silence as 0xff, as phones send it', () => {
    expect(toMulaw(0)).toBe(0xff);
  });
});

describe('RtpLine', () => {
  it('records by timestamp, answers where the audio came from, and speaks what it is told', async () => {
    const line = await RtpLine.open(0);
    const bridge = createSocket('udp4');
    await new Promise<void>((resolve) => bridge.bind(0, '127.0.0.1', resolve));
    const { port } = line;
    const received: Buffer[] = [];
    bridge.on('message', (message) => received.push(message));
    try {
      const words = wordsOf('connecting you now');
      const audio = new Int16Array(words.length * 3_200);
      words.forEach((word, i) => {
        audio.set(wordAudio(word, PHONE_RATE), i * 3_200);
      });
      const frames = Array.from({ length: audio.length / 160 }, (_, i) =>
        packet(i, 1_000 + i * 160, audio.subarray(i * 160, (i + 1) * 160)),
      );
      // after the first, every pair swapped: a late packet lands where its timestamp says
      const order = frames.map((_, i) => frames[i === 0 ? 0 : i % 2 ? i + 1 : i - 1] ?? frames[i]);
      expect(new Set(order).size).toBe(frames.length);
      // a telephone-event packet is not audio
      order.push(packet(999, 1_000, new Int16Array(4).fill(5_000), 101));
      for (const frame of order) bridge.send(frame as Buffer, port, '127.0.0.1');
      const speech = wordAudio('hello', PHONE_RATE);
      line.speak(speech);
      await expect.poll(() => line.recording().length, { timeout: 5_000 }).toBe(audio.length);
      expect(nameWords(phoneWords(line.recording()), words)).toEqual(words);
      await expect
        .poll(() => received.length * 160, { timeout: 5_000 })
        .toBeGreaterThan(speech.length);
      expect(received.every((p) => p.length === 172 && ((p[1] as number) & 0x7f) === 0)).toBe(true);
      const sent = new Int16Array(received.length * 160);
      received.forEach((p, i) => {
        for (let j = 0; j < 160; j++) sent[i * 160 + j] = fromMulaw(p[12 + j] as number);
      });
      expect(nameWords(phoneWords(sent), ['hello'])).toEqual(['hello']);
    } finally {
      line.close();
      bridge.close();
    }
  });
});
