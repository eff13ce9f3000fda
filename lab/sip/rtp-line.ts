/**
 * The audio end of a lab caller whose signalling is sipp's (sipp-caller.ts): one UDP socket that
 * sends PCMU RTP every 20 ms — silence, or the caller's speech when told — and records the PCMU it
 * receives, placed by RTP timestamp, as a phone's recording (8 kHz mono). It sends to where the
 * bridge's audio comes from (livekit-sip sends and receives on one port), so it says nothing until
 * the bridge spoke first.
 */
import { createSocket, type Socket } from 'node:dgram';
import { PHONE_RATE } from './phone.js';

/** Samples per 20 ms packet at 8 kHz. */
const FRAME = 160;
const FRAME_MS = 20;
/** At most this many late packets are sent at once when the event loop fell behind. */
const MAX_CATCH_UP = 5;
const PCMU = 0;
const RTP_HEADER = 12;
/** The longest recording kept, in samples (10 minutes: longer than any lab call). */
const MAX_RECORDING = PHONE_RATE * 600;

/** A running RTP line on 127.0.0.1. */
export class RtpLine {
  readonly #socket: Socket;
  readonly #ssrc = (Math.random() * 0xffffffff) >>> 0;
  #remote: { address: string; port: number } | undefined;
  #timer: NodeJS.Timeout | undefined;
  #startedAt = 0;
  #sent = 0;
  #speech = new Int16Array(0);
  #spoken = 0;
  #recording = new Int16Array(PHONE_RATE * 10);
  #recorded = 0;
  #firstTimestamp: number | undefined;

  private constructor(socket: Socket) {
    this.#socket = socket;
    socket.on('message', (packet, from) => this.#receive(packet, from));
  }

  /** Binds 127.0.0.1:`port`. */
  static async open(port: number): Promise<RtpLine> {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(port, '127.0.0.1', () => {
        socket.off('error', reject);
        resolve();
      });
    });
    return new RtpLine(socket);
  }

  /** Speaks `samples` (8 kHz mono) now, after whatever is still being spoken. */
  speak(samples: Int16Array): void {
    const rest = this.#speech.subarray(this.#spoken);
    const next = new Int16Array(rest.length + samples.length);
    next.set(rest);
    next.set(samples, rest.length);
    this.#speech = next;
    this.#spoken = 0;
  }

  /** The local UDP port (what the SDP offers). */
  get port(): number {
    return this.#socket.address().port;
  }

  /** Whether the bridge's audio has arrived (the line sends only once it has). */
  get connected(): boolean {
    return this.#remote !== undefined;
  }

  /** What the line heard so far (8 kHz mono, silence where no packet came). */
  recording(): Int16Array {
    return this.#recording.slice(0, this.#recorded);
  }

  /** Stops sending and closes the socket. */
  close(): void {
    clearInterval(this.#timer);
    this.#socket.close();
  }

  #receive(packet: Buffer, from: { address: string; port: number }): void {
    if (packet.length <= RTP_HEADER || ((packet[1] as number) & 0x7f) !== PCMU) return;
    if (!this.#remote) {
      this.#remote = { address: from.address, port: from.port };
      this.#startedAt = performance.now();
      this.#timer = setInterval(() => this.#send(), FRAME_MS / 2);
    }
    const timestamp = packet.readUInt32BE(4);
    this.#firstTimestamp ??= timestamp;
    const at = (timestamp - this.#firstTimestamp) | 0;
    // before the first packet (a late one), or a jump no lab call makes: not this recording's
    if (at < 0 || at > MAX_RECORDING) return;
    const payload = packet.subarray(RTP_HEADER + 4 * ((packet[0] as number) & 0x0f));
    const end = at + payload.length;
    if (end > this.#recording.length) {
      const grown = new Int16Array(Math.max(end, this.#recording.length * 2));
      grown.set(this.#recording);
      this.#recording = grown;
    }
    for (let i = 0; i < payload.length; i++) {
      this.#recording[at + i] = fromMulaw(payload[i] as number);
    }
    this.#recorded = Math.max(this.#recorded, end);
  }

  /** Sends the packets due by now (paced by the clock, not by the timer's ticks). */
  #send(): void {
    const remote = this.#remote;
    if (!remote) return;
    const due = Math.floor((performance.now() - this.#startedAt) / FRAME_MS) + 1;
    // a line that fell far behind skips ahead rather than bursting
    if (due - this.#sent > MAX_CATCH_UP) this.#sent = due - MAX_CATCH_UP;
    for (; this.#sent < due; this.#sent++) {
      const packet = Buffer.alloc(RTP_HEADER + FRAME);
      packet[0] = 0x80;
      packet[1] = PCMU | (this.#sent === 0 ? 0x80 : 0);
      packet.writeUInt16BE(this.#sent & 0xffff, 2);
      packet.writeUInt32BE((this.#sent * FRAME) >>> 0, 4);
      packet.writeUInt32BE(this.#ssrc, 8);
      for (let i = 0; i < FRAME; i++) {
        const sample = this.#speech[this.#spoken] ?? 0;
        if (this.#spoken < this.#speech.length) this.#spoken++;
        packet[RTP_HEADER + i] = toMulaw(sample);
      }
      this.#socket.send(packet, remote.port, remote.address);
    }
  }
}

const BIAS = 0x84;
const CLIP = 32_635;

/** G.711 μ-law encoding of one 16-bit sample. */
export function toMulaw(sample: number): number {
  const sign = sample < 0 ? 0x80 : 0;
  const magnitude = Math.min(Math.abs(sample), CLIP) + BIAS;
  let exponent = 7;
  for (let mask = 0x4000; (magnitude & mask) === 0 && exponent > 0; mask >>= 1) exponent--;
  const mantissa = (magnitude >> (exponent + 3)) & 0x0f;
  return ~(sign | (exponent << 4) | mantissa) & 0xff;
}

/** G.711 μ-law decoding of one byte. */
export function fromMulaw(byte: number): number {
  const u = ~byte & 0xff;
  const magnitude = ((((u & 0x0f) << 3) + BIAS) << ((u & 0x70) >> 4)) - BIAS;
  return u & 0x80 ? -magnitude : magnitude;
}
