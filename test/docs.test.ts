/**
 * Every TypeScript block in README.md and docs/*.md compiles against the package's source, every
 * JSON block parses and every relative link points at a file — so the docs cannot drift from the code. A block fenced as
 * ```ts fragment is a deliberate excerpt and is not compiled.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importedPackages, installedPackages } from './helpers/install-lines.js';

const ROOT = resolve(import.meta.dirname, '..');
// one folder per run: worktrees of this repository may share one node_modules
const OUT = join(ROOT, 'node_modules', `.docs-check-${process.pid}`);

interface Block {
  name: string;
  lang: string;
  code: string;
}

function blocksOf(file: string): Block[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const blocks: Block[] = [];
  for (const match of text.matchAll(/^```(\w+)([^\n]*)\n([\s\S]*?)^```/gm)) {
    const [, lang = '', info = '', code = ''] = match;
    if (info.trim() === 'fragment') continue;
    const line = text.slice(0, match.index).split('\n').length;
    blocks.push({ name: `${file}:${line}`, lang, code });
  }
  return blocks;
}

const docs = [
  'README.md',
  ...readdirSync(join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];
const blocks = docs.flatMap(blocksOf);
const tsBlocks = blocks.filter((b) => b.lang === 'ts' || b.lang === 'typescript');
const jsonBlocks = blocks.filter((b) => b.lang === 'json');

describe('links in the docs', () => {
  const links = docs.flatMap((file) =>
    [...readFileSync(join(ROOT, file), 'utf8').matchAll(/\]\(([^)#\s]+)(#[^)]*)?\)/g)]
      .map((m) => m[1] ?? '')
      .filter((target) => !/^[a-z]+:/.test(target))
      .map((target) => [file, target] as const),
  );

  it.each(links)('%s → %s exists', (file, target) => {
    expect(existsSync(resolve(ROOT, dirname(file), target))).toBe(true);
  });
});

describe('commands in the docs', () => {
  // agents-js 1.9: `console` requires --connect-addr (only `lk agent console` passes it) and `dev`
  // prints a deprecation warning; a new user copying either gets an error or a warning
  const pages = [
    ...docs,
    'examples/telephony-agent/README.md',
    'examples/telephony-agent/agent.ts',
  ];
  const agentRuns = pages.flatMap((file) =>
    [
      ...readFileSync(join(ROOT, file), 'utf8').matchAll(
        /^[\s*]*(npx|node) .*\.ts (console|dev)\b.*/gm,
      ),
    ].map((m) => `${file}: ${m[0]}`),
  );

  it('run no agent with the console or dev command of agents-js', () => {
    expect(agentRuns).toEqual([]);
  });
});

describe('the set-up the docs show', () => {
  const entries = tsBlocks.filter((b) => b.code.includes('ctx.connect()'));

  it.each(entries.map((b) => [b.name, b] as const))(
    '%s starts the session in the room before ctx.connect(), as the quick start does',
    (_name, block) => {
      const start = block.code.indexOf('session.start(');
      expect(start).toBeGreaterThan(-1);
      expect(start).toBeLessThan(block.code.indexOf('ctx.connect()'));
    },
  );
});

describe('the README install line', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const installed = installedPackages(readme, 'install');
  const quickStart = /<!-- quickstart -->\s*```ts\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
  const imported = importedPackages(quickStart);

  it('installs every package the quick start imports', () => {
    expect(imported.length).toBeGreaterThan(0);
    expect([...new Set(imported)].filter((name) => !installed.includes(name))).toEqual([]);
  });

  it('shows examples/quick-start/agent.ts, the file its test runs, as a user imports it', () => {
    const file = readFileSync(join(ROOT, 'examples/quick-start/agent.ts'), 'utf8');
    expect(quickStart).toBe(file.replaceAll("'../../src/index.js'", "'livekit-langgraph'"));
  });

  it('installs every peer dependency of the package', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    const peers = Object.keys(pkg.peerDependencies);
    expect(peers.filter((name) => !installed.includes(name))).toEqual([]);
  });
});

/** The telephony sample's files, which a user copies into a project of their own. */
const EXAMPLE_DIR = 'examples/telephony-agent';
const exampleFiles = readdirSync(join(ROOT, EXAMPLE_DIR)).filter((f) => f.endsWith('.ts'));

/** File name → `line N: message` for every diagnostic of `program`. */
function diagnosticsOf(program: ts.Program): Map<string, string[]> {
  const diagnostics = new Map<string, string[]>();
  for (const d of ts.getPreEmitDiagnostics(program)) {
    const file = resolve(d.file?.fileName ?? '');
    const message = ts.flattenDiagnosticMessageText(d.messageText, '\n');
    const where =
      d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line + 1 : 0;
    diagnostics.set(file, [...(diagnostics.get(file) ?? []), `line ${where}: ${message}`]);
  }
  return diagnostics;
}

describe('code blocks in the docs', () => {
  /** Against `src/` with the repository's settings, and as a user's project (below). */
  let againstSrc = new Map<string, string[]>();
  let asUser = new Map<string, string[]>();
  const fileOf = (block: Block) => join(OUT, `${block.name.replace(/[/:.]/g, '_')}.ts`);
  const exampleOf = (name: string) => join(OUT, EXAMPLE_DIR, name);
  const DIST = join(OUT, 'dist');

  beforeAll(() => {
    rmSync(OUT, { recursive: true, force: true });
    mkdirSync(join(OUT, EXAMPLE_DIR), { recursive: true });
    for (const block of tsBlocks) writeFileSync(fileOf(block), block.code);
    // a user's copy of the sample imports the package by name
    for (const name of exampleFiles) {
      const code = readFileSync(join(ROOT, EXAMPLE_DIR, name), 'utf8');
      writeFileSync(
        exampleOf(name),
        code.replaceAll("'../../src/index.js'", "'livekit-langgraph'"),
      );
    }
    againstSrc = diagnosticsOf(
      ts.createProgram(tsBlocks.map(fileOf), {
        target: ts.ScriptTarget.ES2022,
        lib: ['lib.es2023.d.ts'],
        module: ts.ModuleKind.NodeNext,
        moduleResolution: ts.ModuleResolutionKind.NodeNext,
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        types: ['node'],
        baseUrl: ROOT,
        paths: { 'livekit-langgraph': ['src/index.ts'] },
      }),
    );

    // the package as published: its declarations, built as `npm run build` does
    const build = ts.getParsedCommandLineOfConfigFile(
      join(ROOT, 'tsconfig.build.json'),
      {},
      { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} },
    );
    if (!build) throw new Error('tsconfig.build.json does not parse');
    ts.createProgram(build.fileNames, {
      ...build.options,
      outDir: DIST,
      declaration: true,
      emitDeclarationOnly: true,
      declarationMap: false,
      sourceMap: false,
      noEmit: false,
    }).emit();
    // what `tsc --init` (TypeScript 5.9) writes, with Node's types the snippets use
    asUser = diagnosticsOf(
      ts.createProgram([...tsBlocks.map(fileOf), ...exampleFiles.map(exampleOf)], {
        target: ts.ScriptTarget.ESNext,
        module: ts.ModuleKind.NodeNext,
        moduleResolution: ts.ModuleResolutionKind.NodeNext,
        strict: true,
        noUncheckedIndexedAccess: true,
        exactOptionalPropertyTypes: true,
        verbatimModuleSyntax: true,
        isolatedModules: true,
        noUncheckedSideEffectImports: true,
        moduleDetection: ts.ModuleDetectionKind.Force,
        skipLibCheck: true,
        noEmit: true,
        types: ['node'],
        baseUrl: ROOT,
        paths: { 'livekit-langgraph': [join(DIST, 'index.d.ts')] },
      }),
    );
  }, 120_000);
  afterAll(() => rmSync(OUT, { recursive: true, force: true }));

  it('finds the blocks and the sample', () => {
    expect(tsBlocks.length).toBeGreaterThan(0);
    expect(docs).toContain('README.md');
    expect(exampleFiles).toContain('agent.ts');
  });

  it.each(tsBlocks.map((b) => [b.name, b] as const))('%s compiles', (_name, block) => {
    expect(againstSrc.get(resolve(fileOf(block))) ?? []).toEqual([]);
  });

  it.each(tsBlocks.map((b) => [b.name, b] as const))(
    '%s compiles in a `tsc --init` project (exactOptionalPropertyTypes)',
    (_name, block) => {
      expect(asUser.get(resolve(fileOf(block))) ?? []).toEqual([]);
    },
  );

  it.each(exampleFiles)(
    `${EXAMPLE_DIR}/%s compiles in a \`tsc --init\` project (exactOptionalPropertyTypes)`,
    (name) => {
      expect(asUser.get(resolve(exampleOf(name))) ?? []).toEqual([]);
    },
  );

  it.each(jsonBlocks.map((b) => [b.name, b] as const))('%s is valid JSON', (_name, block) => {
    expect(() => JSON.parse(block.code)).not.toThrow();
  });
});
