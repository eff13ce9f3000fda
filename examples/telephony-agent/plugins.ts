/**
 * AGENT_PLUGINS=<module>: the agent's model, STT and TTS come from that module instead of OpenAI
 * and Deepgram, so it runs with no keys — e.g. against the repository's local call lab
 * (docs/local-lab.md), whose `lab/sample-plugins.ts` is such a module. The module exports
 * `plugins(env)` returning `{ model, stt, tts }`; turns are then detected by the VAD alone (the
 * turn detector's model is a download).
 */
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import type { stt, tts } from '@livekit/agents';

/** What an AGENT_PLUGINS module provides. */
export interface SwappedPlugins {
  model: BaseChatModel;
  stt: stt.STT;
  tts: tts.TTS;
}

/**
 * The plugins of the AGENT_PLUGINS module, or `undefined` when it is unset.
 *
 * @throws Error naming the module when it cannot be loaded or exports no `plugins` function.
 */
export async function swappedPlugins(
  env: NodeJS.ProcessEnv = process.env,
): Promise<SwappedPlugins | undefined> {
  const path = env.AGENT_PLUGINS;
  if (!path) return undefined;
  const url = pathToFileURL(isAbsolute(path) ? path : resolve(path)).href;
  const loaded = (await import(url)) as { plugins?: unknown };
  if (typeof loaded.plugins !== 'function') {
    throw new Error(
      `telephony-agent: AGENT_PLUGINS module ${path} exports no plugins(env) function — ` +
        'export one returning { model, stt, tts }',
    );
  }
  return (loaded.plugins as (env: NodeJS.ProcessEnv) => SwappedPlugins)(env);
}
