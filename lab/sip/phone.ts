/**
 * A SIP phone of the lab: a baresip 1.0 user agent (Debian `baresip-core`) run in the namespace
 * and scripted over its `ctrl_tcp` interface (netstring JSON). It dials, answers by itself when
 * told to, presses keys (RFC 4733), follows a REFER (`menu.so` does that), hangs up, and records
 * what it heard: baresip's `sndfile` filter writes each call's decoded audio to `…-dec.wav`.
 *
 * Its traps, all handled here: `aufile` hangs up the call when its file ends, so the phone speaks
 * from files padded with silence and switches back to silence afterwards; the file's rate and
 * channels must equal the codec's (PCMU: 8 kHz mono); `stun`, `turn` and `ice` are not loaded
 * (they would reach for public servers); `regint=0`, as the bridge takes no REGISTER.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { type LabProcess, startProcess, waitUntil } from '../processes.js';
import { GAP_MS, type HeardWord, hearWords, WORD_MS } from '../voice/tones.js';

/** The rate of everything a phone sends and records (PCMU). */
export const PHONE_RATE = 8_000;
/** How long a phone may take to answer its control port after it was started. */
const CONTROL_READY_TIMEOUT_MS = 10_000;
/** How long a control command may take to be acknowledged. */
const COMMAND_TIMEOUT_MS = 5_000;
/** Silence after each utterance, so `aufile` never reaches the end of its file mid-call: longer than any lab call (2 MB a file). */
const PADDING_S = 120;

/** The caller's phone and the person a call is transferred to: ports of their own. */
export const CALLER_PORTS: PhonePorts = { sip: 5070, control: 4444, rtp: [30000, 30049] };
export const PERSON_PORTS: PhonePorts = { sip: 5080, control: 4445, rtp: [30050, 30099] };

/** Where a phone listens: SIP signalling, its control port and its RTP ports (127.0.0.1). */
export interface PhonePorts {
  sip: number;
  control: number;
  rtp: readonly [number, number];
}

/** What a phone is. */
export interface PhoneOptions {
  /** Its name in logs and file names, and its SIP user. */
  name: string;
  ports: PhonePorts;
  /** Answer incoming calls by itself. */
  autoAnswer?: boolean;
  /** A folder of the run for its config, log and recordings. */
  runDir: string;
}

/** An event the phone reported (CALL_ESTABLISHED, CALL_CLOSED, TRANSFER, CALL_DTMF_START…). */
export interface PhoneEvent {
  type: string;
  /** Wall-clock ms since the epoch when the lab received it. */
  at: number;
  /** The call's id, the peer's URI and the event's parameter (a digit, a reason). */
  id?: string;
  peer?: string;
  param?: string;
}

/** The file a phone in `dir` plays when it says nothing. */
const silenceFile = (dir: string) => join(dir, 'silence.wav');

/**
 * Re-reads a recording the call writes as it goes (`read`) every 100 ms until `ready` holds for
 * it, and returns it; after `timeoutMs` throws with the message `failure` gives for the last one.
 */
export async function pollRecording(
  read: () => Int16Array,
  ready: (recording: Int16Array) => boolean,
  timeoutMs: number,
  failure: (recording: Int16Array) => string,
): Promise<Int16Array> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const recording = read();
    if (ready(recording)) return recording;
    if (Date.now() > deadline) throw new Error(failure(recording));
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** How many seconds of phone audio `recording` holds, to one decimal. */
export const secondsOf = (recording: Int16Array) => (recording.length / PHONE_RATE).toFixed(1);

/** Wall-clock milliseconds with sub-millisecond precision (comparable across the lab's processes). */
const now = () => performance.timeOrigin + performance.now();

/** A running baresip phone. */
export class Phone {
  readonly events: PhoneEvent[] = [];
  readonly #dir: string;
  readonly #process: LabProcess;
  readonly #socket: Socket;
  readonly #replies = new Map<string, (reply: { ok: boolean; data: string }) => void>();
  readonly #changed = new Set<() => void>();
  #token = 0;
  /** Index of the first recording of the call placed or taken last. */
  #firstRecording = 0;

  private constructor(dir: string, process: LabProcess, socket: Socket) {
    this.#dir = dir;
    this.#process = process;
    this.#socket = socket;
    // a phone of an earlier test file of the run may have left recordings in the same folder
    this.#firstRecording = this.recordings().length;
    let buffer = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        const colon = buffer.indexOf(':');
        if (colon < 0) return;
        const length = Number(buffer.subarray(0, colon).toString());
        if (buffer.length < colon + length + 2) return;
        this.#receive(JSON.parse(buffer.subarray(colon + 1, colon + 1 + length).toString()));
        buffer = buffer.subarray(colon + length + 2);
      }
    });
  }

  /** Starts baresip with its own config and waits, bounded, until its control port answers. */
  static async start(options: PhoneOptions): Promise<Phone> {
    const dir = join(options.runDir, `phone-${options.name}`);
    const silence = silenceFile(dir);
    mkdirSync(join(dir, 'recordings'), { recursive: true });
    writeFileSync(silence, wav(new Int16Array(PHONE_RATE * PADDING_S)));
    writeFileSync(join(dir, 'config'), phoneConfig(dir, options.ports, silence));
    const answer = options.autoAnswer ? ';answermode=auto' : '';
    writeFileSync(
      join(dir, 'accounts'),
      `<sip:${options.name}@127.0.0.1:${options.ports.sip}>;regint=0;audio_codecs=PCMU${answer}\n`,
    );
    writeFileSync(join(dir, 'contacts'), '');
    const proc = startProcess(
      `phone ${options.name}`,
      ['baresip', '-f', dir],
      join(dir, 'baresip.log'),
    );
    let socket: Socket | undefined;
    await waitUntil(
      `phone ${options.name} to open its control port 127.0.0.1:${options.ports.control}`,
      async () => {
        socket = await tryConnect(options.ports.control);
        return socket !== undefined;
      },
      { timeoutMs: CONTROL_READY_TIMEOUT_MS, process: proc },
    );
    return new Phone(dir, proc, socket as Socket);
  }

  /** Calls `uri` (e.g. `sip:+15550100@127.0.0.1:5060`); what it hears from now on is this call's. */
  dial(uri: string): Promise<string> {
    this.#firstRecording = this.recordings().length;
    return this.#command('dial', uri);
  }

  /** Answers the ringing call. */
  accept(): Promise<string> {
    return this.#command('accept');
  }

  /** Hangs up the current call (a ringing one is declined: 486 Busy Here). */
  hangup(): Promise<string> {
    return this.#command('hangup');
  }

  /** Presses `digits` one by one (RFC 4733), `gapMs` apart. */
  async pressKeys(digits: string, gapMs = 300): Promise<void> {
    for (const digit of digits) {
      await this.#command('sndcode', digit);
      await new Promise((resolve) => setTimeout(resolve, gapMs));
    }
  }

  /** Speaks `samples` (8 kHz mono) into the call now, then silence. */
  async speak(samples: Int16Array): Promise<void> {
    const file = join(this.#dir, `speech-${++this.#token}.wav`);
    const padded = new Int16Array(samples.length + PHONE_RATE * PADDING_S);
    padded.set(samples);
    writeFileSync(file, wav(padded));
    await this.#command('ausrc', `aufile,${file}`);
  }

  /**
   * Speaks `samples` (8 kHz mono) into the call now, waits until they were sent, then falls
   * silent again — also for the phone's later calls, which would otherwise open with the same
   * utterance (baresip keeps the last audio source for every call after it).
   */
  async utter(samples: Int16Array): Promise<void> {
    await this.speak(samples);
    await new Promise((resolve) => setTimeout(resolve, (samples.length / PHONE_RATE) * 1000));
    await this.#command('ausrc', `aufile,${silenceFile(this.#dir)}`);
  }

  /** The events of `type` so far. */
  eventsOf(type: string): PhoneEvent[] {
    return this.events.filter((event) => event.type === type);
  }

  /** Waits, bounded, until `ready()` holds; the error names what was awaited and the events seen. */
  waitFor(what: string, ready: () => boolean, timeoutMs = 20_000): Promise<void> {
    if (ready()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!ready()) return;
        clearTimeout(timer);
        this.#changed.delete(check);
        resolve();
      };
      const timer = setTimeout(() => {
        this.#changed.delete(check);
        const seen = this.events.map((event) => event.type).join(', ') || 'none';
        reject(new Error(`phone: ${what} did not happen within ${timeoutMs} ms (events: ${seen})`));
      }, timeoutMs);
      this.#changed.add(check);
    });
  }

  /**
   * Waits, bounded, until `ready(recording)` holds for the current call's recording, re-reading it
   * every 100 ms (baresip writes it as the call goes).
   */
  async waitForAudio(
    what: string,
    ready: (recording: Int16Array) => boolean,
    timeoutMs = 20_000,
  ): Promise<Int16Array> {
    return pollRecording(
      () => this.callRecordings()[0] ?? new Int16Array(0),
      ready,
      timeoutMs,
      (recording) =>
        `phone: ${what} was not heard within ${timeoutMs} ms (${secondsOf(recording)} s recorded)`,
    );
  }

  /**
   * What the phone heard since it last dialled, one recording per call leg (a followed transfer
   * is a second leg).
   */
  callRecordings(): Int16Array[] {
    return this.recordings().slice(this.#firstRecording);
  }

  /** The words the phone heard in the current call from sample `from` on (e.g. after the greeting). */
  wordsFrom(from: number, recording = this.callRecordings()[0]): HeardWord[] {
    return phoneWords((recording ?? new Int16Array(0)).subarray(from));
  }

  /** What the phone heard in each call, oldest first (8 kHz mono samples). */
  recordings(): Int16Array[] {
    const dir = join(this.#dir, 'recordings');
    return readdirSync(dir)
      .filter((name) => name.endsWith('-dec.wav'))
      .sort()
      .map((name) => samplesOf(readFileSync(join(dir, name))));
  }

  /** Stops baresip (and its control connection). */
  async stop(): Promise<void> {
    this.#socket.destroy();
    await this.#process.stop();
  }

  #command(command: string, params = ''): Promise<string> {
    const token = `t${++this.#token}`;
    const json = JSON.stringify({ command, params, token });
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#replies.delete(token);
        reject(
          new Error(
            `phone: "${command} ${params}" was not acknowledged within ${COMMAND_TIMEOUT_MS} ms`,
          ),
        );
      }, COMMAND_TIMEOUT_MS);
      this.#replies.set(token, ({ ok, data }) => {
        clearTimeout(timer);
        if (ok) resolve(data);
        else reject(new Error(`phone: "${command} ${params}" failed: ${data}`));
      });
      this.#socket.write(`${Buffer.byteLength(json)}:${json},`);
    });
  }

  #receive(message: Record<string, unknown>): void {
    if (message.response === true) {
      this.#replies.get(String(message.token))?.({
        ok: message.ok === true,
        data: String(message.data ?? ''),
      });
      this.#replies.delete(String(message.token));
      return;
    }
    if (message.event !== true) return;
    // a call the phone takes starts its own recordings, as one it dials does
    if (message.type === 'CALL_INCOMING') this.#firstRecording = this.recordings().length;
    this.events.push({
      type: String(message.type),
      at: now(),
      ...(typeof message.id === 'string' ? { id: message.id } : {}),
      ...(typeof message.peeruri === 'string' ? { peer: message.peeruri } : {}),
      ...(typeof message.param === 'string' ? { param: message.param } : {}),
    });
    for (const check of [...this.#changed]) check();
  }
}

/** baresip's config: loopback only, PCMU, no STUN/TURN/ICE, recordings into the phone's folder. */
function phoneConfig(dir: string, ports: PhonePorts, silence: string): string {
  return [
    'poll_method epoll',
    `sip_listen 127.0.0.1:${ports.sip}`,
    'net_interface 127.0.0.1',
    'call_local_timeout 120',
    // a player is required; aubridge's sink takes the audio and plays it nowhere
    'audio_player aubridge,sink',
    'audio_alert aubridge,sink',
    `audio_source aufile,${silence}`,
    `ausrc_srate ${PHONE_RATE}`,
    `auplay_srate ${PHONE_RATE}`,
    'ausrc_channels 1',
    'auplay_channels 1',
    `rtp_ports ${ports.rtp[0]}-${ports.rtp[1]}`,
    'jitter_buffer_delay 5-10',
    'module_path /usr/lib/baresip/modules',
    'module g711.so',
    'module aufile.so',
    'module aubridge.so',
    'module sndfile.so',
    'module ctrl_tcp.so',
    'module_app account.so',
    // follows a REFER: without it a transfer request is refused
    // (it also holds the commands: dial, accept, hangup)
    'module_app menu.so',
    `ctrl_tcp_listen 127.0.0.1:${ports.control}`,
    `snd_path ${join(dir, 'recordings')}`,
    '',
  ].join('\n');
}

function tryConnect(port: number): Promise<Socket | undefined> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => resolve(socket));
    socket.once('error', () => resolve(undefined));
  });
}

/** A 16-bit mono WAV file of `samples` at the phone's rate. */
export function wav(samples: Int16Array): Buffer {
  const header = Buffer.alloc(44);
  header.write('RIFF', 0);
  header.writeUInt32LE(36 + samples.byteLength, 4);
  header.write('WAVEfmt ', 8);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(PHONE_RATE, 24);
  header.writeUInt32LE(PHONE_RATE * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36);
  header.writeUInt32LE(samples.byteLength, 40);
  return Buffer.concat([
    header,
    Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength),
  ]);
}

/** The samples of a 16-bit mono WAV file (the data chunk found by name, not assumed at 44), also of one still being written. */
export function samplesOf(file: Buffer): Int16Array {
  let offset = 12;
  while (offset + 8 <= file.length) {
    const id = file.toString('ascii', offset, offset + 4);
    const size = file.readUInt32LE(offset + 4);
    if (id === 'data') {
      // a file still being written has no size in its header yet
      const end =
        size === 0 || size === 0xffffffff ? file.length : Math.min(file.length, offset + 8 + size);
      const copy = file.subarray(offset + 8, end - ((end - offset - 8) % 2));
      return new Int16Array(copy.buffer.slice(copy.byteOffset, copy.byteOffset + copy.byteLength));
    }
    offset += 8 + size + (size % 2);
  }
  return new Int16Array(0);
}

/**
 * The lab's words in a phone recording, cleaned of what the line does to them:
 * - pieces of one word less than two gaps apart are one word (tones one step apart count as one:
 *   a jitter buffer that stretches or conceals audio detunes a piece by a few Hz) — it breaks
 *   words apart while it adapts, most at the start of a call and more on a loaded machine;
 * - a piece shorter than a third of a word that is not the last thing heard is dropped: at the
 *   start of a call livekit-sip v1.8.0 plays the stream's first 20–30 ms, then starts over
 *   ("he-hello"). The last piece is kept whatever its length: a goodbye cut by the hangup is
 *   what the drain's figures measure.
 * The lines a phone hears never put two words of neighbouring tones side by side
 * (test/lab/phone.test.ts checks), so nothing real is merged.
 */
export function phoneWords(recording: Int16Array): HeardWord[] {
  const merged: HeardWord[] = [];
  const maxGap = (2 * GAP_MS * PHONE_RATE) / 1000;
  for (const piece of hearWords(recording, new Map(), PHONE_RATE)) {
    const last = merged.at(-1);
    if (last && Math.abs(last.tone - piece.tone) <= 1 && piece.start - last.end <= maxGap) {
      // the word's tone and length are its longest piece's: a replayed start adds nothing
      const longer = piece.ms > last.ms ? piece : last;
      merged[merged.length - 1] = { ...longer, start: last.start, end: piece.end };
    } else {
      merged.push(piece);
    }
  }
  return merged.filter((word, i) => i === merged.length - 1 || word.ms >= WORD_MS / 3);
}
