/**
 * The sample agent's keyless plugins in the lab (AGENT_PLUGINS=lab/sample-plugins.ts, see
 * examples/telephony-agent/plugins.ts): the keyless demo's scripted model, an STT reading the
 * caller's lines from LAB_CALLER_LINES (`|`-separated, one per utterance), the tone TTS.
 */
import { demoModel } from '../demo/brain.js';
import type { SwappedPlugins } from '../examples/telephony-agent/plugins.js';
import { ScriptSTT } from './voice/script-stt.js';
import { ToneTTS } from './voice/tone-tts.js';

/** The plugins, for the caller lines in `env`. */
export function plugins(env: NodeJS.ProcessEnv): SwappedPlugins {
  const lines = (env.LAB_CALLER_LINES ?? '').split('|').filter(Boolean);
  return { model: demoModel(), stt: new ScriptSTT(lines), tts: new ToneTTS() };
}
