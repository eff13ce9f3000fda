/**
 * The lab's caller: an `@livekit/rtc-node` participant that speaks prepared audio (silence in
 * between, as a microphone sends) and records everything it receives: every audio frame with its
 * arrival time, every key (DtmfReceived), and when it was disconnected.
 */

import { setTimeout as sleep } from 'node:timers/promises';
import {
  AudioFrame,
  AudioSource,
  AudioStream,
  LocalAudioTrack,
  ParticipantKind,
  type RemoteTrack,
  Room,
  RoomEvent,
  TrackKind,
  TrackPublishOptions,
  TrackSource,
} from '@livekit/rtc-node';
import { AccessToken } from 'livekit-server-sdk';
import type { LabEnv } from './services.js';
import { type HeardWord, hearWords, joinSamples, SAMPLE_RATE } from './voice/tones.js';

/** Samples per frame the caller sends (10 ms). */
const FRAME = SAMPLE_RATE / 100;
/** How far ahead of real time the caller may queue audio. */
const LEAD_MS = 40;

/** A received audio frame. */
export interface ReceivedFrame {
  /** Wall-clock arrival time, ms since the epoch (comparable across the lab's processes). */
  at: number;
  samples: Int16Array;
}

/** A key the caller received. */
export interface ReceivedKey {
  digit: string;
  at: number;
}

/** Wall-clock milliseconds with sub-millisecond precision. */
export const now = () => performance.timeOrigin + performance.now();

/** A caller in a lab room. */
export class LabCaller {
  readonly room = new Room();
  readonly frames: ReceivedFrame[] = [];
  readonly keys: ReceivedKey[] = [];
  /** Identities of the participants who left, in order. */
  readonly left: string[] = [];
  disconnectedAt: number | undefined;
  #source = new AudioSource(SAMPLE_RATE, 1, 200);
  /** Utterances waiting to be sent, each with what to call once its last frame went out. */
  #speech: { samples: Int16Array; sent: () => void }[] = [];
  #sending = true;
  #pump: Promise<void> | undefined;
  #changed = new Set<() => void>();
  /** Tones of words already analysed, by sample range: the recording only grows. */
  #tones = new Map<string, number>();

  /** Joins `roomName` as `identity` and starts sending (silence until it speaks). */
  static async join(env: LabEnv, roomName: string, identity = 'caller'): Promise<LabCaller> {
    const caller = new LabCaller();
    const token = new AccessToken(env.LIVEKIT_API_KEY, env.LIVEKIT_API_SECRET, { identity });
    token.addGrant({ roomJoin: true, room: roomName, canPublish: true, canSubscribe: true });
    await caller.#connect(env.LIVEKIT_URL, await token.toJwt());
    return caller;
  }

  async #connect(url: string, token: string): Promise<void> {
    // the agent's audio only: another participant's (a supervisor's silence) would mix in
    this.room.on(RoomEvent.TrackSubscribed, (track: RemoteTrack, _pub, participant) => {
      if (track.kind === TrackKind.KIND_AUDIO && participant.kind === ParticipantKind.AGENT) {
        this.#record(track);
      }
    });
    this.room.on(RoomEvent.DtmfReceived, (_code: number, digit: string) => {
      this.keys.push({ digit, at: now() });
      this.#notify();
    });
    this.room.on(RoomEvent.ParticipantDisconnected, (participant: { identity: string }) => {
      this.left.push(participant.identity);
      this.#notify();
    });
    this.room.on(RoomEvent.Disconnected, () => {
      this.disconnectedAt ??= now();
      this.#sending = false;
      this.#notify();
    });
    await this.room.connect(url, token, { autoSubscribe: true, dynacast: false });
    const track = LocalAudioTrack.createAudioTrack('caller-microphone', this.#source);
    await this.room.localParticipant?.publishTrack(
      track,
      new TrackPublishOptions({ source: TrackSource.SOURCE_MICROPHONE }),
    );
    this.#pump = this.#send();
  }

  async #record(track: RemoteTrack): Promise<void> {
    const stream = new AudioStream(track, { sampleRate: SAMPLE_RATE, numChannels: 1 });
    for await (const frame of stream) {
      this.frames.push({ at: now(), samples: new Int16Array(frame.data) });
    }
  }

  /** Sends queued speech, else silence, paced to real time. */
  async #send(): Promise<void> {
    const started = now();
    let sentMs = 0;
    while (this.#sending) {
      const ahead = sentMs - (now() - started);
      if (ahead > LEAD_MS) await sleep(ahead - LEAD_MS / 2);
      const frame = this.#nextFrame();
      try {
        await this.#source.captureFrame(new AudioFrame(frame, SAMPLE_RATE, 1, FRAME));
      } catch {
        return; // the room is gone
      }
      sentMs += 10;
    }
  }

  #offset = 0;

  #nextFrame(): Int16Array {
    const current = this.#speech[0];
    if (!current) return new Int16Array(FRAME);
    const frame = new Int16Array(FRAME);
    frame.set(current.samples.subarray(this.#offset, this.#offset + FRAME));
    this.#offset += FRAME;
    if (this.#offset >= current.samples.length) {
      this.#speech.shift();
      this.#offset = 0;
      current.sent();
    }
    return frame;
  }

  /**
   * Speaks `samples` after whatever it is still saying; resolves once the last frame was handed
   * to WebRTC, with the wall-clock times of the call and of that last frame.
   */
  async speak(samples: Int16Array): Promise<{ startedAt: number; endedAt: number }> {
    const startedAt = now();
    await new Promise<void>((sent) => {
      this.#speech.push({ samples, sent });
    });
    return { startedAt, endedAt: now() };
  }

  /** Everything received so far, in one buffer. */
  recording(frames: readonly ReceivedFrame[] = this.frames): Int16Array {
    return joinSamples(frames.map((frame) => frame.samples));
  }

  /**
   * The words heard so far (or only those that began arriving at `since`, a wall-clock time),
   * each with the arrival time of its first and last frame.
   */
  heard(since = 0): (HeardWord & { firstAt: number; lastAt: number })[] {
    const atSample = (sample: number) => {
      let seen = 0;
      for (const frame of this.frames) {
        seen += frame.samples.length;
        if (seen > sample) return frame.at;
      }
      return this.frames.at(-1)?.at ?? 0;
    };
    return hearWords(this.recording(), this.#tones)
      .map((word) => ({ ...word, firstAt: atSample(word.start), lastAt: atSample(word.end - 1) }))
      .filter((word) => word.firstAt >= since);
  }

  /** Publishes a key press (SIP-style DTMF) to the room. */
  async pressKey(digit: string): Promise<void> {
    await this.room.localParticipant?.publishDtmf(dtmfCode(digit), digit);
  }

  /**
   * Waits until `done()` holds, re-checking when a key or the disconnection arrives and every
   * 100 ms (audio arrives every 10 ms; checking each frame would cost more than it tells); fails
   * after `timeoutMs` naming `what` it was waiting for.
   */
  async waitFor(what: string, done: () => boolean, timeoutMs = 45_000): Promise<void> {
    if (done()) return;
    await new Promise<void>((resolve, reject) => {
      const check = () => {
        if (!done()) return;
        cleanUp();
        resolve();
      };
      const timer = setTimeout(() => {
        cleanUp();
        reject(new Error(`caller: no ${what} within ${timeoutMs} ms`));
      }, timeoutMs);
      const poll = setInterval(check, 100);
      const cleanUp = () => {
        clearTimeout(timer);
        clearInterval(poll);
        this.#changed.delete(check);
      };
      this.#changed.add(check);
    });
  }

  #notify(): void {
    for (const check of [...this.#changed]) check();
  }

  /** Leaves the room and stops sending. */
  async leave(): Promise<void> {
    this.#sending = false;
    await this.room.disconnect();
    await this.#pump;
    await this.#source.close();
  }
}

/** The DTMF event code of a key: 0–9, * = 10, # = 11, A–D = 12–15. */
export function dtmfCode(digit: string): number {
  const code = '0123456789*#ABCD'.indexOf(digit.toUpperCase());
  if (digit.length !== 1 || code < 0)
    throw new Error(`caller: "${digit}" is not a DTMF key (0-9 * # A-D)`);
  return code;
}
