/**
 * The report's bounded wait for the hangup or transfer that ended the call: its action comes
 * after the goodbye has played and drained, so it may still run when the session closes.
 */
import type { EndingStarted } from './report-ending.js';
import type { CallReport, RunningEnd } from './report-types.js';

/** A hangup or transfer as the report recorded it: with when it started (ms since the epoch). */
export type RecordedEnd = RunningEnd & { at: number };

/** A hangup or transfer that ended the call, and what it did. */
export interface Settled {
  /** The ending it recorded, and when. */
  started: EndingStarted;
  /** Its outcome; `undefined` when it was still under way at the deadline. */
  outcome: { hangup?: CallReport['hangup']; transfer?: CallReport['transfer'] } | undefined;
}

/** The ends that ended the call (not those after which it stayed up), waited for until `ms`. */
export async function settle(running: readonly RecordedEnd[], ms: number): Promise<Settled[]> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), ms);
  });
  try {
    const results = await Promise.all(
      running.map((end) =>
        Promise.race([end.done, deadline]).then((outcome) => ({
          end,
          outcome,
        })),
      ),
    );
    return results.flatMap(({ end, outcome }) => {
      if (outcome === undefined) return [];
      const { done: _, at, ...ending } = end;
      const started = { ending, at };
      return [{ started, outcome: outcome === 'late' ? undefined : outcome }];
    });
  } finally {
    clearTimeout(timer);
  }
}
