/**
 * A keyless TTS for the lab: each word becomes its tone (tones.ts), so the caller can tell which
 * words it heard. Not streaming: agents-js splits the text into sentences and synthesizes each.
 */
import { type APIConnectOptions, tts } from '@livekit/agents';
import { AudioFrame } from '@livekit/rtc-node';
import { SAMPLE_RATE, wordAudio, wordsOf } from './tones.js';

/** Samples per frame pushed to the session (20 ms). */
const FRAME = SAMPLE_RATE / 50;

let requests = 0;

/** Text in, one tone per word out. */
export class ToneTTS extends tts.TTS {
  label = 'lab.ToneTTS';

  constructor() {
    super(SAMPLE_RATE, 1, { streaming: false });
  }

  synthesize(
    text: string,
    connOptions?: APIConnectOptions,
    abortSignal?: AbortSignal,
  ): tts.ChunkedStream {
    return new ToneStream(text, this, connOptions, abortSignal);
  }

  stream(): tts.SynthesizeStream {
    throw new Error('ToneTTS: not a streaming TTS — agents-js wraps it in a StreamAdapter itself');
  }
}

class ToneStream extends tts.ChunkedStream {
  label = 'lab.ToneStream';

  protected async run(): Promise<void> {
    const words = wordsOf(this.inputText);
    const requestId = `tone-${++requests}`;
    const audio = new Int16Array(words.reduce((n, w) => n + wordAudio(w).length, 0));
    let at = 0;
    for (const word of words) {
      const samples = wordAudio(word);
      audio.set(samples, at);
      at += samples.length;
    }
    for (let start = 0; start < audio.length; start += FRAME) {
      if (this.abortSignal.aborted) return;
      const data = audio.slice(start, Math.min(start + FRAME, audio.length));
      this.queue.put({
        requestId,
        segmentId: requestId,
        frame: new AudioFrame(data, SAMPLE_RATE, 1, data.length),
        final: start + FRAME >= audio.length,
      });
    }
  }
}
