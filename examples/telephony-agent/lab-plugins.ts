/**
 * AGENT_PLUGINS=lab: the agent with no keys at all, for the repository's call lab (a real
 * LiveKit server in a private network namespace, docs/local-lab.md). The model is the keyless
 * demo's scripted one, the STT reads the caller's lines from LAB_CALLER_LINES (one per utterance,
 * separated by `|`), the TTS speaks each word as a tone the lab's caller can recognise, and the
 * turn detector gives way to the VAD (its model is a download). Your own agent does not need this
 * file: point it at the lab with its real plugins, or copy this switch.
 */
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { demoModel } from '../../demo/brain.js';
import { ScriptSTT } from '../../lab/voice/script-stt.js';
import { ToneTTS } from '../../lab/voice/tone-tts.js';

/** The keyless stand-ins for the agent's model, STT and TTS. */
export interface LabPlugins {
  model: BaseChatModel;
  stt: ScriptSTT;
  tts: ToneTTS;
}

/** The lab's plugins when AGENT_PLUGINS is `lab`, else `undefined` (the real ones are used). */
export function labPlugins(env: NodeJS.ProcessEnv = process.env): LabPlugins | undefined {
  if (env.AGENT_PLUGINS !== 'lab') return undefined;
  const lines = (env.LAB_CALLER_LINES ?? '').split('|').filter(Boolean);
  return { model: demoModel(), stt: new ScriptSTT(lines), tts: new ToneTTS() };
}
