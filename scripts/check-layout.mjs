#!/usr/bin/env node
// The layout rules Biome cannot check (docs/architecture.md, "Rules the tools enforce"):
// every module of src/ has a test file of the same path under test/ (or, for a module that only
// a session can exercise, integration suites named after it: test/integration/<name>-*.test.ts),
// no file of src/ passes
// MAX_LINES, src/ holds only the five folders and the top-level files of the public surface, and
// every module of src/ is in the module table of docs/architecture.md (a cell lists a path, then
// more files of the same folder: `src/call/hangup.ts`, `hangup-options.ts`), and every top-level
// folder of the repository is in its repository table. What the folders around src/ may import
// (bench/, lab/, demo/, fixtures/ never test/) is Biome's too.
// Import circles and the folders' import rules are Biome's (biome.json).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, sep } from 'node:path';

const MAX_LINES = 300;
const FOLDERS = new Set(['graph', 'stream', 'memory', 'remote', 'call']);
const TOP_LEVEL = new Set(['index.ts', 'adapter.ts', 'adapter-options.ts', 'validation.ts']);
// modules that export no code (only types) need no test file of their own
const RUNTIME_EXPORT = /^export\s+(?:async\s+)?(?:const|let|function|class|abstract\s+class)\b/m;

const problems = [];
const files = (dir) =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });

for (const entry of readdirSync('src')) {
  const isDir = statSync(join('src', entry)).isDirectory();
  if (isDir ? !FOLDERS.has(entry) : !TOP_LEVEL.has(entry)) {
    problems.push(
      `src/${entry}: src/ holds only the folders ${[...FOLDERS].join(', ')} and ${[...TOP_LEVEL].join(', ')} — put it in the folder of its concern`,
    );
  }
}

for (const file of files('src').filter((f) => f.endsWith('.ts'))) {
  const text = readFileSync(file, 'utf8');
  const lines = text.split('\n').length - 1;
  if (lines > MAX_LINES) {
    problems.push(`${file}: ${lines} lines, over ${MAX_LINES} — split it by concern`);
  }
  const rel = relative('src', file);
  if (rel === 'index.ts' || !RUNTIME_EXPORT.test(text)) continue;
  const test = join('test', rel.replace(/\.ts$/, '.test.ts'));
  const name = basename(file, '.ts');
  const suites = readdirSync(join('test', 'integration')).filter((f) => f.startsWith(`${name}-`));
  if (!existsSync(test) && suites.length === 0) {
    problems.push(`${file}: no test file — add ${test}`);
  }
}

const ARCHITECTURE = 'docs/architecture.md';
const tabled = new Set();
const moduleTable = readFileSync(ARCHITECTURE, 'utf8').split('## Modules')[1] ?? '';
for (const row of moduleTable.split('\n').filter((line) => line.startsWith('| `'))) {
  let folder = 'src';
  for (const [, name] of (row.split('|')[1] ?? '').matchAll(/`([^`]+)`/g)) {
    if (name.includes('/')) folder = dirname(name);
    tabled.add(name.includes('/') ? name : `${folder}/${name}`);
  }
}
for (const file of files('src').filter((f) => f.endsWith('.ts'))) {
  const path = file.split(sep).join('/');
  if (!tabled.has(path)) {
    problems.push(
      `${path}: not in the module table of ${ARCHITECTURE} — add a row saying what it owns`,
    );
  }
}

// the folders git ignores (node_modules/, dist/, …) are no part of the layout
const ignored = existsSync('.gitignore')
  ? readFileSync('.gitignore', 'utf8')
      .split('\n')
      .filter((line) => /^[^/*!#]+\/$/.test(line))
      .map((line) => line.slice(0, -1))
  : [];
const repositoryTable = (
  readFileSync(ARCHITECTURE, 'utf8').split('## The repository')[1] ?? ''
).split('\n## ')[0];
const listedFolders = new Set(
  [...repositoryTable.matchAll(/^\| `([^`/]+)\/`/gm)].map(([, folder]) => folder),
);
for (const entry of readdirSync('.')) {
  if (entry.startsWith('.') || ignored.includes(entry) || !statSync(entry).isDirectory()) continue;
  if (!listedFolders.has(entry)) {
    problems.push(
      `${entry}/: not in the repository table of ${ARCHITECTURE} — add a row saying what it holds and may import`,
    );
  }
}

if (problems.length > 0) {
  console.error(`check-layout: ${problems.length} problem(s)\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(
  'check-layout: src/ layout, file sizes, test files, the module table and the top-level folders are in order',
);
