/**
 * `npm run bench`: runs every benchmark in one process and writes docs/benchmarks.md.
 * Reports numbers and ratios against baselines measured in the same run; asserts nothing.
 */
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { initializeLogger } from '@livekit/agents';
import { benchHangup } from './hangup.js';
import { benchPreemptive } from './preemptive.js';
import { benchStream } from './stream.js';
import { benchThreads } from './threads.js';

initializeLogger({ pretty: false, level: 'error' });
const sections: string[] = [];
for (const [name, bench] of [
  ['streaming', () => benchStream()],
  ['hangup', () => benchHangup()],
  ['threads', () => benchThreads()],
  ['preemptive', () => benchPreemptive()],
] as const) {
  process.stderr.write(`bench: ${name}…\n`);
  sections.push((await bench()).markdown);
}

const machine = `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'unknown CPU'}, Node ${process.version}`;
const page = [
  '# Benchmarks',
  '',
  `Written by \`npm run bench\` (bench/run.ts) on ${new Date().toISOString().slice(0, 10)}, ${machine}.`,
  'Every number below is compared with a baseline measured in the same run, since the machines',
  'these run on are noisy; rerun the command to refresh the page.',
  '',
  ...sections,
].join('\n');
writeFileSync(new URL('../docs/benchmarks.md', import.meta.url), `${page}\n`);
process.stdout.write(`${page}\n`);
