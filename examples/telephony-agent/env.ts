/**
 * The phone agent's environment, validated. Read it when the worker or a job starts, never at
 * import: a module that reads `process.env` at import cannot be imported by tests or tools.
 */
import { z } from 'zod';

/** The name the worker registers under and `dial.ts` dispatches to, unless AGENT_NAME is set. */
export const DEFAULT_AGENT_NAME = 'langgraph-phone-agent';

/** An empty variable (`KEY=` in a .env file) counts as unset. */
const unsetIfEmpty = (value: unknown) => (value === '' ? undefined : value);

const required = z.preprocess(unsetIfEmpty, z.string());
const seconds = (fallback: number) =>
  z.preprocess(unsetIfEmpty, z.coerce.number().int().positive().default(fallback));

const schema = z.object({
  LIVEKIT_URL: z.preprocess(unsetIfEmpty, z.string().regex(/^(wss?|https?):\/\/\S+$/)),
  LIVEKIT_API_KEY: required,
  LIVEKIT_API_SECRET: required,
  OPENAI_API_KEY: required,
  DEEPGRAM_API_KEY: required,
  SIP_OUTBOUND_TRUNK_ID: z.preprocess(unsetIfEmpty, z.string().optional()),
  AGENT_NAME: z.preprocess(unsetIfEmpty, z.string().default(DEFAULT_AGENT_NAME)),
  MAX_CALL_SECONDS: seconds(600),
  SILENCE_TIMEOUT_SECONDS: seconds(30),
  CHECKPOINT_DB: z.preprocess(unsetIfEmpty, z.string().default('./threads.sqlite')),
  AGENT_PLUGINS: z.preprocess(unsetIfEmpty, z.string().optional()),
  TRANSFER_TO: z.preprocess(
    unsetIfEmpty,
    z
      .string()
      .regex(/^(tel:\+[1-9]\d{5,14}|sips?:[^@\s]+@[^@\s]+)$/)
      .optional(),
  ),
});

/** Everything the agent reads from its environment (see `.env.example`). */
export type AgentEnv = z.infer<typeof schema>;

/** What `dial.ts` needs: the LiveKit credentials and the agent to dispatch. */
export type DialEnv = Pick<
  AgentEnv,
  'LIVEKIT_URL' | 'LIVEKIT_API_KEY' | 'LIVEKIT_API_SECRET' | 'AGENT_NAME'
>;

const dialSchema = schema.pick({
  LIVEKIT_URL: true,
  LIVEKIT_API_KEY: true,
  LIVEKIT_API_SECRET: true,
  AGENT_NAME: true,
});

/** What a wrong value should look like; shown instead of zod's message, which may echo it. */
const EXPECTED: Readonly<Record<string, string>> = {
  LIVEKIT_URL: 'a wss:// or https:// URL, e.g. wss://my-project.livekit.cloud',
  MAX_CALL_SECONDS: 'a whole number of seconds above 0',
  SILENCE_TIMEOUT_SECONDS: 'a whole number of seconds above 0',
  TRANSFER_TO: 'tel:+<country code and number> or sip:<user>@<host>',
};

/**
 * Reads and validates the agent's environment.
 *
 * @throws Error naming every missing variable and every malformed one (with what was expected);
 * the message never contains a value, so it is safe to log.
 */
export function readAgentEnv(env: NodeJS.ProcessEnv = process.env): AgentEnv {
  // swapped-in plugins (AGENT_PLUGINS, plugins.ts) need no OpenAI or Deepgram key
  const keyless = env.AGENT_PLUGINS ? { OPENAI_API_KEY: 'none', DEEPGRAM_API_KEY: 'none' } : {};
  return parse('telephony-agent', schema, { ...keyless, ...env });
}

/**
 * Whether the agent's command line (`process.argv.slice(2)`) runs a worker or a job, which needs
 * the keys; `download-files` and any `--help` do not.
 */
export function commandNeedsKeys(args: readonly string[]): boolean {
  const [command] = args;
  const runs = command === 'dev' || command === 'start' || command === 'connect';
  return runs && !args.includes('--help') && !args.includes('-h');
}

/**
 * The agent name alone, unvalidated: the worker registers under it even for commands that need
 * no keys (`download-files`).
 */
export function agentNameOf(env: NodeJS.ProcessEnv = process.env): string {
  return env.AGENT_NAME || DEFAULT_AGENT_NAME;
}

/**
 * Reads and validates what `dial.ts` needs.
 *
 * @throws Error like {@link readAgentEnv}.
 */
export function readDialEnv(env: NodeJS.ProcessEnv = process.env): DialEnv {
  return parse('dial', dialSchema, env);
}

function parse<T>(who: string, parser: z.ZodType<T>, env: NodeJS.ProcessEnv): T {
  const result = parser.safeParse(env);
  if (result.success) return result.data;
  const missing: string[] = [];
  const malformed: string[] = [];
  for (const issue of result.error.issues) {
    const name = String(issue.path[0]);
    if (unsetIfEmpty(env[name]) === undefined) missing.push(name);
    else malformed.push(`${name} (expected ${EXPECTED[name] ?? 'a non-empty string'})`);
  }
  const problems = [
    missing.length ? `missing ${missing.join(', ')}` : '',
    malformed.length ? `malformed ${malformed.join(', ')}` : '',
  ].filter(Boolean);
  throw new Error(
    `${who}: ${problems.join('; ')} — set them in the environment ` +
      '(see examples/telephony-agent/.env.example)',
  );
}
