/**
 * What a new user meets before any code runs: npm's own output in this repository.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');

describe('npm in this repository', () => {
  it('prints no warning about the project config', () => {
    // `npm config list` reads every .npmrc an install would; npm warns on stderr about unknown keys
    const npm = spawnSync('npm', ['config', 'list', '--json'], { cwd: ROOT, encoding: 'utf8' });
    expect([npm.status, npm.stderr]).toEqual([0, '']);
  });

  it('decides on every install script in the lockfile, so npm 11 lists none as unreviewed', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8'));
    const withScripts = Object.entries(
      lock.packages as Record<string, { hasInstallScript?: boolean }>,
    )
      .filter(([, entry]) => entry.hasInstallScript)
      .map(([path]) => path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length));
    expect(withScripts.length).toBeGreaterThan(0);
    expect([...new Set(withScripts)].filter((name) => !(name in pkg.allowScripts))).toEqual([]);
  });

  it("skips onnxruntime-node's postinstall, which only downloads optional CUDA libraries", () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    expect(pkg.allowScripts?.['onnxruntime-node']).toBe(false);
  });
});

describe('what npm pack ships (scripts/check-package.sh packs and installs it for real)', () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

  it('builds dist/ first, so a fresh clone does not pack an empty package', () => {
    expect(pkg.scripts.prepack).toBe('npm run build');
  });

  it('ships the license package.json names, and the src/ its source maps point at', () => {
    expect(pkg.license).toBe('Apache-2.0');
    expect(readFileSync(join(ROOT, 'LICENSE'), 'utf8')).toMatch(
      /^\s*Apache License\s+Version 2\.0/,
    );
    expect(pkg.files).toEqual(expect.arrayContaining(['dist', 'src']));
  });
});

describe('the layout rules (biome.json)', () => {
  /** Biome's findings, `path rule`, for `files` linted with this repository's configuration. */
  function lintFindings(files: Record<string, string>): string[] {
    const dir = mkdtempSync(join(tmpdir(), 'layout-'));
    try {
      const config = JSON.parse(readFileSync(join(ROOT, 'biome.json'), 'utf8'));
      // the scratch folder is no git checkout
      config.vcs = { enabled: false };
      writeFileSync(join(dir, 'biome.json'), JSON.stringify(config));
      for (const [path, text] of Object.entries(files)) {
        mkdirSync(dirname(join(dir, path)), { recursive: true });
        writeFileSync(join(dir, path), text);
      }
      const biome = join(ROOT, 'node_modules', '.bin', 'biome');
      const run = spawnSync(biome, ['lint', '.'], { cwd: dir, encoding: 'utf8' });
      const found = `${run.stdout}${run.stderr}`.match(/^\S+\.ts:\d+:\d+ lint\/\S+/gm) ?? [];
      return [...new Set(found.map((line) => line.replace(/:\d+:\d+ lint\//, ' ')))].sort();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  it('fails a LiveKit import under src/graph/ and an import circle, type-only ones included', () => {
    expect(
      lintFindings({
        'src/graph/probe.ts': "import { log } from '@livekit/agents';\n\nexport const x = log;\n",
        'src/memory/a.ts': "import type { B } from './b.js';\n\nexport type A = { b?: B };\n",
        'src/memory/b.ts': "import type { A } from './a.js';\n\nexport type B = { a?: A };\n",
        'src/memory/up.ts': "import { x } from '../stream/x.js';\n\nexport const y = x;\n",
        'src/stream/x.ts': 'export const x = 1;\n',
        'src/call/report/probe.ts':
          "import { x } from '../../stream/x.js';\n\nexport const z = x;\n",
      }),
    ).toEqual([
      'src/call/report/probe.ts style/noRestrictedImports',
      'src/graph/probe.ts style/noRestrictedImports',
      'src/memory/a.ts suspicious/noImportCycles',
      'src/memory/b.ts suspicious/noImportCycles',
      'src/memory/up.ts style/noRestrictedImports',
    ]);
  });

  it('fails an import of test/ from bench/, lab/, demo/ or fixtures/ (they share fixtures/)', () => {
    const uses = (path: string) => `import { x } from '${path}';\n\nexport const y = x;\n`;
    expect(
      lintFindings({
        'bench/probe.ts': uses('../test/helpers/logs.js'),
        'lab/agent/probe.ts': uses('../../test/helpers/logs.js'),
        'demo/probe.ts': uses('../test/helpers/logs.js'),
        'fixtures/probe.ts': uses('../test/helpers/logs.js'),
        'bench/allowed.ts': uses('../fixtures/graphs.js'),
        'test/helpers/logs.ts': 'export const x = 1;\n',
        'fixtures/graphs.ts': 'export const x = 1;\n',
      }),
    ).toEqual([
      'bench/probe.ts style/noRestrictedImports',
      'demo/probe.ts style/noRestrictedImports',
      'fixtures/probe.ts style/noRestrictedImports',
      'lab/agent/probe.ts style/noRestrictedImports',
    ]);
  });
});

describe('the layout check (scripts/check-layout.mjs)', () => {
  it('flags a module or a top-level folder the tables of docs/architecture.md leave out', () => {
    const dir = mkdtempSync(join(tmpdir(), 'layout-'));
    try {
      const files: Record<string, string> = {
        'src/graph/listed.ts': 'export const a = 1;\n',
        'src/graph/unlisted.ts': 'export const b = 1;\n',
        'test/graph/listed.test.ts': '',
        'test/graph/unlisted.test.ts': '',
        'test/integration/.keep': '',
        'tools/build.ts': '',
        'dist/index.js': '',
        '.gitignore': 'dist/\n',
        'docs/architecture.md': [
          '## The repository\n\n| folder | holds |\n|---|---|',
          '| `src/` | a |\n| `test/` | b |\n| `docs/` | c |\n',
          '## Modules\n\n| file | owns |\n|---|---|\n| `src/graph/listed.ts` | a |\n',
        ].join('\n'),
      };
      for (const [path, text] of Object.entries(files)) {
        mkdirSync(dirname(join(dir, path)), { recursive: true });
        writeFileSync(join(dir, path), text);
      }
      const run = spawnSync('node', [join(ROOT, 'scripts', 'check-layout.mjs')], {
        cwd: dir,
        encoding: 'utf8',
      });
      expect([run.status, run.stderr.trim().split('\n').slice(1)]).toEqual([
        1,
        [
          '  src/graph/unlisted.ts: not in the module table of docs/architecture.md — add a row saying what it owns',
          '  tools/: not in the repository table of docs/architecture.md — add a row saying what it holds and may import',
        ],
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
