/**
 * The demo's command line: `--help` must answer without loading LiveKit or LangGraph (it took
 * 8 s when it did), and a mistyped option points to `--help`.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HELP, parseDemoArgs } from '../../demo/options.js';

const DEMO = resolve(import.meta.dirname, '../../demo');
const staticImports = (file: string) =>
  [...readFileSync(join(DEMO, file), 'utf8').matchAll(/^import [^;]*? from '([^']+)';/gms)].map(
    ([, spec]) => spec,
  );

describe('npm run demo -- <options>', () => {
  it('reads the command line before it imports anything heavy', () => {
    expect(staticImports('main.ts')).toEqual(['./options.js']);
    expect(staticImports('options.ts').every((spec) => spec?.startsWith('node:'))).toBe(true);
  });

  it('points a mistyped option to --help', () => {
    expect(() => parseDemoArgs(['--trasnfer'])).toThrow(
      "Unknown option '--trasnfer' — run `npm run demo -- --help` for the options",
    );
  });

  it('lists every option it accepts in --help', () => {
    for (const option of [
      '--script',
      '--remove-participant',
      '--interrupt-goodbye',
      '--transfer',
      '--speed',
      '--no-color',
    ]) {
      expect(HELP).toContain(option);
      expect(() =>
        parseDemoArgs(option === '--script' || option === '--speed' ? [option, '2'] : [option]),
      ).not.toThrow(/Unknown option/);
    }
  });

  it('parses the defaults and a speed', () => {
    expect(parseDemoArgs(['--speed', '8', '--transfer'])).toMatchObject({
      speed: 8,
      transfer: true,
    });
    expect(() => parseDemoArgs(['--speed', '0'])).toThrow('--speed must be a positive number');
  });
});
