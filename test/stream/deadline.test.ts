import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { FirstOutputDeadline, FirstOutputTimeoutError } from '../../src/stream/deadline.js';

describe('FirstOutputDeadline', () => {
  it('aborts when the time passes with nothing said', async () => {
    const deadline = new FirstOutputDeadline(20, () => false);
    deadline.start();
    await sleep(60);
    expect(deadline.expired).toBe(true);
    expect(deadline.signal.reason).toBeInstanceOf(FirstOutputTimeoutError);
    expect(deadline.remainingMs()).toBe(0);
  });

  it('does not abort once something was said, nor before it starts, nor when stopped', async () => {
    const spoke = new FirstOutputDeadline(20, () => true);
    spoke.start();
    const idle = new FirstOutputDeadline(20, () => false);
    const stopped = new FirstOutputDeadline(20, () => false);
    stopped.start();
    stopped.stop();
    await sleep(60);
    expect([spoke.expired, idle.expired, stopped.expired]).toEqual([false, false, false]);
    expect(idle.remainingMs()).toBe(Number.POSITIVE_INFINITY);
  });

  it('has no deadline at 0', async () => {
    const off = new FirstOutputDeadline(0, () => false);
    off.start();
    await sleep(20);
    expect([off.expired, off.remainingMs()]).toEqual([false, Number.POSITIVE_INFINITY]);
  });
});
