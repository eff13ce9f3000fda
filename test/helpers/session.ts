/**
 * Runs a real `voice.AgentSession` in text mode (no room, no STT/TTS) around an LLM.
 */
import { type APIConnectOptions, type llm, voice } from '@livekit/agents';

/** Turns a hang into a test failure; it never decides a test by timing. */
export async function withTimeout<T>(
  promise: Promise<T>,
  ms = 10_000,
  what = 'operation',
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Polls `check` every 5 ms until it returns true; fails with `what` after `ms`. */
export async function waitUntil(
  check: () => boolean | Promise<boolean>,
  what: string,
  ms = 10_000,
): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

export interface TextSession {
  session: voice.AgentSession;
  agent: voice.Agent;
  /** Sends one user turn and waits for the agent's whole reply. */
  say(userInput: string): Promise<voice.testing.RunResult>;
  /** The agent's transcript as [role, text] pairs (messages only). */
  transcript(): [string, string][];
}

/** Starts a text-mode session with `llm` and the given agent tools, runs `fn`, then closes it. */
export async function withTextSession<T>(
  options: {
    /** The session's LLM. */
    llm?: llm.LLM;
    /** The agent's own LLM, which answers instead of the session's (several agents per session). */
    agentLlm?: llm.LLM;
    tools?: voice.AgentOptions<unknown>['tools'];
    instructions?: string;
    /** How the session retries a failed LLM stream; tests default to one quick retry. */
    llmConnOptions?: Partial<APIConnectOptions>;
  },
  fn: (s: TextSession) => Promise<T>,
): Promise<T> {
  const session = new voice.AgentSession({
    ...(options.llm && { llm: options.llm }),
    connOptions: { llmConnOptions: { maxRetry: 1, retryIntervalMs: 0, ...options.llmConnOptions } },
  });
  const agent = new voice.Agent({
    instructions: options.instructions ?? '',
    tools: options.tools,
    ...(options.agentLlm && { llm: options.agentLlm }),
  });
  await withTimeout(session.start({ agent }), 10_000, 'session.start');
  try {
    return await fn({
      session,
      agent,
      async say(userInput) {
        const result = session.run({ userInput });
        await withTimeout(result.wait(), 10_000, `the reply to "${userInput}"`);
        return result;
      },
      transcript: () =>
        session.history.items.flatMap((item) =>
          item.type === 'message' ? [[item.role, item.textContent ?? ''] as [string, string]] : [],
        ),
    });
  } finally {
    await withTimeout(session.close(), 10_000, 'session.close');
  }
}

/** A run's events as plain tuples, for exact assertions. */
export function eventsOf(result: voice.testing.RunResult): unknown[][] {
  return result.events.map(({ item }) => {
    if (item.type === 'message') return ['message', item.role, item.textContent ?? ''];
    if (item.type === 'function_call')
      return ['function_call', item.name, JSON.parse(item.args || '{}')];
    if (item.type === 'function_call_output')
      return ['function_call_output', item.name, item.output];
    return [item.type];
  });
}

/** Resolves once the session's agent starts speaking (its first words are out). */
export function agentSpeaking(session: voice.AgentSession): Promise<void> {
  return new Promise<void>((resolve) => {
    session.on(voice.AgentSessionEventTypes.AgentStateChanged, (e) => {
      if (e.newState === 'speaking') resolve();
    });
  });
}
