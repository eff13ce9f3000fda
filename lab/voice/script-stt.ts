/**
 * A keyless STT for the lab: every utterance the VAD cuts from the caller's audio becomes the
 * next line of the caller's script (the audio itself is real speech, made offline). Not
 * streaming: agents-js runs it behind the session's VAD.
 */
import { type AudioBuffer, asLanguageCode, stt } from '@livekit/agents';

/** Each utterance → the next line; after the last line, the last line again. */
export class ScriptSTT extends stt.STT {
  label = 'lab.ScriptSTT';
  #lines: readonly string[];
  #next = 0;

  constructor(lines: readonly string[]) {
    super({ streaming: false, interimResults: false });
    if (lines.length === 0)
      throw new Error('ScriptSTT: the script is empty — give it the caller’s lines');
    this.#lines = lines;
  }

  protected async _recognize(_frame: AudioBuffer): Promise<stt.SpeechEvent> {
    const text = this.#lines[Math.min(this.#next++, this.#lines.length - 1)] as string;
    return {
      type: stt.SpeechEventType.FINAL_TRANSCRIPT,
      alternatives: [
        { text, language: asLanguageCode('en'), startTime: 0, endTime: 0, confidence: 1 },
      ],
    };
  }

  stream(): stt.SpeechStream {
    throw new Error('ScriptSTT: not a streaming STT — agents-js wraps it with the session’s VAD');
  }
}
