import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseOptions } from '../src/validation.js';

const schema = z.strictObject({
  playoutTimeoutMs: z.number().int().nonnegative().optional(),
  mode: z.enum(['a', 'b'], 'expected "a" or "b"').optional(),
});

describe('parseOptions', () => {
  it('returns valid options as parsed', () => {
    expect(parseOptions('Thing', schema, { mode: 'a' })).toEqual({ mode: 'a' });
  });

  it('names the owner, each wrong option and what it expects', () => {
    expect(() => parseOptions('Thing', schema, { mode: 'c', playoutTimeoutMs: -1 })).toThrow(
      'Thing: invalid options — `playoutTimeoutMs`: Too small: expected number to be >=0; `mode`: expected "a" or "b"',
    );
  });

  it('names the option a misspelled one probably meant, else lists the options', () => {
    expect(() => parseOptions('Thing', schema, { playoutTimeout: 5 })).toThrow(
      'Thing: invalid options — unknown option `playoutTimeout`: did you mean `playoutTimeoutMs`?',
    );
    expect(() => parseOptions('Thing', schema, { volume: 5 })).toThrow(
      'unknown option `volume`: expected one of `playoutTimeoutMs`, `mode`',
    );
  });
});
