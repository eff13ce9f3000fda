/**
 * The sample agent's README says what `agent.ts` does about preemptive generation, and installs
 * every package the sample imports (a user copying it out of the repository needs them all).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importedPackages, installedPackages } from '../helpers/install-lines.js';

const DIR = resolve(import.meta.dirname, '../../examples/telephony-agent');
const readme = readFileSync(join(DIR, 'README.md'), 'utf8');
/** agent.ts without its comments: what it does, not what it says. */
const code = readFileSync(join(DIR, 'agent.ts'), 'utf8')
  .replace(/\/\*[\s\S]*?\*\//g, '')
  .replace(/\/\/.*$/gm, '');

describe('the telephony README on preemptive generation', () => {
  it('says on or off as agent.ts configures it', () => {
    const said = /\*\*Preemptive generation is (on|off)\b/.exec(readme)?.[1];
    const off = /preemptiveGeneration\s*:\s*\{[^}]*enabled\s*:\s*false/.test(code);
    expect(said).toBe(off ? 'off' : 'on');
  });

  it('says the runs are held only if agent.ts holds them', () => {
    const holds = /\.holdPreemptiveRuns\(/.test(code);
    const saysHeld = /agent\.ts` holds|holds its preemptive runs/.test(readme);
    expect(saysHeld).toBe(holds);
  });
});

describe('the telephony README install line', () => {
  const installed = installedPackages(readme, 'sample-install');
  const imported = readdirSync(DIR)
    .filter((file) => file.endsWith('.ts'))
    .flatMap((file) => importedPackages(readFileSync(join(DIR, file), 'utf8')));

  it('installs every package the sample imports, and the package itself', () => {
    expect(imported.length).toBeGreaterThan(5);
    expect([...new Set(imported)].filter((name) => !installed.includes(name))).toEqual([]);
    expect(installed).toContain('livekit-langgraph');
  });
});
