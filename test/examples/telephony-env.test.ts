/**
 * What the telephony example reads when a call starts: its environment
 * (examples/telephony-agent/env.ts) and the dispatch metadata of an outbound call (outbound.ts).
 */
import { describe, expect, it } from 'vitest';
import {
  agentNameOf,
  commandNeedsKeys,
  DEFAULT_AGENT_NAME,
  readAgentEnv,
  readDialEnv,
} from '../../examples/telephony-agent/env.js';
import { phoneNumberOf } from '../../examples/telephony-agent/outbound.js';

/** Values no error message may ever contain. */
const SECRETS = {
  LIVEKIT_API_KEY: 'APIkey-3f9a1c',
  LIVEKIT_API_SECRET: 'secret-7d2e8b4a',
  OPENAI_API_KEY: 'sk-openai-5c1f0e',
  DEEPGRAM_API_KEY: 'dg-key-9b3a6d',
};
const COMPLETE = { LIVEKIT_URL: 'wss://acme.livekit.cloud', ...SECRETS };
const REQUIRED = Object.keys(COMPLETE) as (keyof typeof COMPLETE)[];

/** The message of what `read` throws. */
function errorOf(read: () => unknown): string {
  try {
    read();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected an error');
}

describe('readAgentEnv', () => {
  it('reads TRANSFER_TO as a tel: or sip: URI, and says what a wrong one should be', () => {
    expect(readAgentEnv({ ...COMPLETE, TRANSFER_TO: 'tel:+15105550100' }).TRANSFER_TO).toBe(
      'tel:+15105550100',
    );
    expect(readAgentEnv({ ...COMPLETE, TRANSFER_TO: '' }).TRANSFER_TO).toBeUndefined();
    const message = errorOf(() => readAgentEnv({ ...COMPLETE, TRANSFER_TO: '555-0100' }));
    expect(message).toContain(
      'malformed TRANSFER_TO (expected tel:+<country code and number> or sip:<user>@<host>)',
    );
    expect(message).not.toContain('555-0100');
  });

  it('fills the defaults', () => {
    expect(readAgentEnv({ ...COMPLETE })).toEqual({
      ...COMPLETE,
      SIP_OUTBOUND_TRUNK_ID: undefined,
      AGENT_NAME: DEFAULT_AGENT_NAME,
      MAX_CALL_SECONDS: 600,
      SILENCE_TIMEOUT_SECONDS: 30,
      CHECKPOINT_DB: './threads.sqlite',
      AGENT_PLUGINS: undefined,
    });
  });

  it('needs no OpenAI or Deepgram key when AGENT_PLUGINS names the plugins to use', () => {
    const { OPENAI_API_KEY, DEEPGRAM_API_KEY, ...livekitOnly } = COMPLETE;
    expect(() => readAgentEnv(livekitOnly)).toThrow(/missing OPENAI_API_KEY, DEEPGRAM_API_KEY/);
    const plugins = 'lab/sample-plugins.ts';
    expect(readAgentEnv({ ...livekitOnly, AGENT_PLUGINS: plugins }).AGENT_PLUGINS).toBe(plugins);
  });

  it('reads the optional variables', () => {
    const env = readAgentEnv({
      ...COMPLETE,
      SIP_OUTBOUND_TRUNK_ID: 'ST_abc',
      AGENT_NAME: 'acme',
      MAX_CALL_SECONDS: '120',
      SILENCE_TIMEOUT_SECONDS: '10',
      CHECKPOINT_DB: '/var/lib/agent/threads.sqlite',
    });
    expect([
      env.SIP_OUTBOUND_TRUNK_ID,
      env.AGENT_NAME,
      env.MAX_CALL_SECONDS,
      env.SILENCE_TIMEOUT_SECONDS,
      env.CHECKPOINT_DB,
    ]).toEqual(['ST_abc', 'acme', 120, 10, '/var/lib/agent/threads.sqlite']);
  });

  it.each(REQUIRED)('names %s when it is missing or empty', (name) => {
    const expected =
      `telephony-agent: missing ${name} — set them in the environment ` +
      '(see examples/telephony-agent/.env.example)';
    expect(errorOf(() => readAgentEnv({ ...COMPLETE, [name]: undefined }))).toBe(expected);
    expect(errorOf(() => readAgentEnv({ ...COMPLETE, [name]: '' }))).toBe(expected);
  });

  it('names every missing variable at once', () => {
    expect(errorOf(() => readAgentEnv({}))).toBe(
      `telephony-agent: missing ${REQUIRED.join(', ')} — set them in the environment ` +
        '(see examples/telephony-agent/.env.example)',
    );
  });

  it('says what a malformed variable should be, and never prints a value', () => {
    const message = errorOf(() =>
      readAgentEnv({
        ...SECRETS,
        LIVEKIT_URL: 'acme.livekit.cloud/secret-path',
        OPENAI_API_KEY: undefined,
        MAX_CALL_SECONDS: 'ten minutes',
        SILENCE_TIMEOUT_SECONDS: '-5',
      }),
    );
    expect(message).toBe(
      'telephony-agent: missing OPENAI_API_KEY; malformed ' +
        'LIVEKIT_URL (expected a wss:// or https:// URL, e.g. wss://my-project.livekit.cloud), ' +
        'MAX_CALL_SECONDS (expected a whole number of seconds above 0), ' +
        'SILENCE_TIMEOUT_SECONDS (expected a whole number of seconds above 0) — ' +
        'set them in the environment (see examples/telephony-agent/.env.example)',
    );
    for (const value of [...Object.values(SECRETS), 'secret-path', 'ten minutes', '-5']) {
      expect(message).not.toContain(value);
    }
  });
});

describe('readDialEnv', () => {
  it('needs only the LiveKit credentials', () => {
    const { LIVEKIT_URL, LIVEKIT_API_KEY, LIVEKIT_API_SECRET } = COMPLETE;
    expect(readDialEnv({ LIVEKIT_URL, LIVEKIT_API_KEY, LIVEKIT_API_SECRET })).toEqual({
      LIVEKIT_URL,
      LIVEKIT_API_KEY,
      LIVEKIT_API_SECRET,
      AGENT_NAME: DEFAULT_AGENT_NAME,
    });
    expect(errorOf(() => readDialEnv({ LIVEKIT_URL }))).toBe(
      'dial: missing LIVEKIT_API_KEY, LIVEKIT_API_SECRET — set them in the environment ' +
        '(see examples/telephony-agent/.env.example)',
    );
  });
});

describe('agentNameOf', () => {
  it.each([
    [{}, DEFAULT_AGENT_NAME],
    [{ AGENT_NAME: '' }, DEFAULT_AGENT_NAME],
    [{ AGENT_NAME: 'acme' }, 'acme'],
  ])('%j → %s', (env, name) => {
    expect(agentNameOf(env)).toBe(name);
  });
});

describe('phoneNumberOf (the dispatch metadata dial.ts writes)', () => {
  it.each([
    ['{"phoneNumber":"+15105550100"}', '+15105550100'],
    ['', undefined], // an inbound call: the dispatch rule sent no metadata
    ['job dispatch metadata', undefined], // a dispatch rule's own, non-JSON metadata
    ['{"phoneNumber":"5105550100"}', undefined], // not E.164
    ['{"phoneNumber":"+1 510 555 0100"}', undefined],
    ['["+15105550100"]', undefined],
  ])('%s → %s', (metadata, expected) => {
    expect(phoneNumberOf(metadata)).toBe(expected);
  });
});

describe('which agent.ts commands need the keys', () => {
  it.each([
    [['start'], true],
    [['connect', '--room', 'r1'], true],
    [['dev'], true],
    [['start', '--help'], false],
    [['connect', '-h'], false],
    [['download-files'], false],
    [['--help'], false],
    [[], false],
  ])('%j → %s', (args, needed) => {
    expect(commandNeedsKeys(args)).toBe(needed);
  });
});
