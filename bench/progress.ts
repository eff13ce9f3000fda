/**
 * Progress of `npm run bench` on stderr, so stdout keeps only the results: which benchmark, which
 * step, how far, and the time since the run started. A bench takes minutes; lines come at each
 * new step and at most every few seconds within one, so they do not flood a log.
 */
import { performance } from 'node:perf_hooks';

/** The least time between two lines of the same step. */
const INTERVAL_MS = 5_000;

const started = performance.now();
let bench = '';
let lastStep = '';
let lastLine = 0;

const elapsed = () => `${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s`;

/** Starts the section of benchmark `name`. */
export function benchStarted(name: string): void {
  bench = name;
  lastStep = '';
  process.stderr.write(`[${elapsed()}] ${name}\n`);
}

/**
 * Reports `step` of the current benchmark, with `done` of `total` when given. Within one step,
 * writes at most every few seconds, and always its last item.
 */
export function progress(step: string, done?: number, total?: number): void {
  const now = performance.now();
  const last = done !== undefined && done === total;
  if (step === lastStep && !last && now - lastLine < INTERVAL_MS) return;
  lastStep = step;
  lastLine = now;
  const count = done !== undefined && total !== undefined ? ` ${done}/${total}` : '';
  process.stderr.write(`[${elapsed()}] ${bench}: ${step}${count}\n`);
}

/** One figure a benchmark promises, checked against what it measured. */
export interface Target {
  /** What is measured, as in the tables. */
  name: string;
  /** The measured figure, formatted. */
  measured: string;
  /** The target, as the section states it (`≤ 1.05×`). */
  target: string;
  /** Whether the figure meets the target. */
  met: boolean;
}

/** `value ≤ limit` as a {@link Target}; `format` writes both numbers. */
export function atMost(
  name: string,
  value: number,
  limit: number,
  format: (n: number) => string,
): Target {
  return { name, measured: format(value), target: `≤ ${format(limit)}`, met: value <= limit };
}

/**
 * One line per target: `OK` or `MISS`, then the figure and its target; with `judged: false` (a
 * quick run, too few samples to tell), `--` instead of a verdict.
 */
export function targetLines(
  targets: readonly Target[],
  { judged = true }: { judged?: boolean } = {},
): string[] {
  return targets.map((t) => {
    const verdict = !judged ? '--  ' : t.met ? 'OK  ' : 'MISS';
    const note = judged ? '' : ', not judged in --quick';
    return `${verdict} ${t.name}: ${t.measured} (target ${t.target}${note})`;
  });
}
