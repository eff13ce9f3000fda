/**
 * The first-output deadline on fake timers: the clock moves only when the test moves it.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FirstOutputDeadline, FirstOutputTimeoutError } from '../../src/stream/deadline.js';

const deadline = (ms: number, hasOutput: () => boolean) =>
  new FirstOutputDeadline(ms, hasOutput, () => Date.now());

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('FirstOutputDeadline', () => {
  it('aborts exactly when the time passes with nothing said', () => {
    const silent = deadline(20, () => false);
    silent.start();
    vi.advanceTimersByTime(15);
    expect([silent.expired, silent.remainingMs()]).toEqual([false, 5]);
    vi.advanceTimersByTime(5);
    expect(silent.expired).toBe(true);
    expect(silent.signal.reason).toBeInstanceOf(FirstOutputTimeoutError);
    expect(silent.remainingMs()).toBe(0);
  });

  it('does not abort once something was said, nor before it starts, nor when stopped', () => {
    const spoke = deadline(20, () => true);
    spoke.start();
    const idle = deadline(20, () => false);
    const stopped = deadline(20, () => false);
    stopped.start();
    stopped.stop();
    vi.advanceTimersByTime(1_000);
    expect([spoke.expired, idle.expired, stopped.expired]).toEqual([false, false, false]);
    expect(idle.remainingMs()).toBe(Number.POSITIVE_INFINITY);
  });

  it('starts the clock once: a second start() keeps the first deadline', () => {
    const silent = deadline(20, () => false);
    silent.start();
    vi.advanceTimersByTime(10);
    silent.start();
    vi.advanceTimersByTime(10);
    expect(silent.expired).toBe(true);
  });

  it('has no deadline at 0', () => {
    const off = deadline(0, () => false);
    off.start();
    vi.advanceTimersByTime(60_000);
    expect([off.expired, off.remainingMs()]).toEqual([false, Number.POSITIVE_INFINITY]);
  });
});
