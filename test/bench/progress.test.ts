/**
 * `npm run bench -- --quick` checks that the benchmarks run; its few samples cannot tell whether
 * a figure meets its target, so it must not report a MISS (it did, for the streaming ratio).
 */
import { describe, expect, it } from 'vitest';
import { atMost, targetLines } from '../../bench/progress.js';

const ms = (n: number) => `${n} ms`;

describe('bench targets', () => {
  it('are judged in a full run', () => {
    expect(targetLines([atMost('p99', 12, 10, ms), atMost('p50', 3, 10, ms)])).toEqual([
      'MISS p99: 12 ms (target ≤ 10 ms)',
      'OK   p50: 3 ms (target ≤ 10 ms)',
    ]);
  });

  it('are shown, not judged, in a quick run', () => {
    expect(targetLines([atMost('p99', 12, 10, ms)], { judged: false })).toEqual([
      '--   p99: 12 ms (target ≤ 10 ms, not judged in --quick)',
    ]);
  });
});
