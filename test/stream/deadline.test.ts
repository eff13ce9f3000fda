import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import {
  DeadlineError,
  FirstOutputDeadline,
  OutputGapDeadline,
} from '../../src/stream/deadline.js';

describe('FirstOutputDeadline', () => {
  it('aborts when the time passes with nothing said', async () => {
    const deadline = new FirstOutputDeadline(20, () => false);
    deadline.start();
    await sleep(60);
    expect(deadline.expired).toBe(true);
    expect(deadline.signal.reason).toBeInstanceOf(DeadlineError);
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

describe('OutputGapDeadline', () => {
  it('aborts when the turn, having spoken, stays quiet for the gap', async () => {
    const spokeAt = performance.now();
    const gap = new OutputGapDeadline(
      20,
      () => spokeAt,
      () => false,
    );
    gap.start();
    await sleep(80);
    expect(gap.expired).toBe(true);
    expect(gap.signal.reason).toBeInstanceOf(DeadlineError);
  });

  it('restarts with every output, and lets be a turn that has not spoken, one that ends the call, and one stopped', async () => {
    let lastAt = performance.now();
    const talking = new OutputGapDeadline(
      100,
      () => lastAt,
      () => false,
    );
    const speaking = setInterval(() => {
      lastAt = performance.now();
    }, 5);
    talking.start();
    const silent = new OutputGapDeadline(
      20,
      () => undefined,
      () => false,
    );
    silent.start();
    const ending = new OutputGapDeadline(
      20,
      () => 0,
      () => true,
    );
    ending.start();
    const stopped = new OutputGapDeadline(
      20,
      () => 0,
      () => false,
    );
    stopped.start();
    stopped.stop();
    const off = new OutputGapDeadline(
      0,
      () => 0,
      () => false,
    );
    off.start();
    await sleep(250);
    clearInterval(speaking);
    talking.stop();
    silent.stop();
    expect([talking, silent, ending, stopped, off].map((d) => d.expired)).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
  });
});
