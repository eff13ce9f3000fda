/**
 * The turn's deadlines on fake timers: the clock moves only when the test moves it.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  FirstOutputDeadline,
  FirstOutputTimeoutError,
  OutputGapDeadline,
  OutputGapTimeoutError,
} from '../../src/stream/deadline.js';

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

describe('OutputGapDeadline', () => {
  const gapDeadline = (ms: number, lastAt: () => number | undefined, ending = () => false) =>
    new OutputGapDeadline(ms, lastAt, ending, () => Date.now());

  it('aborts exactly when the turn, having spoken, stays quiet for the gap', () => {
    const spokeAt = Date.now();
    const gap = gapDeadline(20, () => spokeAt);
    gap.start();
    vi.advanceTimersByTime(19);
    expect(gap.expired).toBe(false);
    vi.advanceTimersByTime(1);
    expect(gap.expired).toBe(true);
    expect(gap.signal.reason).toBeInstanceOf(OutputGapTimeoutError);
  });

  it('restarts with every output, and lets be a turn that has not spoken, one that ends the call, and one stopped', () => {
    let lastAt = Date.now();
    const talking = gapDeadline(100, () => lastAt);
    const speaking = setInterval(() => {
      lastAt = Date.now();
    }, 5);
    const silent = gapDeadline(20, () => undefined);
    const ending = gapDeadline(
      20,
      () => 0,
      () => true,
    );
    const stopped = gapDeadline(20, () => 0);
    const off = gapDeadline(0, () => 0);
    for (const deadline of [talking, silent, ending, stopped, off]) deadline.start();
    stopped.stop();
    vi.advanceTimersByTime(250);
    clearInterval(speaking);
    expect([talking, silent, ending, stopped, off].map((d) => d.expired)).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
    // the talking turn goes quiet: its gap passes 100 ms after its last output
    vi.advanceTimersByTime(100);
    expect(talking.expired).toBe(true);
    talking.stop();
    silent.stop();
  });
});
