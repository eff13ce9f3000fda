import { describe, expect, it, vi } from 'vitest';
import {
  ActionTimeoutError,
  type DeadlineOptions,
  logFields,
  messageOf,
  withDeadline,
} from '../../../src/call/speak-then-act/failures.js';

const options = (timeoutMs: number, signal?: AbortSignal): DeadlineOptions => ({
  timeoutMs,
  signal,
  owner: 'hangupTool',
  what: 'the delete_room action',
  option: 'actionTimeoutMs',
});

describe('withDeadline', () => {
  it('settles as the action does when it is in time', async () => {
    expect(await withDeadline(async () => 'done', options(1_000))).toBe('done');
    await expect(
      withDeadline(async () => Promise.reject(new Error('503')), options(1_000)),
    ).rejects.toThrow('503');
  });

  it('gives up on an action that never settles, naming the owner, the action and the option', async () => {
    vi.useFakeTimers();
    try {
      const running = withDeadline(() => new Promise<never>(() => {}), options(50)).catch(
        (e: unknown) => e,
      );
      await vi.advanceTimersByTimeAsync(49);
      expect(vi.getTimerCount()).toBe(1);
      await vi.advanceTimersByTimeAsync(1);
      const error = await running;
      expect(error).toBeInstanceOf(ActionTimeoutError);
      expect((error as Error).message).toBe(
        'hangupTool: the delete_room action did not finish within 50 ms (`actionTimeoutMs`) — ' +
          'check that the server it calls is reachable (LIVEKIT_URL for LiveKit); a request ' +
          'already sent cannot be recalled and may still take effect',
      );
      // the deadline's timer is gone with it
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });

  it('aborts the signal it gives the action, so a retry loop stops at the deadline', async () => {
    let attempts = 0;
    let stoppedBy: unknown;
    const retrying = async (signal: AbortSignal) => {
      try {
        for (;;) {
          signal.throwIfAborted();
          attempts += 1;
          // an abortable wait between attempts, as the RoomService retries have
          await new Promise((resolve, reject) => {
            const timer = setTimeout(resolve, 20);
            signal.addEventListener('abort', () => {
              clearTimeout(timer);
              reject(signal.reason);
            });
          });
        }
      } catch (error) {
        stoppedBy = signal.reason;
        throw error;
      }
    };
    vi.useFakeTimers();
    try {
      const running = withDeadline(retrying, options(100));
      const settled = expect(running).rejects.toBeInstanceOf(ActionTimeoutError);
      await vi.advanceTimersByTimeAsync(100);
      await settled;
      // attempts at 0, 20, 40, 60 and 80 ms; the one due at 100 ms never starts
      expect(attempts).toBe(5);
      expect(stoppedBy).toBeInstanceOf(ActionTimeoutError);
      // nothing is left to start another attempt
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });

  it("throws the caller's abort reason, at once when it is aborted already", async () => {
    const cancel = new AbortController();
    const running = withDeadline(() => new Promise<never>(() => {}), options(5_000, cancel.signal));
    cancel.abort(new Error('cancelled'));
    await expect(running).rejects.toThrow('cancelled');
    let started = false;
    const never = async () => {
      started = true;
    };
    await expect(withDeadline(never, options(5_000, cancel.signal))).rejects.toThrow('cancelled');
    expect(started).toBe(false);
  });
});

describe('logFields', () => {
  it.each<[string, unknown, ReturnType<typeof logFields>]>([
    ['an error', new Error('boom'), { error: 'boom' }],
    [
      'an error with a cause',
      new Error('DeleteRoom failed', { cause: new DOMException('timed out', 'TimeoutError') }),
      { error: 'DeleteRoom failed', cause: 'timed out' },
    ],
    [
      'a DOMException, without its constants',
      new DOMException('aborted', 'AbortError'),
      { error: 'aborted' },
    ],
    ['a string', 'plain', { error: 'plain' }],
    [
      'a Twirp error without a message, by its name, status and code',
      new Error('outer', {
        cause: Object.assign(new Error(''), {
          name: 'TwirpError',
          status: 401,
          code: 'unauthenticated',
        }),
      }),
      { error: 'outer', cause: 'TwirpError 401 unauthenticated' },
    ],
  ])('logs %s as its message', (_, error, fields) => {
    expect(logFields(error)).toEqual(fields);
    expect(messageOf(error)).toBe(fields.error);
  });
});
