import { describe, expect, it } from 'vitest';
import { dtmfCode } from '../../src/call/dtmf.js';
import { dtmfTool } from '../../src/index.js';

describe('dtmfCode', () => {
  it.each([
    ['0', 0],
    ['9', 9],
    ['*', 10],
    ['#', 11],
    ['A', 12],
    ['D', 15],
  ])('%s → %i (as agents-js beta/tools/send_dtmf.ts)', (key, code) => {
    expect(dtmfCode(key)).toBe(code);
  });

  it.each([['E'], ['12'], ['']])('refuses %j', (key) => {
    expect(() => dtmfCode(key)).toThrow('is not a phone key');
  });
});

describe('dtmfTool options', () => {
  it('names a wrong option', () => {
    expect(() => dtmfTool({ gapMs: -1 })).toThrow(
      'dtmfTool: invalid options — `gapMs`: expected 0 to 5000 milliseconds',
    );
    expect(() => dtmfTool({ gapMs: 1.5 })).toThrow('`gapMs`: expected whole milliseconds');
    expect(() => dtmfTool({ gap: 100 } as never)).toThrow(
      'dtmfTool: invalid options — unknown option `gap`: did you mean `gapMs`?',
    );
    // the drain before the first key takes the same option as hangupTool's, with the same bound
    expect(() => dtmfTool({ drainMs: 30_000 })).toThrow(
      'dtmfTool: invalid options — `drainMs`: expected at most 10000 (ms)',
    );
  });
});
