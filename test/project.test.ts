/**
 * What a new user meets before any code runs: npm's own output in this repository.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');

describe('npm in this repository', () => {
  it('prints no warning about the project config', () => {
    // `npm config list` reads every .npmrc an install would; npm warns on stderr about unknown keys
    const npm = spawnSync('npm', ['config', 'list', '--json'], { cwd: ROOT, encoding: 'utf8' });
    expect([npm.status, npm.stderr]).toEqual([0, '']);
  });

  it("skips onnxruntime-node's postinstall, which only downloads optional CUDA libraries", () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    expect(pkg.allowScripts?.['onnxruntime-node']).toBe(false);
  });
});
