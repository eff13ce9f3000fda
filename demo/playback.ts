/**
 * Simulated speech for the keyless demo: a TTS stand-in that turns each reply into silence as
 * long as it would take to say it, and an audio output that "plays" that silence in real time
 * (sped up by `speed`), so the agent session waits for playout exactly as it does on a call.
 */
import { ReadableStream } from 'node:stream/web';
import { voice } from '@livekit/agents';
import { AudioFrame } from '@livekit/rtc-node';

const SAMPLE_RATE = 24_000;
const FRAME_MS = 20;
const FRAME_SAMPLES = (SAMPLE_RATE * FRAME_MS) / 1000;
/** A calm phone voice: about 160 words a minute. */
const MS_PER_WORD = 375;

/** How long saying `text` takes at the demo's speaking rate, in ms. */
export function speakingTimeMs(text: string): number {
  const words = text.split(/\s+/).filter(Boolean).length;
  return Math.max(FRAME_MS, words * MS_PER_WORD);
}

/** Silent frames lasting `ms`. */
function silenceFor(ms: number): ReadableStream<AudioFrame> {
  let frames = Math.ceil(ms / FRAME_MS);
  return new ReadableStream<AudioFrame>({
    pull(controller) {
      if (frames-- <= 0) return controller.close();
      controller.enqueue(
        new AudioFrame(new Int16Array(FRAME_SAMPLES), SAMPLE_RATE, 1, FRAME_SAMPLES),
      );
    },
  });
}

/**
 * A `voice.Agent` whose "TTS" speaks each reply, once its text is complete, as silence of the
 * right length, and tells `onSpeak` what it is about to say.
 */
export class SpeakingAgent extends voice.Agent {
  readonly #onSpeak: (text: string, speakingMs: number) => void;

  constructor({
    onSpeak,
    ...options
  }: voice.AgentOptions<unknown> & { onSpeak: (text: string, speakingMs: number) => void }) {
    super(options);
    this.#onSpeak = onSpeak;
  }

  override async ttsNode(text: ReadableStream<string>): Promise<ReadableStream<AudioFrame>> {
    let reply = '';
    for await (const chunk of text) reply += chunk;
    const speakingMs = speakingTimeMs(reply);
    this.#onSpeak(reply, speakingMs);
    return silenceFor(speakingMs);
  }
}

/**
 * Plays captured audio in real time divided by `speed`, then reports the playback finished; a
 * barge-in (`clearBuffer`) stops it and reports how far it got.
 */
export class RealtimeAudioOutput extends voice.AudioOutput {
  #capturedMs = 0;
  #startedAt = 0;
  #timer: NodeJS.Timeout | undefined;
  readonly #speed: number;
  readonly #onPlayed: (event: { interrupted: boolean; playedMs: number }) => void;

  constructor(
    speed: number,
    onPlayed: (event: { interrupted: boolean; playedMs: number }) => void,
  ) {
    super(SAMPLE_RATE);
    this.#speed = speed;
    this.#onPlayed = onPlayed;
  }

  override async captureFrame(frame: AudioFrame): Promise<void> {
    const segments = this.capturedPlayoutSegments;
    await super.captureFrame(frame);
    if (this.capturedPlayoutSegments > segments) {
      this.#capturedMs = 0;
      this.#startedAt = performance.now();
      this.onPlaybackStarted(Date.now());
    }
    this.#capturedMs += (frame.samplesPerChannel / frame.sampleRate) * 1000;
  }

  override flush(): void {
    super.flush();
    if (this.pendingPlayoutSegments === 0) return;
    const remainingMs = Math.max(
      0,
      this.#capturedMs / this.#speed - (performance.now() - this.#startedAt),
    );
    this.#timer = setTimeout(() => this.#finish(false), remainingMs);
  }

  override clearBuffer(): void {
    if (this.pendingPlayoutSegments === 0) return;
    clearTimeout(this.#timer);
    this.#finish(true);
  }

  #finish(interrupted: boolean): void {
    const playedMs = Math.min(
      this.#capturedMs,
      (performance.now() - this.#startedAt) * this.#speed,
    );
    this.onPlaybackFinished({ playbackPosition: playedMs / 1000, interrupted });
    this.#onPlayed({ interrupted, playedMs });
  }
}
