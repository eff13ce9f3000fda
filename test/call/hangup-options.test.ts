/**
 * hangupTool / hangupCall options: validated once, at construction, with messages that name the
 * option and the fix. No session is needed for any of these.
 */
import { voice } from '@livekit/agents';
import { RoomServiceClient } from 'livekit-server-sdk';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type HangupOptions, hangupCall, hangupTool } from '../../src/call/hangup.js';

const SECRET = 'do-not-print-this-secret';

describe('hangupTool options', () => {
  beforeEach(() => {
    vi.stubEnv('LIVEKIT_URL', undefined);
    vi.stubEnv('LIVEKIT_API_KEY', undefined);
    vi.stubEnv('LIVEKIT_API_SECRET', undefined);
  });
  afterEach(() => vi.unstubAllEnvs());

  const roomService = new RoomServiceClient('http://127.0.0.1:1', 'key', SECRET);

  it('is an anonymous tool that an agent registers under end_call', () => {
    const agent = new voice.Agent({
      instructions: '',
      tools: { end_call: hangupTool({ roomService, roomName: 'call-1' }) },
    });
    expect(Object.keys(agent.toolCtx.functionTools)).toEqual(['end_call']);
  });

  it('names a misspelt option and the right one', () => {
    const options = { roomService, roomName: 'call-1', playoutTimeout: 5 } as HangupOptions;
    expect(() => hangupTool(options)).toThrow(
      'hangupTool: invalid options — unknown option `playoutTimeout`: did you mean `playoutTimeoutMs`?',
    );
  });

  it.each([
    [{ playoutTimeoutMs: -1 }, 'playoutTimeoutMs'],
    [{ playoutTimeoutMs: 1.5 }, 'playoutTimeoutMs'],
    [{ action: 'hang_up' }, 'action'],
    [{ roomService: {} }, 'roomService'],
    [{ onHangup: 'log' }, 'onHangup'],
    [{ interruptible: 'yes' }, 'interruptible'],
    [{ drainMs: -1 }, 'drainMs'],
    [{ drainMs: 2.5 }, 'drainMs'],
    [{ actionTimeoutMs: 0 }, 'actionTimeoutMs'],
    [{ actionTimeoutMs: 1.5 }, 'actionTimeoutMs'],
  ])('rejects %j, naming %s', (bad, option) => {
    const options = { roomService, roomName: 'call-1', ...bad } as HangupOptions;
    expect(() => hangupTool(options)).toThrow(`hangupTool: invalid options — \`${option}\`: `);
  });

  it('lists the accepted actions', () => {
    const options = {
      roomService,
      roomName: 'call-1',
      action: 'delete',
    } as unknown as HangupOptions;
    expect(() => hangupTool(options)).toThrow(
      'hangupTool: invalid options — `action`: expected "delete_room", "remove_participant", "none" or an async function',
    );
  });

  it('bounds drainMs: seconds passed as ms are a mistake', () => {
    expect(() => hangupTool({ roomService, roomName: 'call-1', drainMs: 30_000 })).toThrow(
      'hangupTool: invalid options — `drainMs`: expected at most 10000 (ms)',
    );
  });

  it('bounds actionTimeoutMs: a caller kept on a dead line for minutes is worse', () => {
    expect(() => hangupTool({ roomService, roomName: 'call-1', actionTimeoutMs: 120_000 })).toThrow(
      'hangupTool: invalid options — `actionTimeoutMs`: expected at most 60000 (ms)',
    );
    expect(() =>
      hangupTool({ roomService, roomName: 'call-1', actionTimeoutMs: 60_000 }),
    ).not.toThrow();
  });

  it('takes 0 as a drain (none) and 10_000 as the longest one', () => {
    expect(() => hangupTool({ roomService, roomName: 'call-1', drainMs: 0 })).not.toThrow();
    expect(() => hangupTool({ roomService, roomName: 'call-1', drainMs: 10_000 })).not.toThrow();
  });

  it('takes 0 as a playout timeout and leaves the caller’s options untouched', () => {
    const options = Object.freeze({ roomService, roomName: 'call-1', playoutTimeoutMs: 0 });
    expect(() => hangupTool(options)).not.toThrow();
    expect(options).toEqual({ roomService, roomName: 'call-1', playoutTimeoutMs: 0 });
  });

  it('needs a room name outside a LiveKit job, and names the local-test way out', () => {
    expect(() => hangupTool({ roomService })).toThrow(
      "hangupTool: no room to end outside a LiveKit job — pass `roomName`, or create it inside the job entrypoint (in a local test with no room: `action: 'none'`)",
    );
    expect(() => hangupTool({ action: 'none' })).not.toThrow();
  });

  it('needs an identity to remove outside a LiveKit job', () => {
    expect(() =>
      hangupTool({ roomService, roomName: 'call-1', action: 'remove_participant' }),
    ).toThrow('hangupTool: no participant to remove outside a LiveKit job — pass `identity`');
  });

  it('names every missing credential variable and never prints the secret', () => {
    vi.stubEnv('LIVEKIT_API_SECRET', SECRET);
    vi.stubEnv('LIVEKIT_URL', 'localhost-7880');
    const error = captureError(() => hangupTool({ roomName: 'call-1' }));
    expect(error.message).toContain(
      'hangupTool: no LiveKit credentials to end the call with (LIVEKIT_URL is not a URL ' +
        '(e.g. wss://my-project.livekit.cloud), LIVEKIT_API_KEY is not set) — set LIVEKIT_URL',
    );
    expect(error.message).not.toContain(SECRET);
    expect(error.message).not.toContain('localhost-7880');
  });

  it('reads complete credentials from the environment', () => {
    vi.stubEnv('LIVEKIT_URL', 'wss://example.livekit.cloud');
    vi.stubEnv('LIVEKIT_API_KEY', 'key');
    vi.stubEnv('LIVEKIT_API_SECRET', SECRET);
    expect(() => hangupTool({ roomName: 'call-1' })).not.toThrow();
  });

  it.each([['none'], [async () => {}]] as const)(
    'needs no room or credentials for %s',
    (action) => {
      expect(() => hangupTool({ action })).not.toThrow();
    },
  );
});

describe('hangupCall options', () => {
  const session = new voice.AgentSession({});

  it('has no hangupWhenInterrupted: an explicit end always hangs up', async () => {
    const options = { session, action: 'none', hangupWhenInterrupted: true } as const;
    await expect(hangupCall(options)).rejects.toThrow(
      'hangupCall: invalid options — unknown option `hangupWhenInterrupted`: expected one of `action`, `roomService`',
    );
  });

  it('needs a session', async () => {
    const options = { session: {}, action: 'none' } as unknown as Parameters<typeof hangupCall>[0];
    await expect(hangupCall(options)).rejects.toThrow(
      'hangupCall: invalid options — `session`: expected a voice.AgentSession',
    );
  });
});

function captureError(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}
