/**
 * Every TypeScript block in README.md and docs/*.md compiles against the package's source, every
 * JSON block parses and every relative link points at a file — so the docs cannot drift from the code. A block fenced as
 * ```ts fragment is a deliberate excerpt and is not compiled.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');
const OUT = join(ROOT, 'node_modules', '.docs-check');

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

describe('the README install line', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const line = /<!-- install -->\s*```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
  const installed = line
    .replace(/\\\n/g, ' ')
    .trim()
    .split(/\s+/)
    .slice(2)
    .map((spec) => spec.replace(/(.)@.*$/, '$1'));
  const quickStart = /<!-- quickstart -->\s*```ts\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
  const imported = [...quickStart.matchAll(/from '([^'.][^']*)'/g)].map(([, spec = '']) =>
    spec
      .split('/')
      .slice(0, spec.startsWith('@') ? 2 : 1)
      .join('/'),
  );

  it('installs every package the quick start imports', () => {
    expect(imported.length).toBeGreaterThan(0);
    expect([...new Set(imported)].filter((name) => !installed.includes(name))).toEqual([]);
  });

  it('installs every peer dependency of the package', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    const peers = Object.keys(pkg.peerDependencies);
    expect(peers.filter((name) => !installed.includes(name))).toEqual([]);
  });
});

describe('code blocks in the docs', () => {
  const diagnostics = new Map<string, string[]>();
  const fileOf = (block: Block) => join(OUT, `${block.name.replace(/[/:.]/g, '_')}.ts`);

  beforeAll(() => {
    rmSync(OUT, { recursive: true, force: true });
    mkdirSync(OUT, { recursive: true });
    for (const block of tsBlocks) writeFileSync(fileOf(block), block.code);
    const program = ts.createProgram(tsBlocks.map(fileOf), {
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
    });
    for (const d of ts.getPreEmitDiagnostics(program)) {
      const file = d.file?.fileName ?? '';
      const message = ts.flattenDiagnosticMessageText(d.messageText, '\n');
      const where =
        d.file && d.start !== undefined
          ? d.file.getLineAndCharacterOfPosition(d.start).line + 1
          : 0;
      const list = diagnostics.get(resolve(file)) ?? [];
      list.push(`line ${where}: ${message}`);
      diagnostics.set(resolve(file), list);
    }
  }, 120_000);
  afterAll(() => rmSync(OUT, { recursive: true, force: true }));

  it('finds the blocks', () => {
    expect(tsBlocks.length).toBeGreaterThan(0);
    expect(docs).toContain('README.md');
  });

  it.each(tsBlocks.map((b) => [b.name, b] as const))('%s compiles', (_name, block) => {
    expect(diagnostics.get(resolve(fileOf(block))) ?? []).toEqual([]);
  });

  it.each(jsonBlocks.map((b) => [b.name, b] as const))('%s is valid JSON', (_name, block) => {
    expect(() => JSON.parse(block.code)).not.toThrow();
  });
});
