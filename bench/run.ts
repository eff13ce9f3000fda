/**
 * `npm run bench`: runs every benchmark in one process, prints the results and writes them to
 * bench/results.md (git-ignored) or to `--out <file>`. docs/benchmarks.md is edited by hand from
 * such a file. Progress goes to stderr; a figure that misses the target its section states is
 * flagged `MISS`. Reports numbers and ratios against baselines measured in the same run; asserts
 * nothing.
 *
 *   npm run bench                        all benchmarks, full runs (several minutes)
 *   npm run bench -- --quick             few runs of each, to check the benchmarks themselves
 *   npm run bench -- --only streaming    one benchmark (streaming, hangup, threads, preemptive, barge-in, exit, lab)
 *   npm run bench -- --out my-run.md     write the results there
 */
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { initializeLogger } from '@livekit/agents';
import { benchBargeIn } from './barge-in.js';
import { benchExit } from './exit.js';
import { benchHangup } from './hangup.js';
import { benchLab } from './lab.js';
import { benchPreemptive } from './preemptive.js';
import { benchStarted, progress, type Target, targetLines } from './progress.js';
import { benchStream } from './stream.js';
import { benchThreads } from './threads.js';

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string', multiple: true },
    out: { type: 'string', default: 'bench/results.md' },
  },
});
const quick = args.quick;

interface Section {
  markdown: string;
  targets?: Target[];
}

const benches: [name: string, run: () => Promise<Section>][] = [
  ['streaming', () => benchStream(quick ? { repetitions: 6, concurrent: 100 } : {})],
  [
    'hangup',
    () =>
      benchHangup({
        ...(quick && { runs: 20 }),
        // three sessions per round (two of ours, LiveKit's tool), about 2 s
        onRound: (done, total) => progress('rounds of three sessions', done, total),
      }),
  ],
  [
    'threads',
    () => benchThreads(quick ? { repetitions: 2, turns: 5, serverCalls: 1, serverTurns: 2 } : {}),
  ],
  ['preemptive', () => benchPreemptive(quick ? { calls: 1, turns: 1 } : {})],
  ['barge-in', () => benchBargeIn(quick ? { runs: 5, baselineRuns: 1 } : {})],
  ['exit', () => benchExit(quick ? { runs: 2 } : {})],
  // a real livekit-server in the call lab: Linux and root (docs/local-lab.md)
  ['lab', () => benchLab(quick ? { calls: 2 } : {})],
];
const unknown = (args.only ?? []).filter((name) => !benches.some(([known]) => known === name));
if (unknown.length > 0) {
  process.stderr.write(
    `bench: unknown --only ${unknown.join(', ')}; choose from ${benches.map(([n]) => n).join(', ')}\n`,
  );
  process.exit(2);
}

initializeLogger({ pretty: false, level: 'error' });
const sections: string[] = [];
const targets: Target[] = [];
for (const [name, bench] of benches) {
  if (args.only && !args.only.includes(name)) continue;
  benchStarted(name);
  const section = await bench();
  // a few runs cannot show whether a figure meets its target: quick mode only shows them
  const lines = targetLines(section.targets ?? [], { judged: !quick });
  for (const line of lines) process.stderr.write(`  ${line}\n`);
  targets.push(...(section.targets ?? []));
  sections.push(
    lines.length > 0
      ? `${section.markdown}\nTargets:\n\n${lines.map((line) => `- ${line}`).join('\n')}\n`
      : section.markdown,
  );
}

const machine = `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'unknown CPU'}, Node ${process.version}`;
const page = [
  '# Benchmark results',
  '',
  `\`npm run bench${quick ? ' -- --quick' : ''}\` (bench/run.ts) on ${new Date().toISOString().slice(0, 10)}, ${machine}.`,
  quick
    ? 'Quick mode: a few runs of each benchmark, to check that they work; the figures are not meaningful.'
    : 'Every number is compared with a baseline measured in the same run, since the machines these run on are noisy.',
  '',
  ...sections,
].join('\n');
const out = resolve(args.out);
writeFileSync(out, `${page}\n`);
process.stdout.write(`${page}\n`);
const missed = targets.filter((t) => !t.met).length;
const verdict = quick
  ? `${targets.length} targets not judged (--quick runs too few)`
  : `${targets.length - missed} of ${targets.length} targets met${missed > 0 ? `, ${missed} MISS` : ''}`;
process.stderr.write(`bench: results in ${out}; ${verdict}\n`);
